import type { CallbackManagerForLLMRun } from '@langchain/core/callbacks/manager';
import type { BaseMessage, MessageContent } from '@langchain/core/messages';
import type { ChatGenerationChunk } from '@langchain/core/outputs';
import { ChatOpenAI, ChatOpenAICompletions, type ChatOpenAIFields } from '@langchain/openai';
import type { ModelCallGate } from '../stores/model-budget/model-use-budget.js';
import { createEndpointQuirks, type EndpointQuirks } from './endpoint-quirks.js';
import { describeOpenAIChatModel } from './openai-model-description.js';
import { isStreamOptionsRejected } from './provider-errors.js';
import { estimateTextTokens, estimateTokenCount, textOfContent } from './token-estimate.js';

export { describeOpenAIChatModel, estimateTokenCount };

export interface OpenAIChatModelOptions {
  readonly apiKey: string;
  /**
   * Base URL of any OpenAI-compatible Chat Completions endpoint, ending in `/v1` for most servers
   * (Ollama `http://localhost:11434/v1`, vLLM, DeepSeek `https://api.deepseek.com/v1`, Qwen/DashScope
   * compatible mode). @default the OpenAI API
   */
  readonly baseURL?: string;
  /** Model name as the endpoint knows it, e.g. `gpt-4o-mini`, `qwen2.5:7b`, `deepseek-chat`. */
  readonly model: string;
  /**
   * Bound on one HTTP request (given to the OpenAI client). The answerer enforces its own overall
   * deadline as well, because this client timeout does not cover a stream that stalls after its headers.
   */
  readonly timeoutMs: number;
  /** Cap on generated tokens per model call (`max_tokens`, or `max_completion_tokens` for reasoning models). @default 1024 */
  readonly maxCompletionTokens?: number;
  /** Sampling temperature; low keeps answers close to the passages. @default 0.2 */
  readonly temperature?: number;
  /**
   * Ask for a final usage chunk (`stream_options.include_usage`). A server that rejects the field is asked again
   * without it, and remembered in `quirks`. @default true
   */
  readonly streamUsage?: boolean;
  /** The budget every call passes (uses and tokens). @default no budget */
  readonly budget?: ModelCallGate;
  /** What this process learned about endpoints (e.g. no `stream_options`). @default a memory of this model's own */
  readonly quirks?: EndpointQuirks;
}

/**
 * The chat model every LLM answer uses: `ChatOpenAI` on the Chat Completions API, streaming (so tokens
 * reach the learner as they are generated) and with `maxRetries: 0`, because retrying is the fallback
 * answerer's job: it retries once, honours `Retry-After`, and then answers offline. A retry inside the
 * client would silently double the time a learner waits.
 *
 * Every request passes the model budget first and reports the tokens it spent after (the server's `usage`, or the
 * estimate when it sends none).
 */
export function createOpenAIChatModel(options: OpenAIChatModelOptions): ChatOpenAI {
  const fields: ChatOpenAIFields = {
    model: options.model,
    apiKey: options.apiKey,
    streaming: true,
    streamUsage: options.streamUsage ?? true,
    maxRetries: 0,
    timeout: options.timeoutMs,
    maxTokens: options.maxCompletionTokens ?? 1024,
    temperature: options.temperature ?? 0.2,
    // Chat Completions is what compatible servers implement; never switch to the Responses API.
    useResponsesApi: false,
    ...(options.baseURL === undefined ? {} : { configuration: { baseURL: options.baseURL } }),
  };
  const completions = new GuardedCompletions(fields, {
    endpointKey: describeOpenAIChatModel(options),
    quirks: options.quirks ?? createEndpointQuirks(),
    ...(options.budget === undefined ? {} : { budget: options.budget }),
  });
  return new ChatOpenAI({ ...fields, completions });
}

interface GuardOptions {
  readonly endpointKey: string;
  readonly quirks: EndpointQuirks;
  readonly budget?: ModelCallGate;
}

/**
 * Chat Completions with the tutor's guards. Every call of a streaming model (invoke, stream, the agent's turns) goes
 * through `_streamResponseChunks`, so the guards sit there:
 * - the model budget: `beforeCall` before the request, `afterCall` with the tokens spent, whatever the outcome;
 * - `stream_options`: a server that rejects it (a 4xx naming it) is asked once more without, and remembered;
 * - `finish_reason` copied onto the streamed message (LangChain keeps it in generation info, which agents drop);
 * - a local token estimate: without it, `invoke()` on a streaming model (and any caller of `getNumTokens`) makes
 *   LangChain download a tiktoken table from tiktoken.pages.dev, with six retries: on a closed network the call
 *   stalls for minutes, and it leaks traffic off the machine.
 */
class GuardedCompletions extends ChatOpenAICompletions {
  private readonly guard: GuardOptions;

  constructor(fields: ChatOpenAIFields, guard: GuardOptions) {
    super(fields);
    this.guard = guard;
  }

  override async getNumTokens(content: MessageContent): Promise<number> {
    return estimateTokenCount(content);
  }

  override async *_streamResponseChunks(
    messages: BaseMessage[],
    options: this['ParsedCallOptions'],
    runManager?: CallbackManagerForLLMRun,
  ): AsyncGenerator<ChatGenerationChunk> {
    const { budget, quirks, endpointKey } = this.guard;
    await budget?.beforeCall();
    let text = '';
    let reportedTokens: number | undefined;
    try {
      if (quirks.rejectsStreamOptions(endpointKey)) this.streamUsage = false;
      let yielded = false;
      const stream = async function* (self: GuardedCompletions): AsyncGenerator<ChatGenerationChunk> {
        for await (const chunk of ChatOpenAICompletions.prototype._streamResponseChunks.call(self, messages, options, runManager)) {
          yielded = true;
          text += chunk.text ?? '';
          // Why the call stopped travels on the message itself, so that streamed chunks (an agent's included) carry it.
          const finish = chunk.generationInfo?.finish_reason;
          if (typeof finish === 'string') chunk.message.response_metadata = { ...chunk.message.response_metadata, finish_reason: finish };
          const usage = (chunk.message as { usage_metadata?: { total_tokens?: number } }).usage_metadata;
          if (usage?.total_tokens !== undefined && usage.total_tokens > 0) reportedTokens = usage.total_tokens;
          yield chunk;
        }
      };
      try {
        yield* stream(this);
      } catch (error) {
        if (yielded || !this.streamUsage || !isStreamOptionsRejected(error)) throw error;
        quirks.markRejectsStreamOptions(endpointKey);
        this.streamUsage = false;
        yield* stream(this);
      }
    } finally {
      const estimated =
        messages.reduce((sum, message) => sum + 4 + estimateTextTokens(textOfContent(message.content)), 0) + estimateTextTokens(text);
      await budget?.afterCall(reportedTokens ?? estimated);
    }
  }
}

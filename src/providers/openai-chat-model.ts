import type { MessageContent } from '@langchain/core/messages';
import { ChatOpenAI, ChatOpenAICompletions, type ChatOpenAIFields } from '@langchain/openai';

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
   * Ask for a final usage chunk (`stream_options.include_usage`). Turn off for compatible servers that
   * reject `stream_options`. @default true
   */
  readonly streamUsage?: boolean;
}

/**
 * The chat model every LLM answer uses: `ChatOpenAI` on the Chat Completions API, streaming (so tokens
 * reach the learner as they are generated) and with `maxRetries: 0`, because retrying is the fallback
 * answerer's job: it retries once, honours `Retry-After`, and then answers offline. A retry inside the
 * client would silently double the time a learner waits.
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
  return new ChatOpenAI({ ...fields, completions: new OfflineTokenCountingCompletions(fields) });
}

/**
 * Chat Completions with a local token estimate. Without this, `invoke()` on a streaming model (and any
 * caller of `getNumTokens`) makes LangChain download a tiktoken table from tiktoken.pages.dev, with six
 * retries: on a closed network the call stalls for minutes, and it leaks traffic off the machine.
 */
class OfflineTokenCountingCompletions extends ChatOpenAICompletions {
  override async getNumTokens(content: MessageContent): Promise<number> {
    return estimateTokenCount(content);
  }
}

/** About one token per CJK character and one per four other characters. */
export function estimateTokenCount(content: MessageContent): number {
  const text =
    typeof content === 'string'
      ? content
      : content.map((part) => (typeof part === 'string' ? part : part.type === 'text' && 'text' in part ? String(part.text) : '')).join('');
  let cjk = 0;
  let other = 0;
  for (const character of text) {
    if (/[\u3000-\u9fff\uf900-\ufaff\uff00-\uffef]/u.test(character)) cjk += 1;
    else other += 1;
  }
  return cjk + Math.ceil(other / 4);
}

/** A short description for health endpoints and logs, e.g. `openai:gpt-4o-mini@api.deepseek.com`. Never includes the key. */
export function describeOpenAIChatModel(options: Pick<OpenAIChatModelOptions, 'model' | 'baseURL'>): string {
  if (options.baseURL === undefined) return `openai:${options.model}`;
  let host = options.baseURL;
  try {
    host = new URL(options.baseURL).host;
  } catch {
    // Not a URL: keep the raw text; it is configuration, not a secret.
  }
  return `openai:${options.model}@${host}`;
}

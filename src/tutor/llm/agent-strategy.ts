/**
 * The agent strategy: the configured chat model with one tool, `search_article`, over the same passage search every
 * answer path uses, in LangChain's tool-calling loop: the model is streamed with the tool bound; when its message calls
 * the tool, each call runs and its `ToolMessage` goes back, until the model answers in text. The first turn already
 * carries the numbered passages of the first search, so a model that never calls the tool has evidence; the tool numbers
 * new passages after the ones already shown (a chunk keeps its marker), so every number the model sees means one passage.
 *
 * Why a loop of our own and not `createAgent` (LangGraph): the graph run costs several milliseconds of CPU before every
 * model call (channels, checkpoints, a run tree and callback set-up per node), which is most of what stood between the
 * learner's question and the request leaving; measured in docs/BENCHMARKS.md ("LLM pipeline overhead"). The loop keeps
 * what the agent did for us: tool-call chunks merged by LangChain (`AIMessageChunk.concat`, partial JSON parsing), the
 * tool's schema check, one plain sentence back to the model for arguments that fail it, a bound on model calls.
 *
 * Built once per chat model (tools bound once); per answer only the messages and the tool's state are new.
 *
 * The prompt budget is enforced twice: tool replies are trimmed to what is left, and every call is measured before it
 * leaves the process (`prompt-too-large` instead of an over-budget request).
 */
import type { BaseChatModel } from '@langchain/core/language_models/chat_models';
import { type AIMessageChunk, type BaseMessage, HumanMessage, SystemMessage, ToolMessage } from '@langchain/core/messages';
import { ToolInputParsingException, type ToolRuntime, tool } from '@langchain/core/tools';
import { z } from 'zod';
import { textOfContent } from '../../providers/token-estimate.js';
import type { AnswerStrategy, ModelPiece, StrategyRequest } from './answer-strategy.js';
import { ModelAnswerError } from './model-failure.js';
import { formatPassages } from './passage-format.js';
import { fitPassages, MESSAGE_OVERHEAD_TOKENS, messageTokens, PROMPT_RESERVE_TOKENS, type TokenEstimate } from './prompt-budget.js';
import { SEARCH_TOOL_NAME } from './system-prompt.js';

export interface AgentStrategyOptions {
  /** The chat model; it must support tool calling (`bindTools`). */
  readonly chatModel: BaseChatModel;
  /** Tool calls allowed per answer; later calls are told to answer with what they have. @default 3 */
  readonly maxToolCalls?: number;
  readonly tokens: TokenEstimate;
}

const toolSchema = z.object({ query: z.string().min(1).describe('What to look for in the article, a few keywords') });
const toolDescription =
  'Search the article for passages about a topic. Returns numbered passages; cite them by their [n] markers. ' +
  'Use short keyword queries; Chinese keywords match the article best (e.g. "微调 超参数").';
const BAD_ARGUMENTS_REPLY = `${SEARCH_TOOL_NAME} takes {"query": "<keywords>"}. Call it again with a query string, or answer from the passages you have.`;
/** Where the tool finds its answer's state in the run config. */
const ANSWER_KEY = 'tutorAnswer';

/** One answer's state, as the tool sees it. */
interface AnswerState {
  readonly request: StrategyRequest;
  /** Estimated size of the prompt the next model call gets: measured at each call, grown by each tool result. */
  promptTokens: number;
  toolCalls: number;
}

export function createAgentStrategy(options: AgentStrategyOptions): AnswerStrategy {
  const maxToolCalls = options.maxToolCalls ?? 3;
  /** Model calls per answer: one per allowed search, one told to stop searching, one to answer, one to spare. */
  const maxModelCalls = maxToolCalls + 3;
  const { tokens } = options;
  /** The tool definition as sent with every model call. */
  const toolDefinitionTokens = tokens(
    JSON.stringify({
      type: 'function',
      function: { name: SEARCH_TOOL_NAME, description: toolDescription, parameters: z.toJSONSchema(toolSchema) },
    }),
  );

  const searchArticle = tool(
    async ({ query }: { query: string }, runtime: ToolRuntime) => {
      const state = runtime.configurable?.[ANSWER_KEY] as AnswerState | undefined;
      if (state === undefined) throw new Error(`${SEARCH_TOOL_NAME} runs only within an answer`);
      const { request } = state;
      state.toolCalls += 1;
      if (state.toolCalls > maxToolCalls) {
        return 'Search limit reached for this answer. Answer now from the passages you already have, or say the article does not cover it.';
      }
      const result = await request.search(query);
      request.signal.throwIfAborted();
      const available = request.maxPromptTokens - PROMPT_RESERVE_TOKENS - state.promptTokens - MESSAGE_OVERHEAD_TOKENS;
      const fitting = fitPassages(result.covered ? result.chunks : [], query, available, tokens);
      if (result.covered && result.chunks.length > 0 && fitting.chunks.length === 0) {
        return 'The prompt budget of this answer is used up. Answer now from the passages you already have.';
      }
      return formatPassages(query, request.numbering.add(fitting.chunks));
    },
    { name: SEARCH_TOOL_NAME, description: toolDescription, schema: toolSchema },
  );
  if (typeof options.chatModel.bindTools !== 'function') throw new Error('The agent strategy needs a chat model that can call tools');
  const modelWithTools = options.chatModel.bindTools([searchArticle]);

  /** Runs one tool call; arguments that fail the schema get one plain sentence back, never a stack trace. */
  async function runToolCall(call: { id?: string; name: string; args: Record<string, unknown> }, state: AnswerState): Promise<ToolMessage> {
    const toolCallId = call.id ?? '';
    if (call.name !== SEARCH_TOOL_NAME) {
      return new ToolMessage({
        content: `There is no tool ${call.name}; the one tool is ${SEARCH_TOOL_NAME}.`,
        tool_call_id: toolCallId,
        status: 'error',
      });
    }
    try {
      // The tool checks the arguments against its schema (ToolInputParsingException); the type is what passes it.
      const reply = await searchArticle.invoke(call.args as { query: string }, {
        configurable: { [ANSWER_KEY]: state },
        signal: state.request.signal,
      });
      const content = String(reply);
      state.promptTokens += MESSAGE_OVERHEAD_TOKENS + tokens(content);
      return new ToolMessage({ content, tool_call_id: toolCallId, name: SEARCH_TOOL_NAME });
    } catch (error) {
      // Any other tool error (the search itself failing) propagates and fails the answer.
      if (!(error instanceof ToolInputParsingException)) throw error;
      state.promptTokens += MESSAGE_OVERHEAD_TOKENS + tokens(BAD_ARGUMENTS_REPLY);
      return new ToolMessage({ content: BAD_ARGUMENTS_REPLY, tool_call_id: toolCallId, name: SEARCH_TOOL_NAME, status: 'error' });
    }
  }

  async function* run(request: StrategyRequest): AsyncIterable<ModelPiece> {
    const { signal, maxPromptTokens } = request;
    const state: AnswerState = { request, promptTokens: request.firstPromptTokens, toolCalls: 0 };
    const system = new SystemMessage(request.systemPrompt);
    const systemTokens = tokens(request.systemPrompt) + MESSAGE_OVERHEAD_TOKENS + toolDefinitionTokens;
    const conversation: BaseMessage[] = [...request.history, new HumanMessage(request.firstTurn)];
    for (let modelCall = 1; ; modelCall += 1) {
      if (modelCall > maxModelCalls) {
        throw new ModelAnswerError(
          'empty-answer',
          `The model kept calling ${SEARCH_TOOL_NAME} and gave no answer in ${maxModelCalls} calls`,
        );
      }
      // The hard bound: whatever the trimming of tool replies missed, no prompt over budget ever leaves this process.
      const measured = systemTokens + conversation.reduce((sum, message) => sum + messageTokens(message, tokens), 0);
      if (measured > maxPromptTokens) {
        throw new ModelAnswerError(
          'prompt-too-large',
          `A model call would need about ${measured} prompt tokens, over the budget of ${maxPromptTokens}`,
        );
      }
      let message: AIMessageChunk | undefined;
      for await (const chunk of await modelWithTools.stream([system, ...conversation], { signal })) {
        if (signal.aborted) return;
        message = message === undefined ? chunk : message.concat(chunk);
        const reasoning = chunk.additional_kwargs?.reasoning_content;
        if (typeof reasoning === 'string' && reasoning !== '') yield { kind: 'reasoning', text: reasoning };
        const toolArguments = (chunk.tool_call_chunks ?? []).map((call) => `${call.name ?? ''}${call.args ?? ''}`).join('');
        if (toolArguments !== '') yield { kind: 'tool-arguments', text: toolArguments };
        const text = textOfContent(chunk.content);
        if (text !== '') yield { kind: 'text', text, turn: modelCall };
        const finish = chunk.response_metadata?.finish_reason;
        if (typeof finish === 'string') yield { kind: 'finish', reason: finish };
      }
      signal.throwIfAborted();
      if (message === undefined) return;
      state.promptTokens = measured + messageTokens(message, tokens);
      const calls = message.tool_calls ?? [];
      if (calls.length === 0) {
        const invalid = message.invalid_tool_calls?.[0];
        if (invalid !== undefined) {
          throw new ModelAnswerError(
            'malformed-tool-call',
            `The model called ${invalid.name ?? 'a tool'} with arguments that are not JSON`,
            {
              cause: invalid,
            },
          );
        }
        return;
      }
      conversation.push(message);
      for (const call of calls) conversation.push(await runToolCall(call, state));
    }
  }

  return { name: 'agent', promptTools: { kind: 'search-tool', maxToolCalls }, fixedPromptTokens: toolDefinitionTokens, run };
}

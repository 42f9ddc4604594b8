/**
 * The agent strategy: a LangChain v1 agent (`createAgent`) with the configured chat model and one tool,
 * `search_article`, over the same passage search every answer path uses. The first turn already carries the numbered
 * passages of the first search, so a model that never calls the tool has evidence; the tool numbers new passages after
 * the ones already shown (a chunk keeps its marker), so every number the model sees means one passage.
 *
 * The prompt budget is enforced twice: tool replies are trimmed to what is left, and a middleware measures every call
 * before it leaves the process (`prompt-too-large` instead of an over-budget request).
 */
import type { BaseChatModel } from '@langchain/core/language_models/chat_models';
import { AIMessage, type AIMessageChunk, type BaseMessage, HumanMessage } from '@langchain/core/messages';
import { Command } from '@langchain/langgraph';
import { createAgent, createMiddleware, ToolInvocationError, type ToolRuntime, tool, toolErrorMiddleware } from 'langchain';
import { z } from 'zod';
import { textOfContent } from '../../providers/token-estimate.js';
import { createPieceQueue, withTokenTap } from './agent-token-tap.js';
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

/** The name of the agent's model node in LangChain's agent graph. */
const AGENT_NODE = 'model_request';
const toolSchema = z.object({ query: z.string().min(1).describe('What to look for in the article, a few keywords') });
const toolDescription =
  'Search the article for passages about a topic. Returns numbered passages; cite them by their [n] markers. ' +
  'Use short keyword queries; Chinese keywords match the article best (e.g. "微调 超参数").';

/** What one answer gives the agent at run time (LangGraph's `context`): the agent itself is built once per model. */
interface AnswerContext {
  readonly request: StrategyRequest;
  /** Estimated size of the prompt the next model call gets: measured at each call, grown by each tool result. */
  promptTokens: number;
  toolCalls: number;
  /** The model for this answer's calls: the agent's model with this answer's token tap. */
  readonly model: BaseChatModel;
  /** The last response of the model node (its tool calls, invalid ones included, and why it stopped). */
  lastModelTurn?: BaseMessage;
}

/**
 * The chat model as the agent gets it, with the tool binding made once. The agent binds its tools at every model call,
 * and ChatOpenAI's `bindTools` builds a whole new ChatOpenAI each time (its Completions and Responses clients, the
 * tool's schema converted again): about half a millisecond before each request leaves. The same tools with no options
 * get the same binding; any other binding (a middleware changing the tools or the tool choice) is made afresh.
 */
function withToolBindingMemo(model: BaseChatModel, tools: readonly unknown[]): BaseChatModel {
  const bindTools = model.bindTools?.bind(model);
  if (bindTools === undefined) return model;
  let bound: ReturnType<typeof bindTools> | undefined;
  const memoized: typeof bindTools = (requested, kwargs) => {
    const sameTools = requested.length === tools.length && requested.every((one, index) => one === tools[index]);
    const noOptions = Object.values(kwargs ?? {}).every((value) => value === undefined);
    if (!sameTools || !noOptions) return bindTools(requested, kwargs);
    bound ??= bindTools(requested, kwargs);
    return bound;
  };
  // Everything else is the model itself (the prototype): only `bindTools` differs.
  return Object.create(model, { bindTools: { value: memoized } }) as BaseChatModel;
}

/** What one streamed chunk of the model holds, in the order the pipeline reads it. */
function piecesOfChunk(chunk: AIMessageChunk, turn: string): ModelPiece[] {
  const pieces: ModelPiece[] = [];
  const reasoning = chunk.additional_kwargs?.reasoning_content;
  if (typeof reasoning === 'string' && reasoning !== '') pieces.push({ kind: 'reasoning', text: reasoning });
  const toolArguments = (chunk.tool_call_chunks ?? []).map((call) => `${call.name ?? ''}${call.args ?? ''}`).join('');
  if (toolArguments !== '') pieces.push({ kind: 'tool-arguments', text: toolArguments });
  const text = textOfContent(chunk.content);
  if (text !== '') pieces.push({ kind: 'text', text, turn });
  const finish = chunk.response_metadata?.finish_reason;
  if (typeof finish === 'string') pieces.push({ kind: 'finish', reason: finish });
  return pieces;
}

export function createAgentStrategy(options: AgentStrategyOptions): AnswerStrategy {
  const maxToolCalls = options.maxToolCalls ?? 3;
  const { tokens } = options;
  /** The tool definition as sent with every model call. */
  const toolDefinitionTokens = tokens(
    JSON.stringify({
      type: 'function',
      function: { name: SEARCH_TOOL_NAME, description: toolDescription, parameters: z.toJSONSchema(toolSchema) },
    }),
  );
  const contextOf = (runtime: { readonly context?: unknown }): AnswerContext => {
    const context = runtime.context as AnswerContext | undefined;
    if (context === undefined) throw new Error('the agent runs only with an answer context');
    return context;
  };

  const searchArticle = tool(
    async ({ query }: { query: string }, runtime: ToolRuntime) => {
      const context = contextOf(runtime);
      const { request } = context;
      context.toolCalls += 1;
      const reply = await (async (): Promise<string> => {
        if (context.toolCalls > maxToolCalls) {
          return 'Search limit reached for this answer. Answer now from the passages you already have, or say the article does not cover it.';
        }
        const result = await request.search(query);
        request.signal.throwIfAborted();
        const available = request.maxPromptTokens - PROMPT_RESERVE_TOKENS - context.promptTokens - MESSAGE_OVERHEAD_TOKENS;
        const fitting = fitPassages(result.covered ? result.chunks : [], query, available, tokens);
        if (result.covered && result.chunks.length > 0 && fitting.chunks.length === 0) {
          return 'The prompt budget of this answer is used up. Answer now from the passages you already have.';
        }
        return formatPassages(query, request.numbering.add(fitting.chunks));
      })();
      context.promptTokens += MESSAGE_OVERHEAD_TOKENS + tokens(reply);
      return reply;
    },
    { name: SEARCH_TOOL_NAME, description: toolDescription, schema: toolSchema },
  );

  // Built once per chat model: building a LangGraph agent (graph, channels, tool node) per answer costs milliseconds
  // of every answer's first word. What differs per answer (system prompt, passages, budgets) travels as `context`.
  const model = withToolBindingMemo(options.chatModel, [searchArticle]);
  const agent = createAgent({
    model,
    tools: [searchArticle],
    middleware: [
      createMiddleware({
        name: 'PromptBudget',
        // The answer's system prompt, and the hard bound: whatever the trimming above missed, no prompt over budget
        // ever leaves this process.
        wrapModelCall: async (modelRequest, handler) => {
          const context = contextOf(modelRequest.runtime);
          const { systemPrompt, maxPromptTokens } = context.request;
          const measured =
            tokens(systemPrompt) +
            MESSAGE_OVERHEAD_TOKENS +
            toolDefinitionTokens +
            modelRequest.messages.reduce((sum, message) => sum + messageTokens(message, tokens), 0);
          if (measured > maxPromptTokens) {
            throw new ModelAnswerError(
              'prompt-too-large',
              `A model call would need about ${measured} prompt tokens, over the budget of ${maxPromptTokens}`,
            );
          }
          const response = await handler({ ...modelRequest, systemPrompt, model: context.model });
          context.promptTokens = measured + messageTokens(response, tokens);
          context.lastModelTurn = response;
          return response;
        },
      }),
      toolErrorMiddleware({
        // Arguments that fail the schema go back to the model in one plain sentence, never as a stack trace.
        // Any other tool error (the search itself failing) propagates and fails the answer.
        onError: (error) =>
          error instanceof ToolInvocationError
            ? `${SEARCH_TOOL_NAME} takes {"query": "<keywords>"}. Call it again with a query string, or answer from the passages you have.`
            : undefined,
      }),
    ],
  });

  async function* run(request: StrategyRequest): AsyncIterable<ModelPiece> {
    const { signal } = request;
    const pieces = createPieceQueue<ModelPiece>();
    const context: AnswerContext = {
      request,
      promptTokens: request.firstPromptTokens,
      toolCalls: 0,
      // Each model call streams its chunks here (agent-token-tap.ts: cheaper than LangGraph's `messages` stream mode).
      model: withTokenTap(model, (chunk, modelCallId) => {
        for (const piece of piecesOfChunk(chunk, modelCallId)) pieces.push(piece);
      }),
    };
    const messages: BaseMessage[] = [...request.history, new HumanMessage(request.firstTurn)];
    // The answer enters the graph as a Command (append the messages, go to the model node): LangGraph's input step
    // (the `__start__` task with its callbacks, run tree, channel writes and checkpoint) and the agent's middleware-state
    // lookup (a `getState` that throws without a checkpointer) are skipped, and the first request leaves sooner.
    const input = new Command({ update: { messages }, goto: AGENT_NODE });
    // The graph runs beside the reader; a reader that stops early (the pipeline's deadline, the learner leaving) stops it.
    const stop = new AbortController();
    const onAbort = (): void => stop.abort(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    if (signal.aborted) onAbort();
    const running = (async () => {
      // 'updates' only drives the graph: with no stream mode that needs graph-wide callbacks, none run.
      const stream = await agent.stream(input, {
        streamMode: 'updates',
        signal: stop.signal,
        recursionLimit: 2 * maxToolCalls + 6,
        context,
      });
      for await (const _update of stream) {
        // The state is read from the context (the middleware keeps the last model turn).
      }
    })().then(
      () => pieces.end(),
      (error: unknown) => pieces.end(error),
    );
    try {
      for await (const piece of pieces) {
        if (signal.aborted) return;
        yield piece;
      }
    } finally {
      signal.removeEventListener('abort', onAbort);
      stop.abort(new Error('answer stream closed'));
      await running;
    }
    signal.throwIfAborted();
    const last = context.lastModelTurn;
    if (last !== undefined && AIMessage.isInstance(last) && (last.invalid_tool_calls?.length ?? 0) > 0) {
      const call = last.invalid_tool_calls?.[0];
      throw new ModelAnswerError('malformed-tool-call', `The model called ${call?.name ?? 'a tool'} with arguments that are not JSON`, {
        cause: call,
      });
    }
    const finish = last !== undefined && AIMessage.isInstance(last) ? last.response_metadata?.finish_reason : undefined;
    if (typeof finish === 'string') yield { kind: 'finish', reason: finish };
  }

  return { name: 'agent', promptTools: { kind: 'search-tool', maxToolCalls }, fixedPromptTokens: toolDefinitionTokens, run };
}

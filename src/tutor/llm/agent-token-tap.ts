/**
 * The agent's streamed tokens, tapped at the model call itself instead of through LangGraph's `messages` stream mode.
 *
 * Why: `streamMode: 'messages'` puts a callback handler on the whole graph run, and a graph with any handler pays for
 * callbacks at every runnable it runs: the graph, each node, its channel writes and branch, each with a run manager,
 * chain start/end events and their copies of tags and metadata. Measured on the agent's text answer: about a fifth of
 * its CPU (~5 ms of ~22 ms per answer) and a few ms of its first word under load. A handler bound to the chat model
 * only costs where the tokens are.
 *
 * The tap is per answer: `withTokenTap(model, onChunk)` is a view of the model whose tool binding carries the handler,
 * so the agent's model node (given this model by middleware) streams each chunk to this answer's `onChunk`, and no other.
 */
import { BaseCallbackHandler } from '@langchain/core/callbacks/base';
import type { BaseChatModel } from '@langchain/core/language_models/chat_models';
import { AIMessageChunk } from '@langchain/core/messages';
import type { ChatGenerationChunk } from '@langchain/core/outputs';
import { RunnableBinding } from '@langchain/core/runnables';

/** Receives every chunk the model streams, with the id of its model call (one per agent turn). */
export type ChunkListener = (chunk: AIMessageChunk, modelCallId: string) => void;

class TokenTapHandler extends BaseCallbackHandler {
  readonly name = 'AgentTokenTap';
  /** Asks the chat model for its streaming path (as LangGraph's messages handler does). */
  readonly lc_prefer_streaming = true;
  private readonly listener: ChunkListener;

  constructor(listener: ChunkListener) {
    // Awaited in line, not queued in the background: each chunk reaches the answer before the model reads the next.
    super({ _awaitHandler: true });
    this.listener = listener;
  }

  override handleLLMNewToken(
    token: string,
    _index: unknown,
    runId: string,
    _parentRunId?: string,
    _tags?: string[],
    fields?: { chunk?: ChatGenerationChunk },
  ): void {
    const message = fields?.chunk?.message;
    this.listener(message !== undefined && AIMessageChunk.isInstance(message) ? message : new AIMessageChunk({ content: token }), runId);
  }
}

/**
 * The model as one answer's agent gets it: the same model (its `bindTools` included, memoized or not), with the tap
 * bound to whatever `bindTools` returns, so every call the agent makes streams to `listener`.
 */
export function withTokenTap(model: BaseChatModel, listener: ChunkListener): BaseChatModel {
  const handler = new TokenTapHandler(listener);
  const bindTools = model.bindTools?.bind(model);
  if (bindTools === undefined) throw new Error('the agent needs a chat model with tool calling (bindTools)');
  const tapped: typeof bindTools = (tools, kwargs) =>
    new RunnableBinding({ bound: bindTools(tools, kwargs), config: { callbacks: [handler] }, kwargs: {} });
  return Object.create(model, { bindTools: { value: tapped } }) as BaseChatModel;
}

/** A one-reader queue: `push` from callbacks, `end` once (with the error that ended it, if any), read with `for await`. */
export interface PieceQueue<T> extends AsyncIterable<T> {
  push(item: T): void;
  end(error?: unknown): void;
}

export function createPieceQueue<T>(): PieceQueue<T> {
  const items: T[] = [];
  let ended = false;
  let failure: { readonly error: unknown } | undefined;
  let wake: (() => void) | undefined;
  const notify = (): void => {
    const resolve = wake;
    wake = undefined;
    resolve?.();
  };
  return {
    push(item) {
      if (ended) return;
      items.push(item);
      notify();
    },
    end(error) {
      if (ended) return;
      ended = true;
      if (error !== undefined) failure = { error };
      notify();
    },
    async *[Symbol.asyncIterator]() {
      for (;;) {
        while (items.length > 0) yield items.shift() as T;
        if (ended) break;
        await new Promise<void>((resolve) => {
          wake = resolve;
        });
      }
      if (failure !== undefined) throw failure.error;
    },
  };
}

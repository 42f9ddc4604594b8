/**
 * Retrieve-then-generate: for endpoints whose model cannot call tools (many models served by Ollama, vLLM without
 * `--enable-auto-tool-choice`, llama.cpp's server without `--jinja`). The passages are retrieved first (the pipeline's
 * first search, already numbered and within the prompt budget) and written into the prompt; the model makes one call,
 * with no tools. Built the way LangChain composes a retrieval chain, once per chat model: a chat prompt template (system,
 * history placeholder, the human turn carrying the formatted context) piped into the chat model, and streamed. (The
 * context is formatted by the pipeline, so no `RunnablePassthrough.assign` step: each runnable in the chain costs its
 * own callback and tracing set-up before the request leaves.)
 */
import type { BaseChatModel } from '@langchain/core/language_models/chat_models';
import { AIMessageChunk, type BaseMessage } from '@langchain/core/messages';
import { ChatPromptTemplate, MessagesPlaceholder } from '@langchain/core/prompts';
import { textOfContent } from '../../providers/token-estimate.js';
import type { AnswerStrategy, ModelPiece, StrategyRequest } from './answer-strategy.js';

interface ChainInput {
  readonly system: string;
  readonly history: BaseMessage[];
  readonly firstTurn: string;
}

export function createRetrieveThenGenerateStrategy(options: { readonly chatModel: BaseChatModel }): AnswerStrategy {
  // The learner's turn is the question and its numbered passages (retrieved and budgeted by the pipeline).
  const prompt = ChatPromptTemplate.fromMessages<ChainInput>([
    ['system', '{system}'],
    new MessagesPlaceholder('history'),
    ['human', '{firstTurn}'],
  ]);
  const chain = prompt.pipe(options.chatModel);

  async function* run(request: StrategyRequest): AsyncIterable<ModelPiece> {
    const input: ChainInput = { system: request.systemPrompt, history: [...request.history], firstTurn: request.firstTurn };
    const stream = await chain.stream(input, { signal: request.signal });
    for await (const chunk of stream) {
      if (request.signal.aborted) return;
      if (!AIMessageChunk.isInstance(chunk)) continue;
      const reasoning = chunk.additional_kwargs?.reasoning_content;
      if (typeof reasoning === 'string' && reasoning !== '') yield { kind: 'reasoning', text: reasoning };
      const text = textOfContent(chunk.content);
      if (text !== '') yield { kind: 'text', text, turn: 0 };
      const finish = chunk.response_metadata?.finish_reason;
      if (typeof finish === 'string') yield { kind: 'finish', reason: finish };
    }
    request.signal.throwIfAborted();
  }

  return { name: 'retrieve-then-generate', promptTools: { kind: 'none' }, fixedPromptTokens: 0, run };
}

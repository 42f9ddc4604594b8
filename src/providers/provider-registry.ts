/**
 * The one place where configuration becomes model clients: the embedder every index build and question uses, and the
 * chat model of LLM mode. A new provider is a file of its own in this folder plus a branch here and its variables in
 * src/config.ts; nothing else in the tree names a provider.
 */
import type { BaseChatModel } from '@langchain/core/language_models/chat_models';
import type { TutorConfig } from '../config.js';
import type { EmbedderDescriptor } from '../index/corpus-index-store.js';
import type { TextAnalyzer } from '../retrieval/text-analyzer.js';
import { LocalHashingEmbeddings } from './local-embeddings.js';
import { createOpenAIChatModel, describeOpenAIChatModel } from './openai-chat-model.js';
import { createOpenAIEmbeddings } from './openai-embeddings.js';

/** Dimensions of the local embedder when EMBEDDINGS is not `local` with its own setting. */
const DEFAULT_LOCAL_DIMENSIONS = 512;

/** `EMBEDDINGS=openai` embeds with OPENAI_EMBEDDINGS_MODEL; otherwise the offline, deterministic local embedder. */
export function createEmbedderFromConfig(config: TutorConfig, analyzer: TextAnalyzer): EmbedderDescriptor {
  if (config.embeddings.provider === 'openai' && config.openAiEmbeddings) {
    const provider = createOpenAIEmbeddings(config.openAiEmbeddings);
    return { id: `${provider.embedderId}:a${analyzer.version}`, embeddings: provider.embeddings };
  }
  const dimensions = config.embeddings.provider === 'local' ? config.embeddings.dimensions : DEFAULT_LOCAL_DIMENSIONS;
  const embeddings = new LocalHashingEmbeddings({ analyzer, dimensions });
  return { id: `${embeddings.embedderId}:a${analyzer.version}`, embeddings };
}

/** What one use of the chat model needs: its own deadline and output cap (answers, quizzes, drafts differ). */
export interface ChatModelUse {
  /** Bound on one HTTP request to the endpoint. */
  readonly timeoutMs: number;
  /** Cap on generated tokens per call. */
  readonly maxCompletionTokens: number;
}

/** The configured chat model for one use, or undefined when no model is configured (offline mode). */
export function createChatModelFromConfig(config: TutorConfig, use: ChatModelUse): BaseChatModel | undefined {
  const llm = config.llm;
  if (!llm) return undefined;
  return createOpenAIChatModel({
    apiKey: llm.apiKey,
    model: llm.model,
    timeoutMs: use.timeoutMs,
    maxCompletionTokens: use.maxCompletionTokens,
    ...(llm.baseURL === undefined ? {} : { baseURL: llm.baseURL }),
  });
}

/** For /api/health and logs, e.g. `openai:gpt-4o-mini` or `none (offline)`. Never contains secrets. */
export function describeChatModelConfig(config: TutorConfig): string {
  return config.llm ? describeOpenAIChatModel(config.llm) : 'none (offline)';
}

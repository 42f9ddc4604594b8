/**
 * The one place where configuration becomes model clients: the embedder every index build and question uses, and the
 * chat model of LLM mode. A new provider is a file of its own in this folder plus a branch here and its variables in
 * src/config.ts; nothing else in the tree names a provider.
 *
 * The OpenAI clients (`@langchain/openai`, the `openai` SDK) are imported only when configured: offline mode never
 * loads them, which is most of what a cold start would otherwise spend loading modules (docs/BENCHMARKS.md, "Cold start").
 */
import type { BaseChatModel } from '@langchain/core/language_models/chat_models';
import type { TutorConfig } from '../config.js';
import type { EmbedderDescriptor } from '../index/corpus-index-store.js';
import type { TextAnalyzer } from '../retrieval/text-analyzer.js';
import { createInMemoryModelAnswerBudget, type ModelAnswerBudget } from '../stores/model-budget/model-answer-budget.js';
import { createModelUseBudget, type ModelUseBudget } from '../stores/model-budget/model-use-budget.js';
import type { EndpointQuirks } from './endpoint-quirks.js';
import { LocalHashingEmbeddings } from './local-embeddings.js';
import { describeOpenAIChatModel } from './openai-model-description.js';

/** Dimensions of the local embedder when EMBEDDINGS is not `local` with its own setting. */
const DEFAULT_LOCAL_DIMENSIONS = 512;

/** `EMBEDDINGS=openai` embeds with OPENAI_EMBEDDINGS_MODEL; otherwise the offline, deterministic local embedder. */
export async function createEmbedderFromConfig(config: TutorConfig, analyzer: TextAnalyzer): Promise<EmbedderDescriptor> {
  if (config.embeddings.provider === 'openai' && config.openAiEmbeddings) {
    const { createOpenAIEmbeddings } = await import('./openai-embeddings.js');
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
  /**
   * The model budget every call of this model passes. The app root gives every model it makes the same one.
   * @default a budget of this model's own with the node-wide limits (LLM_ANSWERS_PER_HOUR, LLM_TOKENS_PER_HOUR)
   */
  readonly budget?: ModelUseBudget;
  /** What the process learned about the endpoint (no `stream_options`...). @default a memory of this model's own */
  readonly quirks?: EndpointQuirks;
}

/**
 * The configured chat model for one use, or undefined when no model is configured (offline mode). Every model it
 * returns is budgeted: no call leaves the process without passing a model budget.
 */
export async function createChatModelFromConfig(config: TutorConfig, use: ChatModelUse): Promise<BaseChatModel | undefined> {
  const llm = config.llm;
  if (!llm) return undefined;
  const { createOpenAIChatModel } = await import('./openai-chat-model.js');
  return createOpenAIChatModel({
    apiKey: llm.apiKey,
    model: llm.model,
    timeoutMs: use.timeoutMs,
    maxCompletionTokens: use.maxCompletionTokens,
    budget: use.budget ?? createModelBudgetFromConfig(config),
    ...(use.quirks === undefined ? {} : { quirks: use.quirks }),
    ...(llm.baseURL === undefined ? {} : { baseURL: llm.baseURL }),
  });
}

/**
 * The model budget of the configuration: per conversation (LLM_ANSWERS_PER_CONVERSATION_PER_HOUR,
 * LLM_TOKENS_PER_CONVERSATION_PER_HOUR; in Redis when `perConversation` is given) and per node (LLM_ANSWERS_PER_HOUR,
 * LLM_TOKENS_PER_HOUR, in this process's memory).
 */
export function createModelBudgetFromConfig(config: TutorConfig, perConversation?: ModelAnswerBudget): ModelUseBudget {
  const limits = config.llmBudget;
  return createModelUseBudget({
    perConversation:
      perConversation ??
      createInMemoryModelAnswerBudget({
        answersPerWindow: limits.answersPerConversationPerHour,
        tokensPerWindow: limits.tokensPerConversationPerHour,
      }),
    nodeWide: createInMemoryModelAnswerBudget({
      answersPerWindow: limits.answersPerHour,
      tokensPerWindow: limits.tokensPerHour,
      maxConversations: 1,
    }),
  });
}

/** The key under which the process remembers what the endpoint and model support, e.g. `openai:qwen2.5@localhost:11434`. */
export function chatModelEndpointKey(config: TutorConfig): string {
  return describeChatModelConfig(config);
}

/** For /api/health and logs, e.g. `openai:gpt-4o-mini` or `none (offline)`. Never contains secrets. */
export function describeChatModelConfig(config: TutorConfig): string {
  return config.llm ? describeOpenAIChatModel(config.llm) : 'none (offline)';
}

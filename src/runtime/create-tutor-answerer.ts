import type { TutorConfig } from '../config.js';
import { createOpenAIChatModel, describeOpenAIChatModel } from '../providers/openai-chat-model.js';
import { createFallbackTutorAnswerer } from '../tutor/fallback-tutor-answerer.js';
import { createLlmTutorAnswerer } from '../tutor/llm-tutor-answerer.js';
import type { TutorAnswerer } from '../tutor/tutor-types.js';
import type { CorpusRuntime } from './create-corpus-runtime.js';
import type { Logger } from './logger.js';

export interface ConfiguredAnswerer {
  readonly answerer: TutorAnswerer;
  /** For /api/health and logs, e.g. `openai:gpt-4o-mini` or `none (offline)`. Never contains secrets. */
  readonly llmDescription: string;
}

/**
 * Offline answers without OPENAI_API_KEY; with it, the LLM agent with one retry and the offline answerer as the
 * fallback, all bounded by ANSWER_TIMEOUT_MS (the model gets most of it; the fallback the rest).
 */
export function createConfiguredAnswerer(deps: { readonly config: TutorConfig; readonly runtime: CorpusRuntime; readonly logger: Logger }): ConfiguredAnswerer {
  const { config, runtime, logger } = deps;
  if (!config.llm) return { answerer: runtime.offlineAnswerer, llmDescription: 'none (offline)' };
  const llm = config.llm;
  const modelBudgetMs = Math.max(500, Math.floor(config.answerTimeoutMs * 0.8));
  const chatModel = createOpenAIChatModel({
    apiKey: llm.apiKey,
    model: llm.model,
    timeoutMs: modelBudgetMs,
    maxCompletionTokens: llm.maxCompletionTokens,
    ...(llm.baseURL === undefined ? {} : { baseURL: llm.baseURL }),
  });
  const primary = createLlmTutorAnswerer({
    chatModel,
    passageSearch: runtime.passageSearch,
    resolveStandaloneQuery: runtime.resolveStandaloneQuery,
    suggestFollowUps: (request) => runtime.followUpSuggester.suggest(request),
    timeoutMs: modelBudgetMs,
    detectLanguage: runtime.analyzer.detectLanguage,
    passagesPerSearch: config.retrieval.topK,
  });
  const answerer = createFallbackTutorAnswerer({
    primary,
    fallback: runtime.offlineAnswerer,
    retryDelayMs: llm.retryDelayMs,
    timeoutMs: modelBudgetMs,
    logger,
  });
  return { answerer, llmDescription: describeOpenAIChatModel(llm) };
}

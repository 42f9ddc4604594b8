import type { TutorConfig } from '../config.js';
import { createChatModelFromConfig, describeChatModelConfig } from '../providers/provider-registry.js';
import { createInMemoryModelAnswerBudget, type ModelAnswerBudget } from '../stores/model-budget/model-answer-budget.js';
import type { Logger } from '../support/logger.js';
import { createFallbackTutorAnswerer } from '../tutor/fallback-tutor-answerer.js';
import { createBudgetedTutorAnswerer } from '../tutor/llm-answer-budget.js';
import { createLlmTutorAnswerer } from '../tutor/llm-tutor-answerer.js';
import { withQueryCorrections } from '../tutor/query-corrections.js';
import type { TutorAnswerer } from '../tutor/tutor-types.js';
import type { CorpusRuntime } from './create-corpus-runtime.js';

export interface ConfiguredAnswerer {
  readonly answerer: TutorAnswerer;
  /** For /api/health and logs, e.g. `openai:gpt-4o-mini` or `none (offline)`. Never contains secrets. */
  readonly llmDescription: string;
}

export interface ConfiguredAnswererDeps {
  readonly config: TutorConfig;
  readonly runtime: CorpusRuntime;
  readonly logger: Logger;
  /**
   * Counts model answers per conversation (LLM_ANSWERS_PER_CONVERSATION_PER_HOUR). Pass a shared one when several
   * nodes serve the same conversations. @default counters in this process's memory
   */
  readonly modelAnswerBudget?: ModelAnswerBudget;
}

/**
 * Offline answers without OPENAI_API_KEY; with it, the LLM agent with one retry and the offline answerer as the
 * fallback, all bounded by ANSWER_TIMEOUT_MS (the model gets most of it; the fallback the rest).
 *
 * Token budgets in LLM mode: every prompt is trimmed to LLM_MAX_PROMPT_TOKENS (passages, then old turns), the model
 * writes at most LLM_MAX_COMPLETION_TOKENS per call and per answer, and a conversation gets at most
 * LLM_ANSWERS_PER_CONVERSATION_PER_HOUR model answers in any hour; after that it is answered offline, with a notice.
 */
export function createConfiguredAnswerer(deps: ConfiguredAnswererDeps): ConfiguredAnswerer {
  const { config, runtime, logger } = deps;
  if (!config.llm) return { answerer: runtime.offlineAnswerer, llmDescription: describeChatModelConfig(config) };
  const llm = config.llm;
  const modelBudgetMs = Math.max(500, Math.floor(config.answerTimeoutMs * 0.8));
  const chatModel = createChatModelFromConfig(config, { timeoutMs: modelBudgetMs, maxCompletionTokens: llm.maxCompletionTokens });
  if (!chatModel) return { answerer: runtime.offlineAnswerer, llmDescription: describeChatModelConfig(config) };
  const primary = createLlmTutorAnswerer({
    chatModel,
    passageSearch: runtime.passageSearch,
    resolveStandaloneQuery: runtime.resolveStandaloneQuery,
    suggestFollowUps: (request) => runtime.followUpSuggester.suggest(request),
    timeoutMs: modelBudgetMs,
    detectLanguage: runtime.analyzer.detectLanguage,
    passagesPerSearch: config.retrieval.topK,
    maxPromptTokens: config.llmBudget.maxPromptTokens,
    maxCompletionTokens: llm.maxCompletionTokens,
  });
  const withFallback = createFallbackTutorAnswerer({
    primary,
    fallback: runtime.offlineAnswerer,
    retryDelayMs: llm.retryDelayMs,
    timeoutMs: modelBudgetMs,
    logger,
  });
  const answerer = createBudgetedTutorAnswerer({
    model: withFallback,
    offline: runtime.offlineAnswerer,
    budget: withNodeWideCap(
      deps.modelAnswerBudget ?? createInMemoryModelAnswerBudget({ answersPerWindow: config.llmBudget.answersPerConversationPerHour }),
      createInMemoryModelAnswerBudget({ answersPerWindow: config.llmBudget.answersPerHour, maxConversations: 1 }),
    ),
    logger,
  });
  // The model path searches the corrected question too (runtime.resolveStandaloneQuery); its answer says so.
  return { answerer: withQueryCorrections(runtime.understanding.correct, answerer), llmDescription: describeChatModelConfig(config) };
}

/**
 * The conversation's budget, then the node's: however many conversations someone opens, this node makes at most
 * LLM_ANSWERS_PER_HOUR model answers an hour.
 */
function withNodeWideCap(perConversation: ModelAnswerBudget, nodeWide: ModelAnswerBudget): ModelAnswerBudget {
  return {
    async tryConsume(conversationId) {
      return (await perConversation.tryConsume(conversationId)) && (await nodeWide.tryConsume('node'));
    },
  };
}

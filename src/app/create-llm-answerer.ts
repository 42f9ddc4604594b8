import type { TutorConfig } from '../config.js';
import { chatModelEndpointKey, createChatModelFromConfig } from '../providers/provider-registry.js';
import { createBudgetedTutorAnswerer } from '../tutor/llm/budgeted-tutor-answerer.js';
import { createFallbackTutorAnswerer } from '../tutor/llm/fallback-tutor-answerer.js';
import { createLlmTutorAnswerer } from '../tutor/llm/llm-tutor-answerer.js';
import { withQueryCorrections } from '../tutor/query-corrections.js';
import { withSmallTalk } from '../tutor/small-talk-answerer.js';
import type { TutorAnswerer } from '../tutor/tutor-types.js';
import type { ConfiguredAnswererDeps } from './create-answerer.js';

/**
 * The LLM-mode answerer described at createConfiguredAnswerer (create-answerer.ts), which imports this module
 * only when a model is configured: everything it imports (LangChain prompts, tools, the OpenAI clients) stays unloaded
 * offline. Undefined when the configuration yields no chat model.
 */
export async function createLlmAnswerer(
  deps: ConfiguredAnswererDeps,
  llm: NonNullable<TutorConfig['llm']>,
): Promise<TutorAnswerer | undefined> {
  const { config, runtime, logger } = deps;
  const modelBudgetMs = Math.max(500, Math.floor(config.answerTimeoutMs * 0.8));
  const chatModel = await createChatModelFromConfig(config, {
    timeoutMs: modelBudgetMs,
    maxCompletionTokens: llm.maxCompletionTokens,
    budget: deps.model.budget,
    quirks: deps.model.quirks,
  });
  if (!chatModel) return undefined;
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
    tools: llm.tools,
    toolSupport: deps.model.toolSupport,
    endpointKey: chatModelEndpointKey(config),
    logger,
    ...(deps.model.observer?.onAnswer === undefined ? {} : { observe: deps.model.observer.onAnswer }),
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
    budget: deps.model.budget,
    logger,
  });
  // The model path searches the corrected question too (runtime.resolveStandaloneQuery); its answer says so.
  // Small talk is answered before the model is reached (src/tutor/small-talk-answerer.ts says why).
  return withSmallTalk({
    answerer: withQueryCorrections(runtime.understanding.correct, answerer),
    detectLanguage: runtime.analyzer.detectLanguage,
    suggestFollowUps: (request) => runtime.followUpSuggester.suggest(request),
  });
}

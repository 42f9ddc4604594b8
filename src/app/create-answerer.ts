import type { TutorConfig } from '../config.js';
import { createEndpointQuirks, type EndpointQuirks } from '../providers/endpoint-quirks.js';
import { createModelBudgetFromConfig, describeChatModelConfig } from '../providers/provider-registry.js';
import type { ModelUseBudget } from '../stores/model-budget/model-use-budget.js';
import type { Logger } from '../support/logger.js';
import type { LlmAnswerStats } from '../tutor/llm/llm-tutor-answerer.js';
import { createToolSupportMemory, type ToolSupportMemory } from '../tutor/llm/tool-support-memory.js';
import type { TutorAnswerer } from '../tutor/tutor-types.js';
import type { CorpusRuntime } from './create-corpus-runtime.js';

export interface ConfiguredAnswerer {
  readonly answerer: TutorAnswerer;
  /** For /api/health and logs, e.g. `openai:gpt-4o-mini` or `none (offline)`. Never contains secrets. */
  readonly llmDescription: string;
}

/** Watches the model at work (the LLM-mode evaluation): each model answer given, and the tokens of each call. */
export interface ModelObserver {
  readonly onAnswer?: (stats: LlmAnswerStats) => void;
  readonly onModelCall?: (tokens: number) => void;
}

/** What every model user of one process shares: one budget, one memory of endpoint quirks and tool support. */
export interface ModelShared {
  readonly budget: ModelUseBudget;
  readonly quirks: EndpointQuirks;
  readonly toolSupport: ToolSupportMemory;
  readonly observer?: ModelObserver;
}

/**
 * @param perConversation the per-conversation counters shared by several nodes (Redis); @default in memory
 * @param observer told about answers and calls; @default nobody
 */
export function createModelShared(
  config: TutorConfig,
  perConversation?: Parameters<typeof createModelBudgetFromConfig>[1],
  observer?: ModelObserver,
): ModelShared {
  const budget = createModelBudgetFromConfig(config, perConversation);
  const onModelCall = observer?.onModelCall;
  return {
    budget:
      onModelCall === undefined
        ? budget
        : {
            ...budget,
            async afterCall(tokens) {
              onModelCall(tokens);
              await budget.afterCall(tokens);
            },
          },
    quirks: createEndpointQuirks(),
    toolSupport: createToolSupportMemory(),
    ...(observer === undefined ? {} : { observer }),
  };
}

export interface ConfiguredAnswererDeps {
  readonly config: TutorConfig;
  readonly runtime: CorpusRuntime;
  readonly logger: Logger;
  /** The process's model budget and endpoint memory (see {@link createModelShared}). */
  readonly model: ModelShared;
}

/**
 * Offline answers without OPENAI_API_KEY; with it, the LLM answerer (agent or retrieve-then-generate, LLM_TOOLS) with
 * one retry and the offline answerer as the fallback, all bounded by ANSWER_TIMEOUT_MS (the model gets most of it; the
 * fallback the rest).
 *
 * Budgets in LLM mode: every prompt is trimmed to LLM_MAX_PROMPT_TOKENS (passages, then old turns), the model writes at
 * most LLM_MAX_COMPLETION_TOKENS per call and per answer, and every model use (this answerer's and the quiz writer's)
 * passes one budget of uses and tokens per conversation and per node; past it, answers are offline, with a notice.
 *
 * The model wiring (create-llm-answerer.ts, LangChain and the OpenAI clients) is imported only in LLM mode, so an
 * offline start never loads it.
 */
export async function createConfiguredAnswerer(deps: ConfiguredAnswererDeps): Promise<ConfiguredAnswerer> {
  const { config, runtime } = deps;
  const llmDescription = describeChatModelConfig(config);
  if (!config.llm) return { answerer: runtime.offlineAnswerer, llmDescription };
  const { createLlmAnswerer } = await import('./create-llm-answerer.js');
  const answerer = await createLlmAnswerer(deps, config.llm);
  return { answerer: answerer ?? runtime.offlineAnswerer, llmDescription };
}

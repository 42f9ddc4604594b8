import type { TutorConfig } from '../config.js';
import { createChatModelFromConfig } from '../providers/provider-registry.js';
import type { LlmQuizWriter } from '../tutor/llm/llm-quiz-writer.js';
import { createTutorModes, type TutorModes } from '../tutor/tutor-modes.js';
import type { ModelShared } from './create-answerer.js';
import type { CorpusRuntime } from './create-corpus-runtime.js';
import type { Stores } from './create-stores.js';

/**
 * Quiz, progress and feedback over the corpus runtime and the shared stores; quizzes are model-written in LLM mode (the
 * quiz writer is imported only then).
 */
export async function createConfiguredTutorModes(deps: {
  readonly config: TutorConfig;
  readonly runtime: CorpusRuntime;
  readonly shared: Stores;
  /** The process's model budget: a quiz written by the model is one use of its conversation's. */
  readonly model: ModelShared;
}): Promise<TutorModes> {
  const { config, runtime, shared } = deps;
  const timeoutMs = Math.max(500, Math.floor(config.answerTimeoutMs * 0.5));
  const chatModel = await createChatModelFromConfig(config, {
    timeoutMs,
    maxCompletionTokens: Math.min(400, config.llm?.maxCompletionTokens ?? 400),
    budget: deps.model.budget,
    quirks: deps.model.quirks,
  });
  let llmQuizWriter: LlmQuizWriter | undefined;
  if (chatModel) {
    const { createLlmQuizWriter } = await import('../tutor/llm/llm-quiz-writer.js');
    llmQuizWriter = createLlmQuizWriter({ chatModel, timeoutMs, budget: deps.model.budget });
  }
  return createTutorModes({
    passageSearch: runtime.passageSearch,
    analyzer: runtime.analyzer,
    conversations: shared.conversations,
    feedback: shared.feedback,
    ...(llmQuizWriter ? { llmQuizWriter } : {}),
  });
}

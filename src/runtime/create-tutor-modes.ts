import type { TutorConfig } from '../config.js';
import { createOpenAIChatModel } from '../providers/openai-chat-model.js';
import { createLlmQuizWriter } from '../tutor/llm-quiz-writer.js';
import { createTutorModes, type TutorModes } from '../tutor/tutor-modes.js';
import type { CorpusRuntime } from './create-corpus-runtime.js';
import type { SharedState } from './create-shared-state.js';

/** Quiz, progress and feedback over the corpus runtime and the shared stores; quizzes are model-written in LLM mode. */
export function createConfiguredTutorModes(deps: {
  readonly config: TutorConfig;
  readonly runtime: CorpusRuntime;
  readonly shared: SharedState;
}): TutorModes {
  const { config, runtime, shared } = deps;
  const llm = config.llm;
  const timeoutMs = Math.max(500, Math.floor(config.answerTimeoutMs * 0.5));
  const llmQuizWriter = llm
    ? createLlmQuizWriter({
        chatModel: createOpenAIChatModel({
          apiKey: llm.apiKey,
          model: llm.model,
          timeoutMs,
          maxCompletionTokens: Math.min(400, llm.maxCompletionTokens),
          ...(llm.baseURL === undefined ? {} : { baseURL: llm.baseURL }),
        }),
        timeoutMs,
      })
    : undefined;
  return createTutorModes({
    passageSearch: runtime.passageSearch,
    analyzer: runtime.analyzer,
    conversations: shared.conversations,
    feedback: shared.feedback,
    ...(llmQuizWriter ? { llmQuizWriter } : {}),
  });
}

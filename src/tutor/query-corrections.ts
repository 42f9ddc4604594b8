import type { QueryCorrection } from '../shared/chat-protocol.js';
import type { TutorAnswerer } from './tutor-types.js';

/**
 * Adds `corrections` (question words read as corpus terms before searching: pinyin typos) to the answers of any
 * answerer, offline or LLM, so every path tells the learner "did you mean …". `correct` is the same function the
 * standalone-query resolver applies, so the corrections are exactly those the search used.
 */
export function withQueryCorrections(
  correct: (question: string) => { readonly corrections: readonly QueryCorrection[] },
  answerer: TutorAnswerer,
): TutorAnswerer {
  return {
    async answer(input) {
      const result = await answerer.answer(input);
      const { corrections } = correct(input.question);
      return corrections.length === 0 ? result : { ...result, corrections: corrections.map((entry) => ({ ...entry })) };
    },
  };
}

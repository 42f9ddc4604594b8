import { normalizeQuestion } from '../retrieval/question-normalizer.js';

/**
 * The one place the evaluation turns a question as the learner typed it into the question the answerer receives. It
 * is the product's own path (the chat service's): the one question normaliser, so noisy-input cases measure what
 * learners get.
 */
export function prepareQuestionAsProduct(typed: string): string {
  return normalizeQuestion(typed);
}

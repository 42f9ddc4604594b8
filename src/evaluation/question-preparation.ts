/**
 * The one place the evaluation turns a question as the learner typed it into the question the answerer receives.
 * It must stay the product's own path (the chat service's), so that noisy-input cases measure what learners get:
 * when the question normaliser (src/retrieval/question-normalizer.ts) lands, call it here and nowhere else in
 * src/evaluation/. Until then the answerer receives the question exactly as typed, as the chat service does today.
 */
export function prepareQuestionAsProduct(typed: string): string {
  return typed;
}

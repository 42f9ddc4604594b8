/**
 * Bounds what the tutor spends on the language model per answer: a model answer is one use of the model budget
 * (src/stores/model-budget/model-use-budget.ts: uses and tokens, per conversation and per node, in a sliding hour).
 * Past it the tutor keeps answering, offline, with `mode: 'offline-fallback'` and a notice in the learner's language,
 * so an open widget cannot run up an unbounded bill however fast someone asks. All the model calls of the answer (agent
 * turns, the retry) run inside the use and add their tokens to it.
 *
 * The conversation an answer belongs to travels on the question as `conversationId` (see
 * {@link ConversationScopedQuestion}); the chat service sets it. A question without one (the CLI) counts for the node.
 */
import type { Language } from '../../ingest/chunk-types.js';
import type { ModelUseBudget } from '../../stores/model-budget/model-use-budget.js';
import type { TutorAnswer, TutorAnswerer, TutorQuestion } from '../tutor-types.js';

/** A question asked in a known conversation: what per-conversation budgets are keyed by. */
export interface ConversationScopedQuestion extends TutorQuestion {
  /** The conversation the question belongs to. */
  readonly conversationId?: string;
}

/** The notice shown with an answer given offline because the model budget is used up. */
export const BUDGET_EXHAUSTED_NOTICES: Readonly<Record<Language, string>> = {
  en: 'This conversation has used up its language-model answers for now; this answer is quoted from the article.',
  zh: '本次对话的语言模型额度暂时用完了，以下回答直接引自文章。',
};

export interface BudgetedTutorAnswererDeps {
  /** The model-backed answerer (with its own retry and fallback). */
  readonly model: TutorAnswerer;
  /** Answers once the budget is used up. */
  readonly offline: TutorAnswerer;
  readonly budget: Pick<ModelUseBudget, 'take' | 'run'>;
  readonly logger?: { info(details: Record<string, unknown>, message: string): void };
}

/** Sends a question to the model while the budget has a use left, and to the offline answerer after. */
export function createBudgetedTutorAnswerer(deps: BudgetedTutorAnswererDeps): TutorAnswerer {
  return {
    async answer(input: ConversationScopedQuestion): Promise<TutorAnswer> {
      const conversationId = input.conversationId;
      if (await deps.budget.take(conversationId)) return deps.budget.run(conversationId, () => deps.model.answer(input), { taken: true });
      input.signal?.throwIfAborted();
      deps.logger?.info({ conversationId }, 'model answer budget used up; answering offline');
      const answer = await deps.offline.answer(input);
      return { ...answer, mode: 'offline-fallback', notice: BUDGET_EXHAUSTED_NOTICES[answer.language] };
    },
  };
}

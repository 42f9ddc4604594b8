/**
 * Bounds what one conversation can spend on the language model: at most N model answers per conversation in any
 * sliding hour. Past that the tutor keeps answering, offline, with `mode: 'offline-fallback'` and a notice in the
 * learner's language, so an open widget cannot run up an unbounded bill however fast someone asks.
 *
 * The conversation an answer belongs to travels on the question as `conversationId` (see
 * {@link ConversationScopedQuestion}); the chat service sets it. A question without one (the CLI) is not budgeted.
 */
import type { Language } from '../ingest/chunk-types.js';
import type { TutorAnswer, TutorAnswerer, TutorQuestion } from './tutor-types.js';

/** A question asked in a known conversation: what per-conversation budgets are keyed by. */
export interface ConversationScopedQuestion extends TutorQuestion {
  /** The conversation the question belongs to. */
  readonly conversationId?: string;
}

/** Counts model answers per conversation. Async, so counters shared by several nodes (Redis) can implement it. */
export interface ModelAnswerBudget {
  /**
   * Takes one model answer from the conversation's budget; false (and nothing taken) when the budget of the current
   * window is used up.
   */
  tryConsume(conversationId: string): Promise<boolean>;
}

export interface InMemoryModelAnswerBudgetOptions {
  /** Model answers allowed per conversation per window. */
  readonly answersPerWindow: number;
  /** The sliding window. @default one hour */
  readonly windowMs?: number;
  /** Conversations tracked at most; the least recently active are forgotten first. @default 50000 */
  readonly maxConversations?: number;
  /** Clock, for tests. @default Date.now */
  readonly now?: () => number;
}

/** Sliding-window counters in this process's memory, bounded in the number of conversations tracked. */
export function createInMemoryModelAnswerBudget(options: InMemoryModelAnswerBudgetOptions): ModelAnswerBudget {
  const windowMs = options.windowMs ?? 60 * 60_000;
  const maxConversations = options.maxConversations ?? 50_000;
  const now = options.now ?? Date.now;
  /** Start times of the model answers in the window, oldest first; the Map is in recency order. */
  const spent = new Map<string, number[]>();

  return {
    async tryConsume(conversationId) {
      const at = now();
      const times = (spent.get(conversationId) ?? []).filter((time) => at - time < windowMs);
      spent.delete(conversationId);
      if (times.length >= options.answersPerWindow) {
        spent.set(conversationId, times);
        return false;
      }
      times.push(at);
      spent.set(conversationId, times);
      while (spent.size > maxConversations) spent.delete(spent.keys().next().value as string);
      return true;
    },
  };
}

/** The notice shown with an answer given offline because the conversation's model budget is used up. */
export const BUDGET_EXHAUSTED_NOTICES: Readonly<Record<Language, string>> = {
  en: 'This conversation has used up its language-model answers for now; this answer is quoted from the article.',
  zh: '本次对话的语言模型额度暂时用完了，以下回答直接引自文章。',
};

export interface BudgetedTutorAnswererDeps {
  /** The model-backed answerer (with its own retry and fallback). */
  readonly model: TutorAnswerer;
  /** Answers once the budget is used up. */
  readonly offline: TutorAnswerer;
  readonly budget: ModelAnswerBudget;
  readonly logger?: { info(details: Record<string, unknown>, message: string): void };
}

/** Sends a question to the model while its conversation has budget left, and to the offline answerer after. */
export function createBudgetedTutorAnswerer(deps: BudgetedTutorAnswererDeps): TutorAnswerer {
  return {
    async answer(input: ConversationScopedQuestion): Promise<TutorAnswer> {
      const conversationId = input.conversationId;
      if (conversationId === undefined || (await deps.budget.tryConsume(conversationId))) return deps.model.answer(input);
      input.signal?.throwIfAborted();
      deps.logger?.info({ conversationId }, 'model answer budget used up; answering offline');
      const answer = await deps.offline.answer(input);
      return { ...answer, mode: 'offline-fallback', notice: BUDGET_EXHAUSTED_NOTICES[answer.language] };
    },
  };
}

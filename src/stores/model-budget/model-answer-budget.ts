/**
 * Counters of model answers per key (a conversation, or the whole node) in a sliding window. The in-memory one is
 * here; its Redis twin, shared by several nodes, is redis-model-answer-budget.ts beside it.
 */
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

import { createSlidingWindowLimiter } from '../../support/sliding-window-limiter.js';

/**
 * Sliding-window counters of model uses and the tokens they spent, per key (a conversation, or the whole node). The
 * in-memory one is here; its Redis twin, shared by several nodes, is redis-model-answer-budget.ts beside it. A "use"
 * is one answer (all its model calls and its one retry), one quiz written, one translation draft.
 */
/** Counts model uses and tokens per key. Async, so counters shared by several nodes (Redis) can implement it. */
export interface ModelAnswerBudget {
  /**
   * Takes one model use from the key's budget; false (and nothing taken) when the current window's uses are used up,
   * or its tokens are.
   */
  tryConsume(key: string): Promise<boolean>;
  /** Adds tokens a use spent (prompt and completion) to the key's window. */
  recordTokens(key: string, tokens: number): Promise<void>;
}

export interface InMemoryModelAnswerBudgetOptions {
  /** Model uses allowed per key per window. */
  readonly answersPerWindow: number;
  /** Tokens allowed per key per window; once reached, no new use starts. @default no token limit */
  readonly tokensPerWindow?: number;
  /** The sliding window. @default one hour */
  readonly windowMs?: number;
  /** Keys tracked at most; the least recently active are forgotten first. @default 50000 */
  readonly maxConversations?: number;
  /** Clock, for tests. @default Date.now */
  readonly now?: () => number;
}

/**
 * Sliding-window counters in this process's memory, bounded in the number of keys tracked: two windows of the one
 * limiter (src/support/sliding-window-limiter.ts), uses and tokens.
 */
export function createInMemoryModelAnswerBudget(options: InMemoryModelAnswerBudgetOptions): ModelAnswerBudget {
  const tokensPerWindow = options.tokensPerWindow ?? Number.POSITIVE_INFINITY;
  const window = { windowMs: options.windowMs ?? 60 * 60_000, maxKeys: options.maxConversations ?? 50_000, now: options.now ?? Date.now };
  const uses = createSlidingWindowLimiter({ ...window, limit: options.answersPerWindow });
  const tokens = createSlidingWindowLimiter({ ...window, limit: tokensPerWindow });

  return {
    async tryConsume(key) {
      if (tokens.count(key) >= tokensPerWindow) return false;
      return uses.tryTake(key).allowed;
    },
    async recordTokens(key, spent) {
      if (spent > 0) tokens.add(key, Math.ceil(spent));
    },
  };
}

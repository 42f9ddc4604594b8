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

interface KeyWindow {
  /** Start times of the uses in the window, oldest first. */
  uses: number[];
  /** Tokens spent in the window, oldest first. */
  tokens: { at: number; count: number }[];
}

/** Sliding-window counters in this process's memory, bounded in the number of keys tracked. */
export function createInMemoryModelAnswerBudget(options: InMemoryModelAnswerBudgetOptions): ModelAnswerBudget {
  const windowMs = options.windowMs ?? 60 * 60_000;
  const maxConversations = options.maxConversations ?? 50_000;
  const tokensPerWindow = options.tokensPerWindow ?? Number.POSITIVE_INFINITY;
  const now = options.now ?? Date.now;
  /** The Map is in recency order. */
  const windows = new Map<string, KeyWindow>();

  /** The key's window with entries older than the window dropped, moved to the most recent position. */
  function current(key: string, at: number): KeyWindow {
    const found = windows.get(key) ?? { uses: [], tokens: [] };
    windows.delete(key);
    found.uses = found.uses.filter((time) => at - time < windowMs);
    found.tokens = found.tokens.filter((entry) => at - entry.at < windowMs);
    windows.set(key, found);
    while (windows.size > maxConversations) windows.delete(windows.keys().next().value as string);
    return found;
  }

  return {
    async tryConsume(key) {
      const at = now();
      const window = current(key, at);
      const spent = window.tokens.reduce((sum, entry) => sum + entry.count, 0);
      if (window.uses.length >= options.answersPerWindow || spent >= tokensPerWindow) return false;
      window.uses.push(at);
      return true;
    },
    async recordTokens(key, tokens) {
      if (!(tokens > 0)) return;
      const at = now();
      current(key, at).tokens.push({ at, count: Math.ceil(tokens) });
    },
  };
}

/**
 * One sliding-window counter for every "at most N per window" rule of the tutor (asks per connection, asks per
 * conversation, conversations created per address, model uses and tokens per conversation and per node). Each key keeps
 * the times of its hits inside the window, so a refusal can say exactly when the oldest hit leaves it.
 */
export type SlidingWindowVerdict =
  | { readonly allowed: true; readonly remaining: number }
  | {
      readonly allowed: false;
      /** Milliseconds until the oldest hit leaves the window and one more is allowed (at least 1). */
      readonly retryAfterMs: number;
    };

export interface SlidingWindowLimiter {
  /** Records one hit for the key when the window has room; nothing is recorded when it is refused. */
  tryTake(key: string): SlidingWindowVerdict;
  /**
   * Records a hit of size `amount` whatever the window holds (something already spent, such as a model call's
   * tokens): it counts against later `tryTake`s until it leaves the window. Nothing for an amount that is not positive.
   */
  add(key: string, amount: number): void;
  /** Size of the key's hits still inside the window (each `tryTake` counts 1). */
  count(key: string): number;
  /** Forgets a key (e.g. a closed connection). */
  forget(key: string): void;
  /** Keys tracked right now (bounded by `maxKeys`). */
  size(): number;
}

export interface SlidingWindowLimiterOptions {
  /** Hits allowed per key inside one window (their sizes, where `add` records larger ones); may be Infinity. */
  readonly limit: number;
  /** Length of the window. @default 60000 (one minute) */
  readonly windowMs?: number;
  /** Keys tracked at most; the least recently hit are forgotten first (their windows are the oldest). @default 50000 */
  readonly maxKeys?: number;
  /** Clock, for tests. @default Date.now */
  readonly now?: () => number;
}

/** Seconds a client should wait for a refused verdict: rounded up, at least 1. */
export function retryAfterSeconds(verdict: { readonly retryAfterMs: number }): number {
  return Math.max(1, Math.ceil(verdict.retryAfterMs / 1000));
}

/** The hits of one key inside the window, oldest first, with their sizes and the sum of the sizes. */
interface KeyHits {
  readonly times: number[];
  readonly amounts: number[];
  total: number;
}

export function createSlidingWindowLimiter(options: SlidingWindowLimiterOptions): SlidingWindowLimiter {
  const windowMs = options.windowMs ?? 60_000;
  const maxKeys = options.maxKeys ?? 50_000;
  const now = options.now ?? Date.now;
  /** Hits per key; the Map is in order of each key's latest hit. */
  const hits = new Map<string, KeyHits>();

  const inWindow = (key: string, at: number): KeyHits | undefined => {
    const found = hits.get(key);
    if (!found) return undefined;
    let expired = 0;
    while (expired < found.times.length && at - (found.times[expired] as number) >= windowMs) {
      found.total -= found.amounts[expired] as number;
      expired += 1;
    }
    if (expired > 0) {
      found.times.splice(0, expired);
      found.amounts.splice(0, expired);
    }
    if (found.times.length === 0) {
      hits.delete(key);
      return undefined;
    }
    return found;
  };
  const record = (key: string, at: number, amount: number): KeyHits => {
    const found = inWindow(key, at) ?? { times: [], amounts: [], total: 0 };
    found.times.push(at);
    found.amounts.push(amount);
    found.total += amount;
    hits.delete(key);
    hits.set(key, found);
    while (hits.size > maxKeys) hits.delete(hits.keys().next().value as string);
    return found;
  };
  /** Milliseconds until enough of the oldest hits leave the window that one more fits under the limit. */
  const retryAfter = (found: KeyHits, at: number): number => {
    let left = found.total;
    for (let index = 0; index < found.times.length; index += 1) {
      left -= found.amounts[index] as number;
      if (left < options.limit) return Math.max(1, windowMs - (at - (found.times[index] as number)));
    }
    return windowMs;
  };

  return {
    tryTake(key) {
      const at = now();
      const found = inWindow(key, at);
      if ((found?.total ?? 0) >= options.limit)
        return { allowed: false, retryAfterMs: found === undefined ? windowMs : retryAfter(found, at) };
      return { allowed: true, remaining: options.limit - record(key, at, 1).total };
    },
    add(key, amount) {
      if (amount > 0) record(key, now(), amount);
    },
    count: (key) => inWindow(key, now())?.total ?? 0,
    forget: (key) => void hits.delete(key),
    size: () => hits.size,
  };
}

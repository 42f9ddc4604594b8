/**
 * One sliding-window counter for every "at most N per window" rule of the tutor (asks per connection, asks per
 * conversation, conversations created per address; the model answer budget may use it too). Each key keeps the times
 * of its hits inside the window, so a refusal can say exactly when the oldest hit leaves it.
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
  /** Hits of the key still inside the window. */
  count(key: string): number;
  /** Forgets a key (e.g. a closed connection). */
  forget(key: string): void;
  /** Keys tracked right now (bounded by `maxKeys`). */
  size(): number;
}

export interface SlidingWindowLimiterOptions {
  /** Hits allowed per key inside one window. */
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

export function createSlidingWindowLimiter(options: SlidingWindowLimiterOptions): SlidingWindowLimiter {
  const windowMs = options.windowMs ?? 60_000;
  const maxKeys = options.maxKeys ?? 50_000;
  const now = options.now ?? Date.now;
  /** Hit times per key, oldest first; the Map is in order of each key's latest hit. */
  const hits = new Map<string, number[]>();

  const inWindow = (key: string, at: number): number[] => {
    const times = hits.get(key);
    if (!times) return [];
    let expired = 0;
    while (expired < times.length && at - (times[expired] as number) >= windowMs) expired += 1;
    if (expired > 0) times.splice(0, expired);
    if (times.length === 0) hits.delete(key);
    return times;
  };

  return {
    tryTake(key) {
      const at = now();
      const times = inWindow(key, at);
      if (times.length >= options.limit) {
        return { allowed: false, retryAfterMs: Math.max(1, windowMs - (at - (times[0] as number))) };
      }
      times.push(at);
      hits.delete(key);
      hits.set(key, times);
      while (hits.size > maxKeys) hits.delete(hits.keys().next().value as string);
      return { allowed: true, remaining: options.limit - times.length };
    },
    count: (key) => inWindow(key, now()).length,
    forget: (key) => void hits.delete(key),
    size: () => hits.size,
  };
}

import { type ClientRateLimitInfo, MemoryStore, type Options as RateLimitOptions, type Store } from 'express-rate-limit';
import type { Redis, Result } from 'ioredis';

declare module 'ioredis' {
  interface RedisCommander<Context> {
    /** INCR the key, giving it the window as TTL when it has none; replies [hits, milliseconds to reset]. */
    tutorRateLimitHit(key: string, windowMs: number): Result<[number, number], Context>;
    /** DECR the key if it still exists (never creates a key without a TTL). */
    tutorRateLimitUndo(key: string): Result<number, Context>;
  }
}

const HIT_SCRIPT = `
local hits = redis.call('INCR', KEYS[1])
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then
  redis.call('PEXPIRE', KEYS[1], ARGV[1])
  ttl = tonumber(ARGV[1])
end
return { hits, ttl }
`;

const UNDO_SCRIPT = `
if redis.call('EXISTS', KEYS[1]) == 1 then
  return redis.call('DECR', KEYS[1])
end
return 0
`;

export interface RedisRateLimitStoreOptions {
  /** A connection that fails fast while Redis is down (see `connectRedis`). Not closed by the store. */
  readonly client: Redis;
  /** Prepended to every counter key. @default 'tutor:rate-limit:' */
  readonly keyPrefix?: string;
  /** Runs each Redis command, e.g. to track outages (`RedisHealth.run`). @default runs it as is */
  readonly runCommand?: <T>(command: () => Promise<T>) => Promise<T>;
}

/**
 * express-rate-limit counters in Redis, so a client's requests count against one limit whichever node serves them
 * (a fixed window per key: INCR, with the window as TTL set by the first hit). While Redis is unreachable the store
 * counts in this node's memory instead, so limits still hold per node and express-rate-limit never logs a store error
 * per request; the outage itself is logged once by the connection's health tracking.
 */
export class RedisRateLimitStore implements Store {
  readonly localKeys = false;
  readonly prefix: string;
  private readonly client: Redis;
  private readonly runCommand: <T>(command: () => Promise<T>) => Promise<T>;
  private readonly fallback = new MemoryStore();
  private windowMs = 60_000;

  constructor(options: RedisRateLimitStoreOptions) {
    this.client = options.client;
    this.prefix = options.keyPrefix ?? 'tutor:rate-limit:';
    this.runCommand = options.runCommand ?? ((command) => command());
    if (typeof this.client.tutorRateLimitHit !== 'function') {
      this.client.defineCommand('tutorRateLimitHit', { numberOfKeys: 1, lua: HIT_SCRIPT });
      this.client.defineCommand('tutorRateLimitUndo', { numberOfKeys: 1, lua: UNDO_SCRIPT });
    }
  }

  init(options: RateLimitOptions): void {
    this.windowMs = options.windowMs;
    this.fallback.init(options);
  }

  async get(key: string): Promise<ClientRateLimitInfo | undefined> {
    try {
      const [hits, ttl] = await this.runCommand(() =>
        Promise.all([this.client.get(this.prefix + key), this.client.pttl(this.prefix + key)]),
      );
      if (hits === null || ttl < 0) return undefined;
      return { totalHits: Number(hits), resetTime: new Date(Date.now() + ttl) };
    } catch {
      return this.fallback.get(key);
    }
  }

  async increment(key: string): Promise<ClientRateLimitInfo> {
    try {
      const [hits, ttl] = await this.runCommand(() => this.client.tutorRateLimitHit(this.prefix + key, this.windowMs));
      return { totalHits: hits, resetTime: new Date(Date.now() + ttl) };
    } catch {
      return this.fallback.increment(key);
    }
  }

  async decrement(key: string): Promise<void> {
    try {
      await this.runCommand(() => this.client.tutorRateLimitUndo(this.prefix + key));
    } catch {
      await this.fallback.decrement(key);
    }
  }

  async resetKey(key: string): Promise<void> {
    await Promise.all([this.runCommand(() => this.client.del(this.prefix + key)).catch(() => undefined), this.fallback.resetKey(key)]);
  }

  shutdown(): void {
    this.fallback.shutdown();
  }
}

export function createRedisRateLimitStore(options: RedisRateLimitStoreOptions): RedisRateLimitStore {
  return new RedisRateLimitStore(options);
}

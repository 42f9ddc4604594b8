import { randomBytes } from 'node:crypto';
import type { Redis, Result } from 'ioredis';
import { createInMemoryModelAnswerBudget, type ModelAnswerBudget } from './model-answer-budget.js';

declare module 'ioredis' {
  interface RedisCommander<Context> {
    /** Sliding-window take: 1 when taken, 0 when the window's uses or tokens are spent. Uses Redis's clock. */
    tutorTakeModelUse(
      usesKey: string,
      tokensKey: string,
      windowMs: number,
      limit: number,
      tokenLimit: number,
      member: string,
    ): Result<number, Context>;
    /** Adds spent tokens to the window (member `<unique>:<tokens>`). */
    tutorRecordModelTokens(tokensKey: string, windowMs: number, member: string): Result<number, Context>;
  }
}

/** Token limit 0 means none. Token entries are members `<unique>:<count>` scored by time. */
const TAKE_SCRIPT = `
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local window = tonumber(ARGV[1])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[2]) then
  return 0
end
local tokenLimit = tonumber(ARGV[3])
if tokenLimit > 0 then
  redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', now - window)
  local spent = 0
  for _, member in ipairs(redis.call('ZRANGE', KEYS[2], 0, -1)) do
    spent = spent + tonumber(string.match(member, ':(%d+)$') or '0')
  end
  if spent >= tokenLimit then
    return 0
  end
end
redis.call('ZADD', KEYS[1], now, ARGV[4])
redis.call('PEXPIRE', KEYS[1], window)
return 1
`;

const RECORD_SCRIPT = `
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
redis.call('ZADD', KEYS[1], now, ARGV[2])
redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[1]))
return 1
`;

export interface RedisModelAnswerBudgetOptions {
  /** A connection that fails fast while Redis is down (see `connectRedis`). Not closed by the budget. */
  readonly client: Redis;
  /** Model uses allowed per conversation per window (LLM_ANSWERS_PER_CONVERSATION_PER_HOUR). */
  readonly answersPerWindow: number;
  /** Tokens allowed per conversation per window (LLM_TOKENS_PER_CONVERSATION_PER_HOUR). @default no token limit */
  readonly tokensPerWindow?: number;
  /** The sliding window. @default one hour */
  readonly windowMs?: number;
  /** Prepended to every key. @default 'tutor:model-answers:' */
  readonly keyPrefix?: string;
  /** Runs each Redis command, e.g. to track outages (`RedisHealth.run`). @default runs it as is */
  readonly runCommand?: <T>(command: () => Promise<T>) => Promise<T>;
}

/**
 * The per-conversation model budget in Redis (sorted sets of use times and of spent tokens per conversation, expiring
 * with the window), so a conversation spread over several nodes still gets LLM_ANSWERS_PER_CONVERSATION_PER_HOUR uses
 * and LLM_TOKENS_PER_CONVERSATION_PER_HOUR tokens in all. While Redis is unreachable each node counts in its own
 * memory: the budget still holds, per node.
 */
export function createRedisModelAnswerBudget(options: RedisModelAnswerBudgetOptions): ModelAnswerBudget {
  const { client, answersPerWindow } = options;
  const windowMs = options.windowMs ?? 60 * 60_000;
  const tokensPerWindow = options.tokensPerWindow ?? 0;
  const prefix = options.keyPrefix ?? 'tutor:model-answers:';
  const runCommand = options.runCommand ?? (<T>(command: () => Promise<T>) => command());
  const fallback = createInMemoryModelAnswerBudget({
    answersPerWindow,
    windowMs,
    ...(tokensPerWindow > 0 ? { tokensPerWindow } : {}),
  });
  if (typeof client.tutorTakeModelUse !== 'function') client.defineCommand('tutorTakeModelUse', { numberOfKeys: 2, lua: TAKE_SCRIPT });
  if (typeof client.tutorRecordModelTokens !== 'function')
    client.defineCommand('tutorRecordModelTokens', { numberOfKeys: 1, lua: RECORD_SCRIPT });
  const unique = (): string => `${Date.now()}-${randomBytes(6).toString('hex')}`;

  return {
    async tryConsume(key) {
      try {
        const taken = await runCommand(() =>
          client.tutorTakeModelUse(prefix + key, `${prefix}${key}:tokens`, windowMs, answersPerWindow, tokensPerWindow, unique()),
        );
        return taken === 1;
      } catch {
        return fallback.tryConsume(key);
      }
    },
    async recordTokens(key, tokens) {
      if (!(tokens > 0)) return;
      try {
        await runCommand(() => client.tutorRecordModelTokens(`${prefix}${key}:tokens`, windowMs, `${unique()}:${Math.ceil(tokens)}`));
      } catch {
        await fallback.recordTokens(key, tokens);
      }
    },
  };
}

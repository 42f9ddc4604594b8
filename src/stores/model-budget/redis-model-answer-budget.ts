import { randomBytes } from 'node:crypto';
import type { Redis, Result } from 'ioredis';
import { createInMemoryModelAnswerBudget, type ModelAnswerBudget } from './model-answer-budget.js';

declare module 'ioredis' {
  interface RedisCommander<Context> {
    /** Sliding-window take: 1 when taken, 0 when the window is full. Uses Redis's clock, so nodes' clocks may differ. */
    tutorTakeModelAnswer(key: string, windowMs: number, limit: number, member: string): Result<number, Context>;
  }
}

const TAKE_SCRIPT = `
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local window = tonumber(ARGV[1])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[2]) then
  return 0
end
redis.call('ZADD', KEYS[1], now, ARGV[3])
redis.call('PEXPIRE', KEYS[1], window)
return 1
`;

export interface RedisModelAnswerBudgetOptions {
  /** A connection that fails fast while Redis is down (see `connectRedis`). Not closed by the budget. */
  readonly client: Redis;
  /** Model answers allowed per conversation per window (LLM_ANSWERS_PER_CONVERSATION_PER_HOUR). */
  readonly answersPerWindow: number;
  /** The sliding window. @default one hour */
  readonly windowMs?: number;
  /** Prepended to every key. @default 'tutor:model-answers:' */
  readonly keyPrefix?: string;
  /** Runs each Redis command, e.g. to track outages (`RedisHealth.run`). @default runs it as is */
  readonly runCommand?: <T>(command: () => Promise<T>) => Promise<T>;
}

/**
 * The per-conversation model-answer budget in Redis (a sorted set of answer times per conversation, expiring with the
 * window), so a conversation spread over several nodes still gets LLM_ANSWERS_PER_CONVERSATION_PER_HOUR model answers
 * in all. While Redis is unreachable each node counts in its own memory: the budget still holds, per node.
 */
export function createRedisModelAnswerBudget(options: RedisModelAnswerBudgetOptions): ModelAnswerBudget {
  const { client, answersPerWindow } = options;
  const windowMs = options.windowMs ?? 60 * 60_000;
  const prefix = options.keyPrefix ?? 'tutor:model-answers:';
  const runCommand = options.runCommand ?? (<T>(command: () => Promise<T>) => command());
  const fallback = createInMemoryModelAnswerBudget({ answersPerWindow, windowMs });
  if (typeof client.tutorTakeModelAnswer !== 'function')
    client.defineCommand('tutorTakeModelAnswer', { numberOfKeys: 1, lua: TAKE_SCRIPT });

  return {
    async tryConsume(conversationId) {
      try {
        const member = `${Date.now()}-${randomBytes(6).toString('hex')}`;
        return (await runCommand(() => client.tutorTakeModelAnswer(prefix + conversationId, windowMs, answersPerWindow, member))) === 1;
      } catch {
        return fallback.tryConsume(conversationId);
      }
    },
  };
}

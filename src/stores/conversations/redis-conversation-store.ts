import type { Redis } from 'ioredis';
import { TutorError } from '../../errors/tutor-error.js';
import type { Logger } from '../../support/logger.js';
import type { ConversationStore, StoredConversation, StoredTurn } from './conversation-store.js';
import { createRedisConversationIndex } from './redis-conversation-index.js';

export interface RedisConversationStoreOptions {
  /** A connection that fails fast while Redis is down (see `connectRedis`). Not closed by the store. */
  readonly client: Redis;
  readonly logger: Logger;
  /** Turns kept per conversation, the transcript (older ones are trimmed on each append). */
  readonly maxTurns: number;
  /** Idle expiry: every write sets the keys' TTL to this. */
  readonly ttlMs: number;
  /** Conversations kept at most across all nodes; when full, one is evicted fairly (see fair-eviction.ts). @default 10000 */
  readonly maxConversations?: number;
  /** Conversations one owner may hold; its own least recently active goes when it creates one more. @default 1000 */
  readonly maxPerOwner?: number;
  /** Prepended to every key, so the tutor can share a Redis database with other applications. @default 'tutor:' */
  readonly keyPrefix?: string;
  /** Runs each Redis command, e.g. to track outages (`RedisHealth.run`). @default runs it as is */
  readonly runCommand?: <T>(command: () => Promise<T>) => Promise<T>;
}

/** Ids are made by the chat service (128 random bits, base64url); anything else never reaches Redis. */
const SAFE_ID = /^[A-Za-z0-9_-]{1,128}$/;

/**
 * Conversations in Redis, shared by every node: a hash `<prefix>conversation:{<id>}` (createdAt, updatedAt) and a list
 * `<prefix>conversation:{<id>}:turns` of JSON turns, capped at `maxTurns` and expiring together after `ttlMs` without
 * a write. Every failure to reach Redis becomes a `STORE_UNAVAILABLE` TutorError, which the chat service turns into an
 * answer without history.
 */
export function createRedisConversationStore(options: RedisConversationStoreOptions): ConversationStore {
  const { client, logger, maxTurns, ttlMs } = options;
  const prefix = options.keyPrefix ?? 'tutor:';
  const runCommand = options.runCommand ?? (<T>(command: () => Promise<T>) => command());
  // The hash tag {id} keeps both keys of a conversation in one slot, so MULTI also works on a Redis Cluster.
  const metaKey = (conversationId: string): string => `${prefix}conversation:{${conversationId}}`;
  const turnsKey = (conversationId: string): string => `${metaKey(conversationId)}:turns`;
  const index = createRedisConversationIndex({
    client,
    keyPrefix: prefix,
    ttlMs,
    maxConversations: options.maxConversations ?? 10_000,
    maxPerOwner: options.maxPerOwner ?? 1000,
  });

  async function exec(what: string, build: (multi: ReturnType<Redis['multi']>) => void): Promise<unknown[]> {
    let replies: [Error | null, unknown][] | null;
    try {
      replies = await runCommand(async () => {
        const multi = client.multi();
        build(multi);
        return multi.exec();
      });
    } catch (error) {
      throw new TutorError('STORE_UNAVAILABLE', `Could not ${what}: Redis did not answer`, { cause: error });
    }
    if (replies === null) throw new TutorError('STORE_UNAVAILABLE', `Could not ${what}: the Redis transaction was aborted`);
    return replies.map(([error, reply]) => {
      if (error) throw new TutorError('STORE_UNAVAILABLE', `Could not ${what}: ${error.message}`, { cause: error });
      return reply;
    });
  }

  function parseTurns(conversationId: string, entries: readonly string[]): StoredTurn[] {
    const turns: StoredTurn[] = [];
    for (const entry of entries) {
      try {
        const turn = JSON.parse(entry) as StoredTurn;
        if (typeof turn?.messageId === 'string' && typeof turn.question === 'string' && typeof turn.response?.answer === 'string')
          turns.push(turn);
        else throw new Error('not a turn');
      } catch (error) {
        logger.warn({ err: error, conversationId }, 'Skipped an unreadable turn stored in Redis');
      }
    }
    return turns;
  }

  return {
    async get(conversationId) {
      if (!SAFE_ID.test(conversationId)) return undefined;
      const [meta, entries] = (await exec('read the conversation', (multi) => {
        multi.hgetall(metaKey(conversationId)).lrange(turnsKey(conversationId), 0, -1);
      })) as [Record<string, string>, string[]];
      if (typeof meta.createdAt !== 'string') return undefined;
      const conversation: StoredConversation = {
        conversationId,
        turns: parseTurns(conversationId, entries).slice(-maxTurns),
        createdAt: meta.createdAt,
        updatedAt: meta.updatedAt ?? meta.createdAt,
      };
      return conversation;
    },

    async create(conversationId, createOptions = {}) {
      if (!SAFE_ID.test(conversationId)) throw new TutorError('INVALID_REQUEST', 'Invalid conversation id');
      const timestamp = new Date().toISOString();
      let evicted: string[];
      try {
        evicted = await runCommand(() => index.register(conversationId, createOptions.owner ?? ''));
      } catch (error) {
        throw new TutorError('STORE_UNAVAILABLE', 'Could not start the conversation: Redis did not answer', { cause: error });
      }
      // One DEL per evicted conversation: its two keys share a slot, different conversations need not.
      await Promise.all(
        evicted
          .filter((victim) => SAFE_ID.test(victim))
          .map((victim) => exec('evict a conversation', (multi) => void multi.del(metaKey(victim), turnsKey(victim)))),
      );
      await exec('start the conversation', (multi) => {
        multi.hset(metaKey(conversationId), { createdAt: timestamp, updatedAt: timestamp }).pexpire(metaKey(conversationId), ttlMs);
      });
      return { conversationId, turns: [], createdAt: timestamp, updatedAt: timestamp };
    },

    async appendTurn(conversationId, turn) {
      if (!SAFE_ID.test(conversationId)) throw new TutorError('INVALID_REQUEST', 'Invalid conversation id');
      const meta = metaKey(conversationId);
      const turns = turnsKey(conversationId);
      await exec('save the turn', (multi) => {
        multi
          .hsetnx(meta, 'createdAt', turn.createdAt)
          .hset(meta, 'updatedAt', turn.createdAt)
          .rpush(turns, JSON.stringify(turn))
          .ltrim(turns, -maxTurns, -1)
          .pexpire(meta, ttlMs)
          .pexpire(turns, ttlMs);
      });
      await runCommand(() => index.touch(conversationId)).catch((error: unknown) => {
        // Only the eviction order is affected: the turn is saved.
        logger.debug({ err: error, conversationId }, 'Could not mark the conversation active in the index');
      });
    },

    async close() {
      // The connection belongs to whoever created it (createSharedState closes it).
    },
  };
}

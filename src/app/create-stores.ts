import path from 'node:path';
import { createAdapter } from '@socket.io/redis-adapter';
import type { Store as RateLimitStore } from 'express-rate-limit';
import type { TutorConfig } from '../config.js';
import type { TutorSocketServer } from '../server/socket-gateway.js';
import { type ConversationStore, createInMemoryConversationStore } from '../stores/conversations/conversation-store.js';
import { createRedisConversationStore } from '../stores/conversations/redis-conversation-store.js';
import { createFileFeedbackStore, createRedisFeedbackStore, type FeedbackStore } from '../stores/feedback/feedback-store.js';
import type { ModelAnswerBudget } from '../stores/model-budget/model-answer-budget.js';
import { createRedisModelAnswerBudget } from '../stores/model-budget/redis-model-answer-budget.js';
import { createRedisRateLimitStore } from '../stores/rate-limits/redis-rate-limit-store.js';
import { connectRedis, type RedisHealth } from '../stores/redis/redis-connection.js';
import type { Logger } from '../support/logger.js';

/**
 * State that several server nodes must share to behave as one: conversations, rate-limit counters and socket.io
 * rooms. In one process everything stays in memory.
 */
export interface Stores {
  readonly conversations: ConversationStore;
  /** Shared rate-limit counters; undefined means express-rate-limit's per-process memory store. */
  readonly rateLimitStore?: RateLimitStore;
  /** Model answers per conversation (LLM mode) counted across nodes; undefined means per-process counters. */
  readonly modelAnswerBudget?: ModelAnswerBudget;
  /** Installs a socket.io adapter that spans nodes; undefined in a single process. */
  readonly configureSocketServer?: (io: TutorSocketServer) => void;
  /** e.g. `memory` or `redis://host:6379` (no password), for logs and health. */
  readonly description: string;
  /** Whether Redis answers right now; absent in memory mode. */
  readonly redisHealth?: RedisHealth;
  /** Learners' feedback: a JSON-lines file under DATA_DIR, or a Redis list shared by every node. */
  readonly feedback: FeedbackStore;
  close(): Promise<void>;
}

/** Every key and pub/sub channel the tutor uses in Redis starts with this. */
export const REDIS_KEY_PREFIX = 'tutor:';

/**
 * With `config.redisUrl`: conversations in Redis (idle TTL, capped turns), HTTP rate-limit counters and model-answer
 * budgets in Redis, and the socket.io Redis adapter. A node whose Redis is down keeps answering (without history, limits per node) and recovers
 * by itself. Without it: everything in this process's memory.
 */
export async function createStores(deps: { readonly config: TutorConfig; readonly logger: Logger }): Promise<Stores> {
  const { config, logger } = deps;
  if (config.redisUrl === undefined) {
    const conversations = createInMemoryConversationStore({
      maxTurns: config.transcriptTurns,
      ttlMs: config.conversationTtlMs,
      maxConversations: config.maxConversations,
      maxPerOwner: config.conversationLimits.perAddress,
    });
    return {
      conversations,
      feedback: createFileFeedbackStore(path.join(config.dataDir, 'feedback', 'feedback.jsonl')),
      description: 'memory',
      close: () => conversations.close(),
    };
  }

  const redis = await connectRedis({ url: config.redisUrl, logger });
  const runCommand = <T>(command: () => Promise<T>): Promise<T> => redis.health.run(command);
  const conversations = createRedisConversationStore({
    client: redis.client,
    logger,
    maxTurns: config.transcriptTurns,
    ttlMs: config.conversationTtlMs,
    maxConversations: config.maxConversations,
    maxPerOwner: config.conversationLimits.perAddress,
    keyPrefix: REDIS_KEY_PREFIX,
    runCommand,
  });
  const rateLimitStore = createRedisRateLimitStore({ client: redis.client, keyPrefix: `${REDIS_KEY_PREFIX}rate-limit:`, runCommand });
  const modelAnswerBudget = createRedisModelAnswerBudget({
    client: redis.client,
    answersPerWindow: config.llmBudget.answersPerConversationPerHour,
    tokensPerWindow: config.llmBudget.tokensPerConversationPerHour,
    keyPrefix: `${REDIS_KEY_PREFIX}model-answers:`,
    runCommand,
  });
  return {
    conversations,
    feedback: createRedisFeedbackStore(redis.client, `${REDIS_KEY_PREFIX}feedback`),
    rateLimitStore,
    modelAnswerBudget,
    configureSocketServer: (io) => {
      io.adapter(createAdapter(redis.publisher, redis.subscriber, { key: `${REDIS_KEY_PREFIX}socket.io` }));
    },
    description: redis.description,
    redisHealth: redis.health,
    async close() {
      rateLimitStore.shutdown();
      await conversations.close();
      await redis.close();
    },
  };
}

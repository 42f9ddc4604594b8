import path from 'node:path';
import type { Store as RateLimitStore } from 'express-rate-limit';
import type { TutorConfig } from '../config.js';
import type { TutorSocketServer } from '../server/socket-gateway.js';
import { type ConversationStore, createInMemoryConversationStore } from '../stores/conversations/conversation-store.js';
import { createFileFeedbackStore, type FeedbackStore } from '../stores/feedback/feedback-store.js';
import type { ModelAnswerBudget } from '../stores/model-budget/model-answer-budget.js';
import type { RedisHealth } from '../stores/redis/redis-connection.js';
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
 * by itself. Without it: everything in this process's memory, and the Redis client and socket.io adapter are never loaded
 * (create-redis-stores.ts is imported only with REDIS_URL).
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

  const { createRedisStores } = await import('./create-redis-stores.js');
  return createRedisStores({ config, logger, url: config.redisUrl });
}

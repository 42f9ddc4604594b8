import { createAdapter } from '@socket.io/redis-adapter';
import type { TutorConfig } from '../config.js';
import { createRedisConversationStore } from '../stores/conversations/redis-conversation-store.js';
import { createRedisFeedbackStore } from '../stores/feedback/feedback-store.js';
import { createRedisModelAnswerBudget } from '../stores/model-budget/redis-model-answer-budget.js';
import { createRedisRateLimitStore } from '../stores/rate-limits/redis-rate-limit-store.js';
import { connectRedis } from '../stores/redis/redis-connection.js';
import type { Logger } from '../support/logger.js';
import { REDIS_KEY_PREFIX, type Stores } from './create-stores.js';

/**
 * The shared stores of createStores (create-stores.ts) with REDIS_URL set: conversations, rate-limit counters, model
 * budgets and feedback in Redis at `url`, and the socket.io Redis adapter. A module of its own so that a start without
 * REDIS_URL never loads ioredis or the adapter.
 */
export async function createRedisStores(deps: {
  readonly config: TutorConfig;
  readonly logger: Logger;
  readonly url: string;
}): Promise<Stores> {
  const { config, logger } = deps;
  const redis = await connectRedis({ url: deps.url, logger });
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

import type { Store as RateLimitStore } from 'express-rate-limit';
import type { TutorConfig } from '../config.js';
import { createInMemoryConversationStore, type ConversationStore } from '../conversations/conversation-store.js';
import type { TutorSocketServer } from '../server/socket-gateway.js';
import type { Logger } from './logger.js';

/**
 * State that several server nodes must share to behave as one: conversations, rate-limit counters and socket.io
 * rooms. In one process everything stays in memory.
 */
export interface SharedState {
  readonly conversations: ConversationStore;
  /** Shared rate-limit counters; undefined means express-rate-limit's per-process memory store. */
  readonly rateLimitStore?: RateLimitStore;
  /** Installs a socket.io adapter that spans nodes; undefined in a single process. */
  readonly configureSocketServer?: (io: TutorSocketServer) => void;
  /** e.g. `memory` or `redis://host:6379` (no password), for logs and health. */
  readonly description: string;
  close(): Promise<void>;
}

export async function createSharedState(deps: { readonly config: TutorConfig; readonly logger: Logger }): Promise<SharedState> {
  const { config } = deps;
  const conversations = createInMemoryConversationStore({
    maxTurns: config.historyTurns,
    ttlMs: config.conversationTtlMs,
    maxConversations: config.maxConversations,
  });
  return { conversations, description: 'memory', close: () => conversations.close() };
}

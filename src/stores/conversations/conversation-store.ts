import type { Language } from '../../ingest/chunk-types.js';
import type { ChatResponse } from '../../shared/chat-protocol.js';

/** One question and its answer, as kept in a conversation. */
export interface StoredTurn {
  readonly messageId: string;
  readonly question: string;
  readonly response: Omit<ChatResponse, 'conversationId'>;
  readonly language: Language;
  readonly createdAt: string;
}

export interface StoredConversation {
  readonly conversationId: string;
  readonly turns: readonly StoredTurn[];
  readonly createdAt: string;
  readonly updatedAt: string;
}

/**
 * Where conversations live. Implementations bound what they keep (the last `maxTurns` turns, idle expiry) and may
 * be shared by several server nodes (Redis).
 */
export interface ConversationStore {
  get(conversationId: string): Promise<StoredConversation | undefined>;
  /** Creates an empty conversation with the given (already random) id. */
  create(conversationId: string): Promise<StoredConversation>;
  /** Appends a turn, keeping only the newest `maxTurns`, and refreshes the idle expiry. */
  appendTurn(conversationId: string, turn: StoredTurn): Promise<void>;
  close(): Promise<void>;
}

export interface InMemoryConversationStoreOptions {
  /** Turns kept per conversation. @default 10 */
  readonly maxTurns?: number;
  /** A conversation untouched this long is forgotten. @default 2 hours */
  readonly ttlMs?: number;
  /** Conversations kept at most; the least recently used go first. @default 10000 */
  readonly maxConversations?: number;
  /** Clock, for tests. @default Date.now */
  readonly now?: () => number;
}

/** The default store: a Map in insertion (= recency) order, bounded in size and idle time. */
export function createInMemoryConversationStore(options: InMemoryConversationStoreOptions = {}): ConversationStore {
  const maxTurns = options.maxTurns ?? 10;
  const ttlMs = options.ttlMs ?? 2 * 60 * 60_000;
  const maxConversations = options.maxConversations ?? 10_000;
  const now = options.now ?? Date.now;
  const conversations = new Map<string, { conversation: StoredConversation; touchedAt: number }>();

  const live = (conversationId: string): StoredConversation | undefined => {
    const entry = conversations.get(conversationId);
    if (!entry) return undefined;
    if (now() - entry.touchedAt > ttlMs) {
      conversations.delete(conversationId);
      return undefined;
    }
    return entry.conversation;
  };
  const put = (conversation: StoredConversation): void => {
    conversations.delete(conversation.conversationId);
    conversations.set(conversation.conversationId, { conversation, touchedAt: now() });
    while (conversations.size > maxConversations) {
      const oldest = conversations.keys().next().value as string;
      conversations.delete(oldest);
    }
  };

  return {
    async get(conversationId) {
      return live(conversationId);
    },
    async create(conversationId) {
      const timestamp = new Date(now()).toISOString();
      const conversation: StoredConversation = { conversationId, turns: [], createdAt: timestamp, updatedAt: timestamp };
      put(conversation);
      return conversation;
    },
    async appendTurn(conversationId, turn) {
      const existing = live(conversationId);
      const base = existing ?? { conversationId, turns: [], createdAt: turn.createdAt, updatedAt: turn.createdAt };
      put({ ...base, turns: [...base.turns, turn].slice(-maxTurns), updatedAt: turn.createdAt });
    },
    async close() {
      conversations.clear();
    },
  };
}

import type { Language } from '../../ingest/chunk-types.js';
import type { ChatResponse } from '../../shared/chat-protocol.js';
import { pickEvictionOwner } from './fair-eviction.js';

/** One question and its answer, as kept in a conversation. */
export interface StoredTurn {
  readonly messageId: string;
  readonly question: string;
  readonly response: Omit<ChatResponse, 'conversationId'>;
  readonly language: Language;
  readonly createdAt: string;
  /** The style an explain-again turn was answered in, so explaining it in the other language keeps it. */
  readonly explainStyle?: 'simpler' | 'analogy';
}

export interface StoredConversation {
  readonly conversationId: string;
  /** The transcript, oldest first: at most the store's `maxTurns` (the tutor itself reads only the last HISTORY_TURNS). */
  readonly turns: readonly StoredTurn[];
  readonly createdAt: string;
  readonly updatedAt: string;
}

export interface CreateConversationOptions {
  /**
   * Who created it: an opaque key derived from the client's address (never the address itself). Bounds how many one
   * owner holds and whom the store evicts from when full. @default '' (one shared anonymous owner)
   */
  readonly owner?: string;
}

/**
 * Where conversations live. Implementations bound what they keep (the last `maxTurns` turns, idle expiry, a number of
 * conversations per owner and in all, evicting fairly) and may be shared by several server nodes (Redis).
 */
export interface ConversationStore {
  get(conversationId: string): Promise<StoredConversation | undefined>;
  /** Creates an empty conversation with the given (already random) id; may evict others (see fair-eviction.ts). */
  create(conversationId: string, options?: CreateConversationOptions): Promise<StoredConversation>;
  /** Appends a turn, keeping only the newest `maxTurns`, and refreshes the idle expiry. */
  appendTurn(conversationId: string, turn: StoredTurn): Promise<void>;
  close(): Promise<void>;
}

export interface InMemoryConversationStoreOptions {
  /** Turns kept per conversation (the transcript shown after a reload). @default 200 */
  readonly maxTurns?: number;
  /** A conversation untouched this long is forgotten. @default 2 hours */
  readonly ttlMs?: number;
  /** Conversations kept at most; when full, one is evicted fairly (see fair-eviction.ts). @default 10000 */
  readonly maxConversations?: number;
  /** Conversations one owner may hold; its own least recently active goes when it creates one more. @default 1000 */
  readonly maxPerOwner?: number;
  /** Clock, for tests. @default Date.now */
  readonly now?: () => number;
}

interface Entry {
  conversation: StoredConversation;
  touchedAt: number;
  readonly owner: string;
}

/** The default store: Maps in recency order (all, and per owner), bounded in size, per owner and in idle time. */
export function createInMemoryConversationStore(options: InMemoryConversationStoreOptions = {}): ConversationStore {
  const maxTurns = options.maxTurns ?? 200;
  const ttlMs = options.ttlMs ?? 2 * 60 * 60_000;
  const maxConversations = options.maxConversations ?? 10_000;
  const maxPerOwner = options.maxPerOwner ?? 1000;
  const now = options.now ?? Date.now;
  const conversations = new Map<string, Entry>();
  /** Each owner's conversation ids, least recently active first. */
  const byOwner = new Map<string, Map<string, Entry>>();

  const remove = (conversationId: string): void => {
    const entry = conversations.get(conversationId);
    if (!entry) return;
    conversations.delete(conversationId);
    const owned = byOwner.get(entry.owner);
    owned?.delete(conversationId);
    if (owned?.size === 0) byOwner.delete(entry.owner);
  };
  const live = (conversationId: string): Entry | undefined => {
    const entry = conversations.get(conversationId);
    if (!entry) return undefined;
    if (now() - entry.touchedAt > ttlMs) {
      remove(conversationId);
      return undefined;
    }
    return entry;
  };
  const touch = (conversationId: string, entry: Entry): void => {
    entry.touchedAt = now();
    conversations.delete(conversationId);
    conversations.set(conversationId, entry);
    let owned = byOwner.get(entry.owner);
    if (!owned) byOwner.set(entry.owner, (owned = new Map()));
    owned.delete(conversationId);
    owned.set(conversationId, entry);
  };
  /** Makes room for one more conversation of `owner`: expired ones first, then its own share, then the fair victim. */
  const makeRoom = (owner: string): void => {
    for (const [conversationId, entry] of conversations) {
      if (now() - entry.touchedAt <= ttlMs) break;
      remove(conversationId);
    }
    const own = byOwner.get(owner);
    while (own !== undefined && own.size >= maxPerOwner) remove(own.keys().next().value as string);
    while (conversations.size >= maxConversations) {
      const holdings = [...byOwner].map(([key, owned]): [string, { count: number; oldestTouchedAt: number }] => [
        key,
        { count: owned.size, oldestTouchedAt: (owned.values().next().value as Entry).touchedAt },
      ]);
      const victimOwner = pickEvictionOwner(holdings, maxConversations);
      const owned = victimOwner === undefined ? undefined : byOwner.get(victimOwner);
      if (!owned) break;
      remove(owned.keys().next().value as string);
    }
  };

  return {
    async get(conversationId) {
      return live(conversationId)?.conversation;
    },
    async create(conversationId, createOptions = {}) {
      const owner = createOptions.owner ?? '';
      const timestamp = new Date(now()).toISOString();
      const conversation: StoredConversation = { conversationId, turns: [], createdAt: timestamp, updatedAt: timestamp };
      remove(conversationId);
      makeRoom(owner);
      touch(conversationId, { conversation, touchedAt: now(), owner });
      return conversation;
    },
    async appendTurn(conversationId, turn) {
      let entry = live(conversationId);
      if (!entry) {
        // Evicted or expired while its answer was written: kept again, under the anonymous owner (evicted first when full).
        makeRoom('');
        entry = {
          conversation: { conversationId, turns: [], createdAt: turn.createdAt, updatedAt: turn.createdAt },
          touchedAt: now(),
          owner: '',
        };
      }
      const base = entry.conversation;
      entry.conversation = { ...base, turns: [...base.turns, turn].slice(-maxTurns), updatedAt: turn.createdAt };
      touch(conversationId, entry);
    },
    async close() {
      conversations.clear();
      byOwner.clear();
    },
  };
}

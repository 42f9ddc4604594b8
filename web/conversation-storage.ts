/**
 * Remembers, per tutor server and widget, the current conversation id (a reload restores it) and this browser's
 * recent conversations (to return to, titled by their first question). Storage can be unavailable (privacy modes,
 * sandboxed frames) or hold anything: then the widget simply starts fresh, and malformed entries are ignored.
 */
export interface RecentConversation {
  readonly conversationId: string;
  /** The first question, at most 80 characters. */
  readonly title: string;
  /** Last activity, milliseconds since the epoch. */
  readonly updatedAt: number;
}

export interface ConversationStorage {
  load(): string | undefined;
  save(conversationId: string): void;
  clear(): void;
  /** Most recent first, at most `maxRecent`. */
  recent(): RecentConversation[];
  /** Records activity in a conversation; the first title given is kept. */
  touch(conversationId: string, title: string, at?: number): void;
  forget(conversationId: string): void;
}

const PREFIX = 'tutor-chat:conversation:';
const RECENT_PREFIX = 'tutor-chat:recent:';
const ID = /^[\w-]{1,128}$/;

/** @param maxRecent how many recent conversations are kept. @default 10 */
export function createConversationStorage(server: string, storageKey: string, maxRecent = 10): ConversationStorage {
  const key = `${PREFIX}${server}#${storageKey}`;
  const recentKey = `${RECENT_PREFIX}${server}#${storageKey}`;
  const read = (name: string): string | undefined => {
    try {
      return window.localStorage.getItem(name) ?? undefined;
    } catch {
      return undefined;
    }
  };
  const write = (name: string, value: string | undefined): void => {
    try {
      if (value === undefined) window.localStorage.removeItem(name);
      else window.localStorage.setItem(name, value);
    } catch {
      // Quota or privacy mode: the conversation just will not survive a reload.
    }
  };
  const recent = (): RecentConversation[] => {
    let parsed: unknown;
    try {
      parsed = JSON.parse(read(recentKey) ?? '[]');
    } catch {
      return [];
    }
    if (!Array.isArray(parsed)) return [];
    return parsed
      .filter(
        (entry): entry is RecentConversation =>
          typeof entry === 'object' &&
          entry !== null &&
          typeof entry.conversationId === 'string' &&
          ID.test(entry.conversationId) &&
          typeof entry.title === 'string' &&
          typeof entry.updatedAt === 'number',
      )
      .map((entry) => ({ conversationId: entry.conversationId, title: entry.title.slice(0, 80), updatedAt: entry.updatedAt }))
      .sort((left, right) => right.updatedAt - left.updatedAt)
      .slice(0, maxRecent);
  };
  const saveRecent = (entries: readonly RecentConversation[]): void => write(recentKey, JSON.stringify(entries.slice(0, maxRecent)));
  return {
    load() {
      const value = read(key);
      return value !== undefined && ID.test(value) ? value : undefined;
    },
    save(conversationId) {
      write(key, conversationId);
    },
    clear() {
      write(key, undefined);
    },
    recent,
    touch(conversationId, title, at = Date.now()) {
      if (!ID.test(conversationId)) return;
      const entries = recent();
      const existing = entries.find((entry) => entry.conversationId === conversationId);
      const others = entries.filter((entry) => entry.conversationId !== conversationId);
      const kept = existing?.title !== undefined && existing.title !== '' ? existing.title : title.trim().replace(/\s+/g, ' ').slice(0, 80);
      saveRecent([{ conversationId, title: kept, updatedAt: at }, ...others]);
    },
    forget(conversationId) {
      saveRecent(recent().filter((entry) => entry.conversationId !== conversationId));
    },
  };
}

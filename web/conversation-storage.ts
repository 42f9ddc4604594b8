/**
 * Remembers the conversation id per tutor server and widget, so a reload restores the conversation. Storage can be
 * unavailable (privacy modes, sandboxed frames): then the widget simply starts fresh on every load.
 */
export interface ConversationStorage {
  load(): string | undefined;
  save(conversationId: string): void;
  clear(): void;
}

const PREFIX = 'tutor-chat:conversation:';

export function createConversationStorage(server: string, storageKey: string): ConversationStorage {
  const key = `${PREFIX}${server}#${storageKey}`;
  const storage = (): Storage | undefined => {
    try {
      return window.localStorage;
    } catch {
      return undefined;
    }
  };
  return {
    load() {
      try {
        const value = storage()?.getItem(key);
        return value !== null && value !== undefined && /^[\w-]{1,128}$/.test(value) ? value : undefined;
      } catch {
        return undefined;
      }
    },
    save(conversationId) {
      try {
        storage()?.setItem(key, conversationId);
      } catch {
        // Quota or privacy mode: the conversation just will not survive a reload.
      }
    },
    clear() {
      try {
        storage()?.removeItem(key);
      } catch {
        // Nothing stored, nothing to clear.
      }
    },
  };
}

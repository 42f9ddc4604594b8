import type { ConversationStorage } from '../conversation-storage.js';
import { h, icon } from '../dom.js';
import { relativeTime, type WidgetLanguage, type WidgetStrings } from '../widget-i18n.js';

/**
 * The header's "recent chats" menu: this browser's conversations with this tutor (titled by their first question,
 * newest first) to return to. A disclosure button and a list; Escape or choosing closes it.
 */
export interface HistoryMenu {
  readonly button: HTMLButtonElement;
  readonly list: HTMLElement;
  readonly isOpen: boolean;
  toggle(open: boolean): void;
}

export function createHistoryMenu(options: {
  readonly strings: WidgetStrings;
  readonly language: WidgetLanguage;
  readonly listId: string;
  readonly storage: () => ConversationStorage | undefined;
  readonly current: () => string | undefined;
  readonly choose: (conversationId: string) => void;
}): HistoryMenu {
  const s = options.strings;
  const button = h(
    'button',
    { type: 'button', class: 'header-button history', 'aria-expanded': 'false', 'aria-controls': options.listId, title: s.recentChats },
    icon('history'),
    h('span', { class: 'label' }, s.historyButton),
  );
  const list = h('nav', { class: 'history-list', id: options.listId, 'aria-label': s.recentChats, hidden: true });
  const render = (): void => {
    const now = new Date();
    const entries = (options.storage()?.recent() ?? []).filter((entry) => entry.conversationId !== options.current());
    const items = entries.map((entry) => {
      const choice = h(
        'button',
        { type: 'button', class: 'history-item', 'data-conversation-id': entry.conversationId },
        h('span', { class: 'history-title' }, entry.title === '' ? s.untitledChat : entry.title),
        h(
          'time',
          { class: 'history-time', datetime: new Date(entry.updatedAt).toISOString() },
          relativeTime(new Date(entry.updatedAt), now, options.language),
        ),
      );
      choice.addEventListener('click', () => {
        menu.toggle(false);
        options.choose(entry.conversationId);
      });
      return h('li', {}, choice);
    });
    list.replaceChildren(
      h('p', { class: 'history-heading' }, s.recentChats),
      items.length === 0 ? h('p', { class: 'history-empty' }, s.noRecentChats) : h('ul', {}, ...items),
    );
  };
  const menu: HistoryMenu = {
    button,
    list,
    get isOpen() {
      return !list.hidden;
    },
    toggle(open) {
      if (open) render();
      list.hidden = !open;
      button.setAttribute('aria-expanded', String(open));
      if (open) list.querySelector<HTMLElement>('button')?.focus();
    },
  };
  button.addEventListener('click', () => menu.toggle(list.hidden));
  return menu;
}

import { h, icon } from './dom.js';
import type { WidgetStrings } from './widget-i18n.js';
import type { WidgetOptions } from './widget-options.js';

/** The header buttons and the launcher: each a visible label (phones show it under the icon) besides its icon. */
export interface WidgetChrome {
  readonly launcher: HTMLButtonElement | undefined;
  readonly unread: HTMLElement;
  readonly quiz: HTMLButtonElement;
  readonly fresh: HTMLButtonElement;
  readonly expand: HTMLButtonElement | undefined;
  readonly close: HTMLButtonElement | undefined;
}

const headerButton = (className: string, name: Parameters<typeof icon>[0], label: string): HTMLButtonElement =>
  h('button', { type: 'button', class: `header-button ${className}`, title: label }, icon(name), h('span', { class: 'label' }, label));

export function createChrome(options: WidgetOptions, s: WidgetStrings, panelId: string): WidgetChrome {
  const floating = options.mode === 'floating';
  const unread = h('span', { class: 'unread', 'aria-hidden': 'true', hidden: true });
  const launcher = floating
    ? h(
        'button',
        { type: 'button', class: 'launcher', 'aria-expanded': 'false', 'aria-controls': panelId, 'aria-label': s.openChat },
        icon('chat'),
        h('span', { class: 'launcher-label', 'aria-hidden': 'true' }, options.title ?? s.defaultTitle),
        unread,
      )
    : undefined;
  const expand = floating ? headerButton('expand', 'expand', s.expand) : undefined;
  expand?.setAttribute('aria-pressed', 'false');
  return {
    launcher,
    unread,
    quiz: headerButton('quiz-me', 'quiz', s.quizMe),
    fresh: headerButton('new-conversation', 'newConversation', s.newConversation),
    expand,
    close: floating ? headerButton('close', 'close', s.closeChat) : undefined,
  };
}

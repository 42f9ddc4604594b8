import type { ChatConnection } from '../chat-connection.js';
import { h } from '../dom.js';
import type { WidgetLanguage, WidgetStrings } from '../widget-i18n.js';

/**
 * Starter questions under the greeting of an empty chat: a few questions about the article's concepts, in the
 * learner's language, each checked answerable by the server (GET /api/starters). Without them (an older server, an
 * error) the greeting simply stands alone.
 */
export function startersView(options: {
  readonly strings: WidgetStrings;
  readonly language: WidgetLanguage;
  readonly connection: ChatConnection;
  readonly ask: (question: string) => void;
}): HTMLElement {
  const list = h('ul', { class: 'followups' });
  const element = h(
    'div',
    { class: 'starters', hidden: true },
    h('p', { class: 'followups-label', 'aria-hidden': 'true' }, options.strings.starters),
    list,
  );
  list.setAttribute('aria-label', options.strings.starters);
  options.connection.api(`/starters?language=${options.language}`).then(
    (response) => {
      for (const starter of response.starters) {
        const button = h('button', { type: 'button', class: 'followup starter' }, starter.question);
        button.addEventListener('click', () => options.ask(starter.question));
        list.appendChild(h('li', {}, button));
      }
      element.hidden = response.starters.length === 0;
    },
    () => undefined,
  );
  return element;
}

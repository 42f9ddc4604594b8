import type { CitationPayload, PassageResponse } from '../../src/shared/chat-protocol.js';
import { h, icon } from '../dom.js';
import { passageSegments, readableText } from '../passage-highlight.js';
import type { WidgetStrings } from '../widget-i18n.js';

/**
 * The card that shows a cited passage: its title, heading path and source, the cited sentences highlighted inside the
 * passage and its paragraph (fetched once per passage from GET /api/passages/:chunkId). On a wide panel it sits beside
 * the answers; on a narrow one it is a bottom sheet under them (the layout is the stylesheet's; the card only sets
 * `data-card` on the panel).
 */
export interface SourceCard {
  readonly element: HTMLElement;
  readonly isOpen: boolean;
  open(citation: CitationPayload, trigger: HTMLElement): void;
  close(restoreFocus: boolean): void;
}

export function createSourceCard(options: {
  readonly strings: WidgetStrings;
  readonly titleId: string;
  readonly panel: HTMLElement;
  readonly fetchPassage: (chunkId: string, signal: AbortSignal) => Promise<PassageResponse> | undefined;
  readonly onOpen: (citation: CitationPayload) => void;
}): SourceCard {
  const s = options.strings;
  const close = h('button', { type: 'button', class: 'source-close', 'aria-label': s.closeSource, title: s.closeSource }, icon('close'));
  const title = h('h3', { class: 'source-title', id: options.titleId });
  const path = h('p', { class: 'source-path', hidden: true });
  const passage = h('blockquote', { class: 'source-passage' });
  const origin = h('p', { class: 'source-origin', hidden: true });
  const link = h('a', { class: 'source-link', target: '_blank', rel: 'noopener noreferrer', hidden: true });
  const body = h('div', { class: 'source-body' }, title, path, passage, origin, link);
  const element = h(
    'section',
    { class: 'source-card', role: 'region', 'aria-labelledby': options.titleId, hidden: true },
    h('div', { class: 'source-head' }, h('p', { class: 'source-kicker' }, s.sourceCardTitle), close),
    body,
  );
  const cache = new Map<string, PassageResponse>();
  let request: AbortController | undefined;
  let trigger: HTMLElement | undefined;

  const fill = (citation: CitationPayload, context?: PassageResponse): void => {
    passage.replaceChildren(
      ...passageSegments(citation, context).map((segment) => {
        const text = readableText(segment.text);
        if (segment.kind === 'cited') return h('mark', {}, text);
        return segment.kind === 'context' ? h('span', { class: 'source-context' }, text) : text;
      }),
    );
    if (context !== undefined && context.headingPath.length > 0) {
      path.textContent = context.headingPath.join(' › ');
      path.hidden = false;
    }
    // Bring the first cited sentence into view inside the card (not scrolling the page, which the host may animate).
    const mark = passage.querySelector('mark');
    if (mark !== null) body.scrollTop = Math.max(0, mark.offsetTop - 56);
  };

  const setSource = (source: string): void => {
    let url: URL | undefined;
    try {
      url = new URL(source);
    } catch {
      url = undefined;
    }
    const web = url !== undefined && (url.protocol === 'https:' || url.protocol === 'http:');
    // The corpus's reader-facing source ("微信公众号「…」, 2024"), as written; a URL becomes the link below it.
    origin.textContent = web || source.trim() === '' ? '' : `${s.source}: ${source.trim()}`;
    origin.hidden = origin.textContent === '';
    link.hidden = !web;
    if (web && url !== undefined) {
      link.href = url.href;
      link.replaceChildren(s.openSource, icon('external'));
    } else link.removeAttribute('href');
  };

  const card: SourceCard = {
    element,
    get isOpen() {
      return !element.hidden;
    },
    open(citation, from) {
      request?.abort();
      trigger?.removeAttribute('aria-pressed');
      trigger = from;
      from.setAttribute('aria-pressed', 'true');
      title.textContent = citation.title;
      path.hidden = true;
      setSource(citation.source);
      element.hidden = false;
      options.panel.dataset.card = 'open';
      element.dataset.chunkId = citation.chunkId;
      delete element.dataset.context;
      fill(citation);
      close.focus({ preventScroll: true });
      options.onOpen(citation);
      const show = (context: PassageResponse): void => {
        element.dataset.context = 'loaded';
        fill(citation, context);
      };
      const cached = cache.get(citation.chunkId);
      if (cached !== undefined) return show(cached);
      const controller = new AbortController();
      request = controller;
      options
        .fetchPassage(citation.chunkId, controller.signal)
        ?.then((context) => {
          cache.set(citation.chunkId, context);
          if (!controller.signal.aborted && element.dataset.chunkId === citation.chunkId) show(context);
        })
        .catch(() => {
          // The cited text itself is already shown; the surrounding context is a nicety.
        });
    },
    close(restoreFocus) {
      if (element.hidden) return;
      request?.abort();
      element.hidden = true;
      delete options.panel.dataset.card;
      delete element.dataset.chunkId;
      delete element.dataset.context;
      trigger?.removeAttribute('aria-pressed');
      if (restoreFocus && trigger?.isConnected === true) trigger.focus();
      trigger = undefined;
    },
  };
  close.addEventListener('click', () => card.close(true));
  return card;
}

import type { CitationPayload, PassageResponse } from '../../src/shared/chat-protocol.js';
import { shownTitle } from '../citation-title.js';
import { h, icon } from '../dom.js';
import { type PassageSegment, passageSegments, readableText, renderingSegments } from '../passage-highlight.js';
import type { WidgetLanguage, WidgetStrings } from '../widget-i18n.js';

/** How much of the first cited sentence (about three lines) must be visible for the card to stay at its top. */
const REVEAL_MARK_PX = 72;
/** Context kept above the first cited sentence when the card scrolls to it. */
const MARK_CONTEXT_PX = 56;

/**
 * The card that shows a cited passage: its title, heading path and source, the cited sentences highlighted inside the
 * passage and its paragraph (fetched once per passage from GET /api/passages/:chunkId). On a wide panel it sits beside
 * the answers; on a narrow one it is a bottom sheet under them (the layout is the stylesheet's; the card only sets
 * `data-card` on the panel). When the answer was read in the language of the passage's aligned rendering (an English
 * answer quoting a Chinese article), that rendering comes first, its cited sentences marked, above the original.
 */
export interface SourceCard {
  readonly element: HTMLElement;
  readonly isOpen: boolean;
  /** `language`: the language the learner read the citing answer in; its rendering is shown when the passage has one. */
  open(citation: CitationPayload, trigger: HTMLElement, language?: WidgetLanguage): void;
  close(restoreFocus: boolean): void;
}

export function createSourceCard(options: {
  readonly strings: WidgetStrings;
  readonly titleId: string;
  readonly panel: HTMLElement;
  readonly fetchPassage: (chunkId: string, signal: AbortSignal) => Promise<PassageResponse> | undefined;
  readonly onOpen: (citation: CitationPayload) => void;
  /** Called with the chip that opened the card each time the card's content (and so its height) changed. */
  readonly laidOut?: (trigger: HTMLElement) => void;
}): SourceCard {
  const s = options.strings;
  const close = h('button', { type: 'button', class: 'source-close', 'aria-label': s.closeSource, title: s.closeSource }, icon('close'));
  const title = h('h3', { class: 'source-title', id: options.titleId });
  const originalTitle = h('p', { class: 'source-original-title', hidden: true });
  const path = h('p', { class: 'source-path', hidden: true });
  const passage = h('blockquote', { class: 'source-passage' });
  const renderingText = h('blockquote', { class: 'source-translation' });
  const renderingHeading = h('p', { class: 'source-subhead' });
  const rendering = h('div', { class: 'source-rendering', hidden: true }, renderingHeading, renderingText);
  const originalHeading = h('p', { class: 'source-subhead', hidden: true }, s.originalHeading);
  const origin = h('p', { class: 'source-origin', hidden: true });
  const link = h('a', { class: 'source-link', target: '_blank', rel: 'noopener noreferrer', hidden: true });
  const body = h('div', { class: 'source-body' }, title, originalTitle, path, rendering, originalHeading, passage, origin, link);
  const element = h(
    'section',
    { class: 'source-card', role: 'region', 'aria-labelledby': options.titleId, hidden: true },
    h('div', { class: 'source-head' }, h('p', { class: 'source-kicker' }, s.sourceCardTitle), close),
    body,
  );
  const cache = new Map<string, PassageResponse>();
  let request: AbortController | undefined;
  let trigger: HTMLElement | undefined;

  const segmentNodes = (segments: readonly PassageSegment[]): Array<Node | string> =>
    segments.map((segment) => {
      const text = readableText(segment.text);
      if (segment.kind === 'cited') return h('mark', {}, text);
      return segment.kind === 'context' ? h('span', { class: 'source-context' }, text) : text;
    });

  const showRendering = (citation: CitationPayload, language: WidgetLanguage | undefined): void => {
    const translation = citation.translation;
    const shown =
      language !== undefined && translation !== undefined && translation.language === language && translation.text.trim() !== '';
    rendering.hidden = !shown;
    originalHeading.hidden = !shown;
    if (!shown) {
      renderingText.replaceChildren();
      return;
    }
    renderingHeading.textContent = s.renderingHeading[translation.language];
    renderingText.setAttribute('lang', translation.language);
    renderingText.replaceChildren(...segmentNodes(renderingSegments(translation)));
  };

  /**
   * Brings the first cited sentence into view inside the card (never scrolling the page, which the host may animate),
   * but only when it starts below the fold: a mark already in view leaves the card at its top, so the learner still
   * sees which document and heading the passage is from, and the "In English" / "Original" headings.
   */
  const revealFirstMark = (): void => {
    const mark = body.querySelector('mark');
    if (mark === null) return;
    const top = mark.getBoundingClientRect().top - body.getBoundingClientRect().top + body.scrollTop;
    const lines = Math.min(mark.getBoundingClientRect().height, REVEAL_MARK_PX);
    body.scrollTop = top + lines <= body.clientHeight ? 0 : Math.max(0, top - MARK_CONTEXT_PX);
  };

  const fill = (citation: CitationPayload, context?: PassageResponse): void => {
    passage.replaceChildren(...segmentNodes(passageSegments(citation, context)));
    if (context !== undefined && context.headingPath.length > 0) {
      path.textContent = context.headingPath.join(' › ');
      path.hidden = false;
    }
    revealFirstMark();
    if (trigger !== undefined) options.laidOut?.(trigger);
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
    open(citation, from, language) {
      request?.abort();
      trigger?.removeAttribute('aria-pressed');
      trigger = from;
      from.setAttribute('aria-pressed', 'true');
      // An English reader sees the English rendering's title first, the Chinese original under it.
      const shown = shownTitle(citation, language);
      title.textContent = shown.title;
      originalTitle.textContent = shown.original ?? '';
      originalTitle.hidden = shown.original === undefined;
      if (shown.original === undefined) title.removeAttribute('lang');
      else {
        title.setAttribute('lang', language === 'zh' ? 'zh-CN' : 'en');
        originalTitle.setAttribute('lang', citation.translation?.language === 'zh' ? 'en' : 'zh-CN');
      }
      path.hidden = true;
      setSource(citation.source);
      element.hidden = false;
      options.panel.dataset.card = 'open';
      element.dataset.chunkId = citation.chunkId;
      delete element.dataset.context;
      showRendering(citation, language);
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

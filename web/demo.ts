import type { TutorCitationEventDetail, TutorToggleEventDetail } from './tutor-chat-element.js';

/**
 * Script of the demo page (served as /demo.js; no inline script, so the page runs under a strict CSP).
 * When the widget reports a clicked citation, the article scrolls to the passage and highlights the cited span.
 * The page marks up every passage run as `<span class="passage" data-chunk-id data-start data-end>`, and the first
 * run of each passage carries `id="passage-<chunkId>"` (see src/server/demo-page.ts).
 */

const CITED = 'is-cited';
const CITED_PASSAGE = 'is-cited-passage';
const HIGHLIGHT_NAME = 'tutor-cited';

function clearHighlights(): void {
  for (const element of Array.from(document.querySelectorAll(`.${CITED}, .${CITED_PASSAGE}`))) {
    element.classList.remove(CITED, CITED_PASSAGE, 'flash');
  }
  if (typeof CSS !== 'undefined' && 'highlights' in CSS) CSS.highlights.delete(HIGHLIGHT_NAME);
}

function prefersReducedMotion(): boolean {
  return window.matchMedia('(prefers-reduced-motion: reduce)').matches;
}

/**
 * Highlights the runs of `chunkId` softly, and the exact document ranges given (the cited sentences, or the whole
 * passage) strongly: a run inside a range gets the class, a run a range cuts through gets a custom highlight.
 */
export function highlightPassage(chunkId: string, ranges: readonly { start: number; end: number }[] = []): boolean {
  const anchor = document.getElementById(`passage-${chunkId}`);
  if (anchor === null) return false;
  clearHighlights();
  const scope = anchor.closest('article') ?? document.body;
  const partialRanges: Range[] = [];
  let firstCited: HTMLElement | undefined;
  for (const run of Array.from(scope.querySelectorAll<HTMLElement>('.passage[data-start][data-end]'))) {
    if (run.dataset.chunkId === chunkId) run.classList.add(CITED_PASSAGE);
    const start = Number(run.dataset.start);
    const end = Number(run.dataset.end);
    for (const range of ranges) {
      if (end <= range.start || start >= range.end) continue;
      if (start >= range.start && end <= range.end) {
        run.classList.add(CITED);
      } else {
        const text = run.firstChild;
        if (text === null || text.nodeType !== Node.TEXT_NODE) continue;
        const partial = document.createRange();
        partial.setStart(text, Math.max(0, range.start - start));
        partial.setEnd(text, Math.min(end - start, range.end - start));
        partialRanges.push(partial);
      }
      firstCited ??= run;
    }
  }
  if (ranges.length === 0) {
    for (const run of Array.from(scope.querySelectorAll<HTMLElement>(`.${CITED_PASSAGE}`))) run.classList.add(CITED);
  }
  if (partialRanges.length > 0 && typeof CSS !== 'undefined' && 'highlights' in CSS && typeof Highlight !== 'undefined') {
    CSS.highlights.set(HIGHLIGHT_NAME, new Highlight(...partialRanges));
  }
  const target = firstCited ?? anchor;
  target.scrollIntoView({ behavior: prefersReducedMotion() ? 'auto' : 'smooth', block: 'center' });
  for (const run of Array.from(scope.querySelectorAll<HTMLElement>(`.${CITED}`))) {
    // Restart the arrival animation even when the same passage is cited twice in a row.
    void run.offsetWidth;
    run.classList.add('flash');
  }
  document.body.dataset.citedChunk = chunkId;
  return true;
}

document.addEventListener('tutor:citation', (event) => {
  const detail = (event as CustomEvent<TutorCitationEventDetail>).detail;
  if (typeof detail?.chunkId !== 'string') return;
  const valid = (range: { start: number; end: number }): boolean =>
    Number.isFinite(range.start) && Number.isFinite(range.end) && range.end > range.start;
  // The cited sentences when the widget sent them (what the source card marks too), else the whole passage.
  const spans = (detail.spans ?? []).filter(valid);
  highlightPassage(detail.chunkId, spans.length > 0 ? spans : valid(detail) ? [{ start: detail.start, end: detail.end }] : []);
});

// On wide screens the article moves aside while the floating panel is open, so a cited passage is never under it.
document.addEventListener('tutor:toggle', (event) => {
  const detail = (event as CustomEvent<TutorToggleEventDetail>).detail;
  document.documentElement.classList.toggle('tutor-panel-open', detail?.open === true);
  const width = typeof detail?.width === 'number' ? `${detail.width}px` : undefined;
  const root = document.documentElement;
  if (width === undefined || root.style.getPropertyValue('--tutor-panel-width') === width) return;
  root.style.setProperty('--tutor-panel-width', width);
  // The article column just changed width and re-wrapped: bring the cited passage back into view.
  const cited = document.querySelector<HTMLElement>('.is-cited, .is-cited-passage');
  requestAnimationFrame(() => cited?.scrollIntoView({ behavior: 'auto', block: 'center' }));
});

/** The page's own texts come in Chinese and English (`data-ui-lang`); show the browser's language. */
function showBrowserLanguage(): void {
  const preferred = navigator.languages.map((language) => language.toLowerCase()).find((language) => /^(zh|en)/.test(language));
  if (preferred === undefined) return;
  const language = preferred.slice(0, 2);
  for (const element of Array.from(document.querySelectorAll<HTMLElement>('[data-ui-lang]'))) {
    element.hidden = element.dataset.uiLang !== language;
  }
}

function highlightFromHash(): void {
  const match = /^#passage-(.+)$/.exec(window.location.hash);
  if (match?.[1] !== undefined) highlightPassage(decodeURIComponent(match[1]));
}

window.addEventListener('hashchange', highlightFromHash);
function onReady(): void {
  showBrowserLanguage();
  highlightFromHash();
}

if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', onReady, { once: true });
else onReady();

import { sanitiseTree } from './html-sanitiser.js';
import { renderMarkdown as renderMarkdownTree } from './markdown-renderer.js';

/**
 * Answer text comes from a model or straight from corpus passages: both are untrusted. It is rendered as Markdown by
 * a renderer that builds DOM nodes (raw HTML in it becomes text, never markup), and the result goes through a strict
 * allow-list sanitiser before it touches the page. Citation chips are added afterwards, on the sanitised DOM, by
 * splitting text nodes: no untrusted string is ever concatenated into HTML.
 */

/** Matches `[1]`, `[1, 2]`, `[1，2]`, `[1、2]`: the markers answers use to cite passages. */
const CITATION_MARKER = /\[(\d{1,3}(?:\s*[,，、]\s*\d{1,3})*)\]/g;

const TRAILING_PUNCTUATION = /^[。，、；：！？.,;:!?）)」』”’]+/;

/** Markdown → sanitised DOM fragment (no chips yet). */
export function renderMarkdown(text: string, doc: Document = document): DocumentFragment {
  const fragment = renderMarkdownTree(text, doc);
  sanitiseTree(fragment);
  return fragment;
}

/**
 * Replaces citation markers in text nodes (outside code and links) with the nodes `makeChip` returns.
 * A marker for which `makeChip` returns undefined stays as text.
 */
export function insertCitationChips(root: Node, makeChip: (marker: number) => Node | undefined): void {
  const document = root.ownerDocument ?? (root as Document);
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  const textNodes: Text[] = [];
  for (let node = walker.nextNode(); node !== null; node = walker.nextNode()) {
    if ((node as Text).data.includes('[') && !insideExcluded(node, root)) textNodes.push(node as Text);
  }
  for (const textNode of textNodes) {
    const text = textNode.data;
    CITATION_MARKER.lastIndex = 0;
    let match: RegExpExecArray | null;
    let cursor = 0;
    let group: HTMLElement | undefined;
    const pieces: Node[] = [];
    while ((match = CITATION_MARKER.exec(text)) !== null) {
      const markers = (match[1] ?? '').split(/\s*[,，、]\s*/).map((value) => Number.parseInt(value, 10));
      const chips = markers.map((marker) => makeChip(marker));
      if (chips.some((chip) => chip === undefined)) continue;
      if (match.index > cursor || group === undefined) {
        // Chips stay on one line with the character before them and the punctuation after them: "…过程[2]。" never
        // wraps before the chip or before the "。". The space usually written before a marker is dropped (chips
        // have their own margin).
        const before = text.slice(cursor, match.index).replace(/[ \t]+$/, '');
        const glued = before.length > 0 ? (Array.from(before).pop() ?? '') : '';
        const rest = before.slice(0, before.length - glued.length);
        if (rest !== '') pieces.push(document.createTextNode(rest));
        group = document.createElement('span');
        group.className = 'cite-group';
        if (glued !== '') group.appendChild(document.createTextNode(glued));
        pieces.push(group);
      }
      for (const chip of chips) if (chip !== undefined) group.appendChild(chip);
      cursor = match.index + match[0].length;
      const punctuation = TRAILING_PUNCTUATION.exec(text.slice(cursor))?.[0] ?? '';
      if (punctuation !== '' && !text.startsWith('[', cursor + punctuation.length)) {
        group.appendChild(document.createTextNode(punctuation));
        cursor += punctuation.length;
      }
    }
    if (pieces.length === 0) continue;
    if (cursor < text.length) pieces.push(document.createTextNode(text.slice(cursor)));
    textNode.replaceWith(...pieces);
  }
}

function insideExcluded(node: Node, root: Node): boolean {
  for (let current = node.parentNode; current !== null && current !== root; current = current.parentNode) {
    const name = current.nodeName;
    if (name === 'CODE' || name === 'PRE' || name === 'A') return true;
  }
  return false;
}

/** Answer text as a screen reader should hear it: Markdown punctuation and citation markers removed. */
export function toSpokenText(text: string): string {
  return text
    .replace(CITATION_MARKER, '')
    .replace(/[*_`~]+/g, '')
    .replace(/^\s{0,3}(?:#{1,6}|[-+•]|\d+[.)])\s+/gm, '')
    .replace(/[ \t]+/g, ' ')
    .trim();
}

/**
 * Cuts streamed text into sentences for an aria-live region, so a screen reader hears the answer as it grows
 * without re-reading it from the start at every delta.
 */
export function createSentenceBuffer(announce: (sentence: string) => void): { push(text: string): void; flush(): void } {
  let pending = '';
  const SENTENCE_END = /[。！？!?；;\n]|\.(?=\s)/g;
  const emit = (text: string): void => {
    const spoken = toSpokenText(text);
    if (spoken !== '') announce(spoken);
  };
  return {
    push(text) {
      pending += text;
      let lastEnd = -1;
      SENTENCE_END.lastIndex = 0;
      let match: RegExpExecArray | null;
      while ((match = SENTENCE_END.exec(pending)) !== null) lastEnd = match.index + match[0].length;
      if (lastEnd <= 0) return;
      emit(pending.slice(0, lastEnd));
      pending = pending.slice(lastEnd);
    },
    flush() {
      emit(pending);
      pending = '';
    },
  };
}

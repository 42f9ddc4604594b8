/**
 * A small Markdown renderer for the subset tutor answers use: paragraphs (a single newline is a line break),
 * headings, bold, italics, strikethrough, inline code, fenced code, ordered and unordered lists (nested by
 * indentation), blockquotes, rules and http(s)/mailto links. Citation markers like `[1]` stay text (chips are added
 * afterwards by insertCitationChips).
 *
 * It builds DOM nodes directly and never parses HTML: raw HTML in an answer (`<img onerror=…>`) becomes a text node
 * and shows literally; an image becomes its alt text; a link to anything but http(s)/mailto becomes its text. The
 * result still passes through the allow-list sanitiser (html-sanitiser.ts) as a second line of defence.
 */

const FENCE = /^[ \t]*(`{3,}|~{3,})/;
const HEADING = /^[ \t]{0,3}(#{1,6})[ \t]+(.*?)[ \t#]*$/;
const RULE = /^[ \t]{0,3}(?:(?:-[ \t]*){3,}|(?:\*[ \t]*){3,}|(?:_[ \t]*){3,})$/;
const QUOTE = /^[ \t]{0,3}>[ \t]?/;
const LIST_ITEM = /^([ \t]*)(?:([-*+•])|(\d{1,9})[.)])[ \t]+/;

const INLINE =
  /`([^`\n]+)`|\*\*(?=\S)([\s\S]+?)(?<=\S)\*\*|(?<![A-Za-z0-9])__(?=\S)([\s\S]+?)(?<=\S)__(?![A-Za-z0-9])|~~(?=\S)([\s\S]+?)(?<=\S)~~|(?<!\*)\*(?=[^\s*])([\s\S]*?[^\s*]|[^\s*])\*(?!\*)|(?<![A-Za-z0-9_])_(?=[^\s_])([\s\S]*?[^\s_]|[^\s_])_(?![A-Za-z0-9_])|(!?)\[([^\]\n]+)\]\([ \t]*<?([^\s)>]+)>?(?:[ \t]+"[^"\n]*")?[ \t]*\)/gu;

/** Links that may be followed; anything else (javascript:, data:, relative paths) renders as plain text. */
export function isSafeHref(href: string): boolean {
  return /^(?:https?:\/\/|mailto:)/i.test(href.trim());
}

const indentOf = (line: string): number => {
  let width = 0;
  for (const character of line) {
    if (character === ' ') width += 1;
    else if (character === '\t') width += 4;
    else break;
  }
  return width;
};

/** Markdown → DOM fragment of the allowed elements only. `doc` lets tests pass a DOM of their own. */
export function renderMarkdown(text: string, doc: Document = document): DocumentFragment {
  const fragment = doc.createDocumentFragment();
  renderBlocks(text.replace(/\r\n?/g, '\n').split('\n'), fragment, doc);
  return fragment;
}

function renderBlocks(lines: readonly string[], parent: Node, doc: Document): void {
  let paragraph: string[] = [];
  const flush = (): void => {
    if (paragraph.length === 0) return;
    const p = doc.createElement('p');
    renderInline(paragraph.map((line) => line.trim()).join('\n'), p, doc);
    parent.appendChild(p);
    paragraph = [];
  };
  let index = 0;
  while (index < lines.length) {
    const line = lines[index] as string;
    const fence = FENCE.exec(line);
    if (fence !== null) {
      flush();
      const marker = fence[1] as string;
      const body: string[] = [];
      index += 1;
      while (index < lines.length && !(lines[index] as string).trimStart().startsWith(marker)) body.push(lines[index++] as string);
      index += 1;
      const pre = doc.createElement('pre');
      const code = doc.createElement('code');
      code.textContent = body.join('\n');
      pre.appendChild(code);
      parent.appendChild(pre);
      continue;
    }
    if (line.trim() === '') {
      flush();
      index += 1;
      continue;
    }
    const heading = HEADING.exec(line);
    if (heading !== null) {
      flush();
      const element = doc.createElement(`h${(heading[1] as string).length}`);
      renderInline(heading[2] as string, element, doc);
      parent.appendChild(element);
      index += 1;
      continue;
    }
    if (RULE.test(line)) {
      flush();
      parent.appendChild(doc.createElement('hr'));
      index += 1;
      continue;
    }
    if (QUOTE.test(line)) {
      flush();
      const inner: string[] = [];
      while (index < lines.length && QUOTE.test(lines[index] as string)) inner.push((lines[index++] as string).replace(QUOTE, ''));
      const quote = doc.createElement('blockquote');
      renderBlocks(inner, quote, doc);
      parent.appendChild(quote);
      continue;
    }
    if (LIST_ITEM.test(line)) {
      flush();
      index = renderList(lines, index, parent, doc);
      continue;
    }
    paragraph.push(line);
    index += 1;
  }
  flush();
}

/** A list starting at `lines[start]`; returns the index after it. Lines indented past the marker belong to the item. */
function renderList(lines: readonly string[], start: number, parent: Node, doc: Document): number {
  const first = LIST_ITEM.exec(lines[start] as string) as RegExpExecArray;
  const ordered = first[3] !== undefined;
  const baseIndent = indentOf(first[1] as string);
  const list = doc.createElement(ordered ? 'ol' : 'ul');
  if (ordered && first[3] !== '1') list.setAttribute('start', String(Number.parseInt(first[3] as string, 10)));
  let index = start;
  while (index < lines.length) {
    const item = LIST_ITEM.exec(lines[index] as string);
    if (item === null || indentOf(item[1] as string) !== baseIndent || (item[3] !== undefined) !== ordered) break;
    const contentIndent = item[0].length;
    const body = [(lines[index] as string).slice(item[0].length)];
    index += 1;
    while (index < lines.length) {
      const next = lines[index] as string;
      if (next.trim() === '') {
        // A blank line ends the item unless the text after it is indented into the item.
        const following = lines[index + 1];
        if (following === undefined || indentOf(following) < contentIndent || following.trim() === '') break;
        body.push('');
        index += 1;
        continue;
      }
      const nested = LIST_ITEM.exec(next);
      if (nested !== null && indentOf(nested[1] as string) <= baseIndent) break;
      if (nested === null && indentOf(next) <= baseIndent && (FENCE.test(next) || QUOTE.test(next) || HEADING.test(next))) break;
      body.push(indentOf(next) >= contentIndent ? next.slice(contentIndent) : next.trimStart());
      index += 1;
    }
    const li = doc.createElement('li');
    renderBlocks(body, li, doc);
    // A tight item is its text, not a paragraph inside the item.
    if (li.childNodes.length >= 1 && li.firstChild?.nodeName === 'P' && !body.includes('')) {
      const p = li.firstChild as HTMLElement;
      p.replaceWith(...Array.from(p.childNodes));
    }
    list.appendChild(li);
  }
  parent.appendChild(list);
  return index;
}

/** Inline Markdown into `parent`; a newline becomes `<br>`. */
function renderInline(text: string, parent: Node, doc: Document): void {
  const pushText = (value: string): void => {
    const parts = value.split('\n');
    parts.forEach((part, position) => {
      if (position > 0) parent.appendChild(doc.createElement('br'));
      if (part !== '') parent.appendChild(doc.createTextNode(part));
    });
  };
  let cursor = 0;
  // matchAll works on a copy of the regex, so the recursive calls below do not disturb this scan.
  for (const match of text.matchAll(INLINE)) {
    pushText(text.slice(cursor, match.index));
    cursor = match.index + match[0].length;
    const [, code, strong, strongAlt, strike, em, emAlt, bang, label, href] = match;
    if (code !== undefined) {
      const element = doc.createElement('code');
      element.textContent = code;
      parent.appendChild(element);
    } else if (label !== undefined) {
      if (bang === '!' || href === undefined || !isSafeHref(href)) {
        pushText(label);
      } else {
        const link = doc.createElement('a');
        link.setAttribute('href', href);
        renderInline(label, link, doc);
        parent.appendChild(link);
      }
    } else {
      const tag = strong !== undefined || strongAlt !== undefined ? 'strong' : strike !== undefined ? 'del' : 'em';
      const element = doc.createElement(tag);
      renderInline((strong ?? strongAlt ?? strike ?? em ?? emAlt) as string, element, doc);
      parent.appendChild(element);
    }
  }
  pushText(text.slice(cursor));
}

import { isSafeHref } from './markdown-renderer.js';

/**
 * A strict allow-list sanitiser for rendered answers, applied to every fragment before it touches the page. Elements
 * outside the list are replaced by their text (a `<script>` becomes nothing runnable: its text, shown); attributes
 * outside the list are dropped; a link keeps its href only for http(s)/mailto and then opens in a new tab without
 * an opener. Comments and processing instructions are removed.
 */

const ALLOWED_TAGS = new Set([
  'P',
  'BR',
  'STRONG',
  'B',
  'EM',
  'I',
  'DEL',
  'S',
  'CODE',
  'PRE',
  'BLOCKQUOTE',
  'UL',
  'OL',
  'LI',
  'A',
  'H1',
  'H2',
  'H3',
  'H4',
  'H5',
  'H6',
  'HR',
]);
const ALLOWED_ATTRIBUTES: Readonly<Record<string, readonly string[]>> = { A: ['href'], OL: ['start'] };
/** Elements whose content is never reading text (scripts, styles, templates, embeds): replaced by one inert text node. */
const DROPPED_WITH_CONTENT = new Set(['SCRIPT', 'STYLE', 'TEMPLATE', 'NOSCRIPT', 'IFRAME', 'OBJECT', 'SVG', 'MATH']);

export function sanitiseTree(root: Node): void {
  const doc = root.ownerDocument ?? (root as Document);
  for (const child of Array.from(root.childNodes)) {
    if (child.nodeType === 3) continue;
    if (child.nodeType !== 1) {
      child.remove();
      continue;
    }
    const element = child as Element;
    const name = element.nodeName.toUpperCase();
    if (!ALLOWED_TAGS.has(name)) {
      if (DROPPED_WITH_CONTENT.has(name)) element.replaceWith(doc.createTextNode(element.textContent ?? ''));
      else {
        sanitiseTree(element);
        element.replaceWith(...Array.from(element.childNodes));
      }
      continue;
    }
    const allowed = ALLOWED_ATTRIBUTES[name] ?? [];
    for (const attribute of Array.from(element.attributes)) {
      if (!allowed.includes(attribute.name.toLowerCase())) element.removeAttribute(attribute.name);
    }
    if (name === 'A') {
      const href = element.getAttribute('href');
      if (href !== null && isSafeHref(href)) {
        element.setAttribute('target', '_blank');
        element.setAttribute('rel', 'noopener noreferrer nofollow ugc');
      } else element.removeAttribute('href');
    }
    if (name === 'OL' && !/^\d{1,9}$/.test(element.getAttribute('start') ?? '1')) element.removeAttribute('start');
    sanitiseTree(element);
  }
}

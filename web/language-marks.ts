import type { WidgetLanguage } from './widget-i18n.js';

/** Runs of Chinese characters with the punctuation and spaces between them ("「微调」和调教"). */
const CHINESE_RUN =
  /[\u3001-\u303f\uff01-\uffef]*[\u3400-\u9fff\uf900-\ufaff](?:[\u3400-\u9fff\uf900-\ufaff\u3000-\u303f\uff00-\uffef\s·]*[\u3400-\u9fff\uf900-\ufaff\u3000-\u303f\uff01-\uffef])?/g;

/**
 * Marks the language of an answer for screen readers (their voice follows `lang`): the answer element gets
 * `lang="en"`/`lang="zh"` when it differs from the widget's language, and inside an English answer every run of Chinese
 * (a quoted term or sentence) is wrapped in `<span lang="zh">`. Text inside code is left alone.
 */
export function markAnswerLanguage(answer: HTMLElement, answerLanguage: WidgetLanguage, widgetLanguage: WidgetLanguage): void {
  if (answerLanguage !== widgetLanguage) answer.setAttribute('lang', answerLanguage);
  else answer.removeAttribute('lang');
  if (answerLanguage === 'en') wrapChineseRuns(answer);
}

export function wrapChineseRuns(root: Node): void {
  const doc = root.ownerDocument ?? (root as Document);
  const walker = doc.createTreeWalker(root, 4 /* NodeFilter.SHOW_TEXT */);
  const targets: Text[] = [];
  for (let node = walker.nextNode(); node !== null; node = walker.nextNode()) {
    const parent = node.parentElement;
    if (parent?.closest('code, [lang="zh"]') != null) continue;
    CHINESE_RUN.lastIndex = 0;
    if (CHINESE_RUN.test((node as Text).data)) targets.push(node as Text);
  }
  for (const text of targets) {
    const pieces: Node[] = [];
    let cursor = 0;
    for (const match of text.data.matchAll(CHINESE_RUN)) {
      if (match.index > cursor) pieces.push(doc.createTextNode(text.data.slice(cursor, match.index)));
      const span = doc.createElement('span');
      span.setAttribute('lang', 'zh');
      span.textContent = match[0];
      pieces.push(span);
      cursor = match.index + match[0].length;
    }
    if (cursor < text.data.length) pieces.push(doc.createTextNode(text.data.slice(cursor)));
    text.replaceWith(...pieces);
  }
}

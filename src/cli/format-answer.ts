import type { TutorAnswer } from '../tutor/tutor-types.js';

const MODE_LABELS = {
  offline: { zh: '离线模式：引自文章原文', en: 'offline: quoted from the article' },
  llm: { zh: '由语言模型根据文章作答', en: 'answered by the language model from the article' },
  'offline-fallback': { zh: '语言模型不可用：引自文章原文', en: 'model unavailable: quoted from the article' },
  'small-talk': { zh: '寒暄：未引用文章', en: 'small talk: nothing quoted' },
} as const;

/**
 * Answer text is Markdown (the widget renders it: "**应用**:" shows as a bold label, as in the article). A terminal
 * does not render it, so emphasis and list markup are dropped there and the words stay.
 */
export function plainTerminalText(markdown: string): string {
  return markdown
    .replace(/\*\*(?=\S)([\s\S]+?)(?<=\S)\*\*/g, '$1')
    .replace(/(?<![\w*])\*(?=[^\s*])([^*\n]+?)(?<=\S)\*(?![\w*])/g, '$1')
    .replace(/\*\*/g, '')
    .replace(/^(\s*)[-*+]\s+/gm, '$1• ');
}

/**
 * The part of a cited passage a learner should see: from the first sentence the answer quotes (its spans), so the
 * snippet shows the quoted sentence, not the passage's opening. At most `width` characters.
 */
export function citedSnippet(citation: TutorAnswer['citations'][number], width = 90): string {
  const first = citation.spans?.[0];
  const from = first ? Math.max(0, first.start - citation.start) : 0;
  const passage = plainTerminalText(citation.text.slice(from)).replace(/\s+/g, ' ').trim().replace(/^• /, '');
  const snippet = passage.length > width ? `${passage.slice(0, width)}…` : passage;
  return from > 0 ? `…${snippet}` : snippet;
}

/** The CLI's rendering of an answer: the text, a numbered source list, what was searched, and suggestions. */
export function formatAnswerForTerminal(answer: TutorAnswer): string {
  const zh = answer.language === 'zh';
  const lines: string[] = [plainTerminalText(answer.answer), ''];
  if (answer.notice) lines.push(`! ${answer.notice}`, '');
  if (answer.citations.length > 0) {
    lines.push(zh ? '来源：' : 'Sources:');
    for (const citation of answer.citations) {
      lines.push(`  [${citation.marker}] 《${citation.title}》 chars ${citation.start}-${citation.end}: ${citedSnippet(citation)}`);
    }
    lines.push('');
  }
  lines.push(`(${MODE_LABELS[answer.mode][answer.language]}; ${zh ? '检索' : 'searched for'}: ${answer.searchedFor})`);
  if (answer.followUps.length > 0) {
    lines.push(zh ? '接下来可以问：' : 'You could ask next:');
    for (const followUp of answer.followUps) lines.push(`  - ${followUp}`);
  }
  return lines.join('\n');
}

import type { TutorAnswer } from '../tutor/tutor-types.js';

const MODE_LABELS = {
  offline: { zh: '离线模式：引自文章原文', en: 'offline: quoted from the article' },
  llm: { zh: '由语言模型根据文章作答', en: 'answered by the language model from the article' },
  'offline-fallback': { zh: '语言模型不可用：引自文章原文', en: 'model unavailable: quoted from the article' },
} as const;

/** The CLI's rendering of an answer: the text, a numbered source list, what was searched, and suggestions. */
export function formatAnswerForTerminal(answer: TutorAnswer): string {
  const zh = answer.language === 'zh';
  const lines: string[] = [answer.answer, ''];
  if (answer.notice) lines.push(`! ${answer.notice}`, '');
  if (answer.citations.length > 0) {
    lines.push(zh ? '来源：' : 'Sources:');
    for (const citation of answer.citations) {
      const passage = citation.text.replace(/\s+/g, ' ');
      lines.push(
        `  [${citation.marker}] 《${citation.title}》 chars ${citation.start}-${citation.end}: ${passage.length > 90 ? `${passage.slice(0, 90)}…` : passage}`,
      );
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

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { citedSnippet, formatAnswerForTerminal, plainTerminalText } from '../../src/cli/format-answer.js';
import type { TutorAnswer } from '../../src/tutor/tutor-types.js';
import { createTestRuntime } from '../support/test-runtime.js';

/**
 * What a learner notices on the shipped corpus: a yes/no verdict that agrees with the negation in its own quote, a
 * verdict resting on the question's main clause (not on its condition), and a terminal answer without Markdown markup
 * whose source lines show the quoted sentence.
 */
describe('answers as a learner reads them', () => {
  let fixture: Awaited<ReturnType<typeof createTestRuntime>>;
  beforeAll(async () => {
    fixture = await createTestRuntime();
  });
  afterAll(() => fixture.dispose());
  const ask = (question: string): Promise<TutorAnswer> => fixture.runtime.offlineAnswerer.answer({ question });

  it('a yes/no whose evidence says 不需要… answers no', async () => {
    const answer = await ask('模型应用需要参数更新吗？');
    expect(answer.answer).toContain('不需要进行大量的参数更新');
    expect(answer.answer).toMatch(/^不需要。/);
  });

  it('never says yes over a quote that negates, when the claim words sit in a condition', async () => {
    const answer = await ask('模型直接拿来用的时候，它里面的东西会变吗？');
    expect(answer.answer).not.toMatch(/^(?:是的|会)。/);
  });

  it('a CLI answer shows no Markdown asterisks, and its sources start at the quoted sentence', async () => {
    for (const question of ['模型应用和微调的目的有什么不同？', 'What is the difference between fine-tuning and tuning?']) {
      const answer = await ask(question);
      const printed = formatAnswerForTerminal(answer);
      expect(printed).not.toContain('**');
      for (const citation of answer.citations) {
        const first = citation.spans?.[0];
        if (!first) continue;
        const quoted = plainTerminalText(citation.text.slice(first.start - citation.start, first.end - citation.start))
          .replace(/^\s*(?:[-*•]\s+)?/, '')
          .replace(/\s+/g, ' ')
          .slice(0, 20);
        expect(citedSnippet(citation)).toContain(quoted);
      }
    }
  });

  it('a contrast of two sides on an aspect quotes neither side from a section about a third term', async () => {
    const answer = await ask('How do fine-tuning and tuning differ in when they happen during training?');
    expect(answer.answer).toMatch(/\bTuning\b|调教/);
    expect(answer.answer).not.toMatch(/Application:|应用\*{0,2}:/);
  });

  it('plain terminal text keeps the words of emphasis and lists', () => {
    expect(plainTerminalText('- **应用**:更快\n- **微调**:时间较长')).toBe('• 应用:更快\n• 微调:时间较长');
    expect(plainTerminalText('The article contrasts **fine-tuning** (微调) and *tuning*.')).toBe(
      'The article contrasts fine-tuning (微调) and tuning.',
    );
  });
});

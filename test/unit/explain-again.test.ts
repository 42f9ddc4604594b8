import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TutorAnswer } from '../../src/tutor/tutor-types.js';
import { createTestRuntime } from '../support/test-runtime.js';

const latin = (text: string): number => (text.match(/[A-Za-z]/g) ?? []).length;
const cjk = (text: string): number => (text.match(/[\u3400-\u9fff]/g) ?? []).length;
/** The answer's own words, without the glossed terms "(微调)" an English answer keeps beside its English ones. */
const prose = (answer: TutorAnswer): string => answer.answer.replace(/\([\u3400-\u9fff]+\)/g, '');

/**
 * "Explain again" as the chat service asks it: the explained turn's standalone query with a style or a language. On
 * first answers of several kinds (a contrast, a yes/no question, an example) in both languages, each way differs from
 * the first answer and is what its button promises.
 */
describe('explain again on first answers of several kinds', () => {
  let fixture: Awaited<ReturnType<typeof createTestRuntime>>;
  beforeAll(async () => {
    fixture = await createTestRuntime();
  });
  afterAll(() => fixture.dispose());

  const firstQuestions = [
    ['zh', '微调和调教有什么区别？'],
    ['zh', '微调的时候模型要从零开始学吗？'],
    ['zh', '能举个例子吗？（微调）'],
    ['zh', '微调有什么风险？'],
    ['en', 'What is the difference between fine-tuning and tuning?'],
    ['en', 'Does fine-tuning start from scratch?'],
    ['en', 'Can you give me an example? (fine-tuning)'],
  ] as const;

  it.each(firstQuestions)('%s "%s": simpler is a short definition, unlike the first answer', async (language, question) => {
    const answerer = fixture.runtime.offlineAnswerer;
    const first = await answerer.answer({ question });
    const simpler = await answerer.answer({ question, style: 'simpler' });
    expect(simpler.grounded).toBe(true);
    expect(simpler.language).toBe(language);
    expect(simpler.answer).not.toBe(first.answer);
    // One plain frame, then the topic's defining sentence(s).
    expect(simpler.answer).toMatch(language === 'zh' ? /^简单来说/ : /^In short/);
    expect(simpler.answer).toMatch(language === 'zh' ? /通常指的是|指的是/ : /refers to/);
    expect(simpler.answer.length).toBeLessThan(language === 'zh' ? 200 : 400);
  });

  it.each(firstQuestions)(
    '%s "%s": analogy quotes the cooking analogy on the topic, unlike the first answer',
    async (language, question) => {
      const answerer = fixture.runtime.offlineAnswerer;
      const first = await answerer.answer({ question });
      const analogy = await answerer.answer({ question, style: 'analogy' });
      expect(analogy.grounded).toBe(true);
      expect(analogy.answer).not.toBe(first.answer);
      expect(analogy.citations.length).toBeGreaterThan(0);
      for (const citation of analogy.citations) {
        const chunk = fixture.runtime.passageSearch.allChunks().find((entry) => entry.chunkId === citation.chunkId)!;
        expect(
          chunk.headingPath.some((heading) => heading.includes('烹饪')),
          citation.text,
        ).toBe(true);
      }
      expect(analogy.answer).toMatch(language === 'zh' ? /微调/ : /fine-tuning/i);
    },
  );

  it.each(firstQuestions)('%s "%s": the other language tells the same evidence in that language', async (language, question) => {
    const answerer = fixture.runtime.offlineAnswerer;
    const first = await answerer.answer({ question });
    const other = language === 'zh' ? 'en' : 'zh';
    const again = await answerer.answer({ question, language: other });
    expect(again.language).toBe(other);
    expect(again.answer).not.toBe(first.answer);
    if (other === 'en') expect(latin(prose(again))).toBeGreaterThan(cjk(prose(again)));
    else expect(cjk(again.answer)).toBeGreaterThan(latin(again.answer));
    const firstPassages = new Set(first.citations.map((citation) => citation.chunkId));
    expect(again.citations.some((citation) => firstPassages.has(citation.chunkId))).toBe(true);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TutorAnswer } from '../../src/tutor/tutor-types.js';
import { answerConversation, createTestRuntime } from '../support/test-runtime.js';

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

/**
 * A typed request ("能用比喻解释一下吗？", "Explain it more simply", "In English, please") after first questions of
 * several kinds: the analogy is searched on the previous topic (its passages cited, not the first answer's), the simpler
 * answer is a definition, the other language tells the first answer's evidence, and each differs from the first answer.
 */
describe('typed explain-again requests in a conversation', () => {
  let fixture: Awaited<ReturnType<typeof createTestRuntime>>;
  beforeAll(async () => {
    fixture = await createTestRuntime();
  });
  afterAll(() => fixture.dispose());

  const converse = (...questions: string[]): Promise<TutorAnswer[]> => answerConversation(fixture.runtime.offlineAnswerer, questions);
  const headingsOf = (chunkId: string): readonly string[] =>
    fixture.runtime.passageSearch.allChunks().find((chunk) => chunk.chunkId === chunkId)?.headingPath ?? [];

  it.each([
    ['微调是什么？', '能用比喻解释一下吗？', /微调/],
    ['什么是预训练模型？', '打个比方呢？', /厨师/],
    ['调教和微调有什么区别？', '能用比喻说一下吗？', /调教[\s\S]*微调|微调[\s\S]*调教/],
    ['What is fine-tuning?', 'Can you explain with an analogy?', /fine-tuning/i],
    ['What is tuning?', 'Can you explain it with an analogy?', /tuning/i],
  ])('"%s" then "%s": the analogy on that topic, searched and cited from the analogy', async (first, request, names) => {
    const [plain, analogy] = (await converse(first, request)) as [TutorAnswer, TutorAnswer];
    expect(analogy.answer).not.toBe(plain.answer);
    expect(analogy.answer).toMatch(names);
    expect(analogy.searchedFor).toMatch(/烹饪|cooking/);
    expect(analogy.citations.length).toBeGreaterThan(0);
    for (const citation of analogy.citations) expect(headingsOf(citation.chunkId).some((heading) => heading.includes('烹饪'))).toBe(true);
    const [best] = (await fixture.runtime.passageSearch.searchWithEvidence(analogy.searchedFor, { k: 1 })).ranked;
    expect(best && headingsOf(best.chunk.chunkId).some((heading) => heading.includes('烹饪'))).toBe(true);
  });

  it('asked for an analogy of a topic the story never mentions, tells the story and claims no figure for it', async () => {
    for (const [first, request] of [
      ['什么是过拟合？', '能用比喻解释一下吗？'],
      ['What is overfitting?', 'Can you explain it with an analogy?'],
    ] as const) {
      const [, analogy] = (await converse(first, request)) as [TutorAnswer, TutorAnswer];
      expect(analogy.answer.slice(0, analogy.answer.indexOf('\n'))).not.toMatch(/过拟合|overfit/i);
      expect(analogy.searchedFor).toMatch(/烹饪|cooking/);
      expect(analogy.citations.length).toBeGreaterThan(0);
      for (const citation of analogy.citations) expect(headingsOf(citation.chunkId).some((heading) => heading.includes('烹饪'))).toBe(true);
    }
  });

  it('keeps the analogy for a follow-up on the other term, and answers a topic switch as asked', async () => {
    const [, , other, switched] = await converse(
      'What is tuning?',
      'Can you explain it with an analogy?',
      'And fine-tuning?',
      'Does model application need a GPU?',
    );
    expect(other?.searchedFor).toMatch(/fine-tuning/);
    expect(other?.citations.every((citation) => headingsOf(citation.chunkId).some((heading) => heading.includes('烹饪')))).toBe(true);
    expect(switched?.searchedFor).toBe('Does model application need a GPU?');
    expect(switched?.answer).toMatch(/GPU/);
  });

  it('explains a definition more simply with a defining sentence, not a bullet under its label', async () => {
    const [first, simpler] = (await converse('模型应用是什么？', '说得通俗一点')) as [TutorAnswer, TutorAnswer];
    expect(simpler.answer).toMatch(/^简单来说/);
    expect(simpler.answer).toMatch(/直接使用预训练模型/);
    expect(simpler.answer).not.toMatch(/更快/);
    expect(first.answer).not.toBe(simpler.answer);
  });

  it('tells the first answer again in the other language, on the same evidence', async () => {
    const [first, english] = (await converse('微调有什么风险？', 'In English, please')) as [TutorAnswer, TutorAnswer];
    expect(english.language).toBe('en');
    expect(latin(prose(english))).toBeGreaterThan(cjk(prose(english)));
    expect(english.answer).toMatch(/overfit/);
    const firstPassages = new Set(first.citations.map((citation) => citation.chunkId));
    expect(english.citations.some((citation) => firstPassages.has(citation.chunkId))).toBe(true);
  });
});

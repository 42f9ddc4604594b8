import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { coverageGain } from '../../src/tutor/offline/plan-support.js';
import { containsTerm, type EvidenceSentence } from '../../src/tutor/offline/sentence-evidence.js';
import type { TutorAnswer } from '../../src/tutor/tutor-types.js';
import { createTestRuntime } from '../support/test-runtime.js';

/**
 * The selection rules of the answer plans, as a learner asking in their own words notices them: each side of a
 * contrast stated by a sentence about that side, a single-topic answer that keeps to its topic, no analogy leading a
 * plain answer, and no sentence cited beyond what the question asks.
 */
describe('answer plans choose the evidence the question needs', () => {
  let fixture: Awaited<ReturnType<typeof createTestRuntime>>;
  beforeAll(async () => {
    fixture = await createTestRuntime();
  });
  afterAll(() => fixture.dispose());

  const ask = (question: string): Promise<TutorAnswer> => fixture.runtime.offlineAnswerer.answer({ question });
  const flat = (answer: TutorAnswer): string => answer.answer.replace(/\*\*/g, '').replace(/\s+/g, '');
  /** The answer's content after its frame line. */
  const body = (answer: TutorAnswer): string => flat({ ...answer, answer: answer.answer.slice(answer.answer.indexOf('\n\n') + 2) });
  /** The sentences an answer cites, as the article writes them. */
  const citedTexts = (answer: TutorAnswer): string[] =>
    answer.citations.flatMap((citation) =>
      (citation.spans ?? []).map((span) => citation.text.slice(span.start - citation.start, span.end - citation.start)),
    );
  const citedSentences = (answer: TutorAnswer): number =>
    answer.citations.reduce((sum, citation) => sum + (citation.spans?.length ?? 0), 0);

  it('a side the question names in its own words takes the counterpart the article sets against the other side', async () => {
    for (const question of ['直接用模型和微调模型有啥不一样？', 'How is using a pretrained model different from fine-tuning it?']) {
      const answer = await ask(question);
      // The sentences cited, as the article writes them: one labelled with each side ("**应用**:…", "**微调**:…").
      const cited = citedTexts(answer);
      const labels = cited.map((sentence) => /^\s*(?:[-*]\s+)?\*\*([^*]+)\*\*:/.exec(sentence)?.[1]);
      expect(labels.sort(), question).toEqual(['应用', '微调']);
    }
  });

  it('a which-question naming a specific term beside the two it chooses between cites the sentence on that term', async () => {
    for (const question of ['改学习率属于微调还是调教？', 'Is changing the learning rate fine-tuning or tuning?']) {
      const answer = await ask(question);
      const cited = citedTexts(answer);
      // 学习率 is named by one sentence of the article; 微调 and 调教 by nearly all: the answer must hold that one.
      expect(
        cited.some((sentence) => sentence.includes('学习率')),
        question,
      ).toBe(true);
    }
  });

  it('reads "说的是哪一个" and "compared to" as asking what a detail stands for, and finds a mapping a sentence or two on', async () => {
    const cases: [string, RegExp][] = [
      ['做菜那个比方里，给客人把菜弄得更辣一点，说的是哪一个？', /这个过程就是微调/],
      // The beginner's story says "这个过程包括了很多试验和错误…" before "这个过程就是调教".
      ['In the cooking story, what is the beginner who keeps trying seasonings compared to?', /这个过程就是调教/],
    ];
    for (const [question, mapping] of cases)
      expect(
        citedTexts(await ask(question)).some((sentence) => mapping.test(sentence)),
        question,
      ).toBe(true);
  });

  it('asked what a detail of the analogy corresponds to, the answer names the term it stands for', async () => {
    for (const question of ['炖肉的时候加辣椒对应什么？', 'In the cooking analogy, what does adding chili correspond to?']) {
      const answer = await ask(question);
      const cited = citedTexts(answer);
      // The figure (辣椒) and the sentence of its paragraph that maps it onto the term ("这个过程就是微调").
      expect(
        cited.some((sentence) => sentence.includes('辣椒')),
        question,
      ).toBe(true);
      expect(
        cited.some((sentence) => /这个过程就是微调/.test(sentence)),
        question,
      ).toBe(true);
    }
  });

  it('a contrast asked in everyday words ("哪里不一样") gives a sentence on each side', async () => {
    const answer = await ask('微调跟调教哪里不一样？');
    const text = body(answer);
    expect(text).toContain('针对特定任务进行进一步的训练');
    expect(text).toContain('调教这个词通常更广义');
  });

  it('whether one is a kind of the other: literal statements of both, never the figure of the analogy', async () => {
    for (const question of ['微调只是调教的一种吗？', '微调是不是调教的一种？']) {
      const text = body(await ask(question));
      expect(text, question).toContain('调教这个词通常更广义');
      expect(text, question).toContain('针对特定任务进行进一步的训练');
      expect(text, question).not.toMatch(/就像是|更像是|做一道菜/);
    }
  });

  it('a single-topic answer keeps to its topic and does not open with the analogy', async () => {
    const answer = await ask('微调适合什么样的任务？');
    const text = body(answer);
    expect(text).not.toMatch(/另一方面|刚开始学习做这道菜/);
    // A sentence labelled with the other term ("应用:…") is about that term.
    expect(text).not.toMatch(/(?:^|。|\])应用:/);
    expect(text.startsWith('微调')).toBe(true);
  });

  it('asked which of two is better in a respect a heading names, both sides of that section', async () => {
    const answer = await ask('模型应用和微调哪个更省时间？');
    const text = body(answer);
    expect(text).toContain('更快,因为无需重新训练');
    expect(text).toContain('时间较长,因为涉及到训练');
    expect(citedSentences(answer)).toBe(2);
  });

  it('asked what the two share in other words than the heading, the section on what they have in common', async () => {
    for (const question of ['模型应用和微调有什么相同的地方？', 'What do applying a model and fine-tuning share?']) {
      const answer = await ask(question);
      const cited = answer.citations.map((citation) => citation.text).join('');
      expect(cited, question).toContain('两者都依赖于大型预训练模型');
      expect(cited, question).toContain('需要较高的计算资源,如GPU支持');
      expect(citedSentences(answer), question).toBe(3);
      // The frame says what they share, not "the difference".
      expect(answer.answer.split('\n')[0], question).not.toMatch(/不同|区别|differ|contrast/i);
    }
  });

  it('a risk asked in English names the risk of the topic, not a limit of the other term', async () => {
    const answer = await ask('What can go wrong when you fine-tune?');
    expect(answer.answer.toLowerCase()).toContain('overfit');
    expect(answer.answer).not.toMatch(/^Application:/m);
  });

  it('stop rule: a further sentence must add enough of the question’s weighted words', () => {
    const sentence = (terms: string[]): EvidenceSentence => ({ terms: new Set(terms) }) as unknown as EvidenceSentence;
    const weights = new Map([
      ['微调', 1],
      ['任务', 2],
      ['适合', 3],
    ]);
    expect(coverageGain(weights, new Set(['微调', '任务']), sentence(['微调', '任务']))).toBe(0);
    expect(coverageGain(weights, new Set(['微调']), sentence(['微调', '适合']))).toBeCloseTo(0.5);
    expect(coverageGain(new Map(), new Set(), sentence(['微调']))).toBe(0);
  });

  it('English query words match where a word starts: "go" is not in "good", stems still match', () => {
    expect(containsTerm('the results may not be as good', 'go')).toBe(false);
    expect(containsTerm('where did it go wrong', 'go')).toBe(true);
    expect(containsTerm('the difference between them', 'differenc')).toBe(true);
    expect(containsTerm('它们的区别', '区别')).toBe(true);
  });
});

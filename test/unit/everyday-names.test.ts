import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GlossaryTerm } from '../../src/ingest/glossary.js';
import { createEverydayNameReader } from '../../src/retrieval/everyday-names.js';
import { getDefaultJieba } from '../../src/retrieval/text-analyzer.js';
import type { TutorAnswer } from '../../src/tutor/tutor-types.js';
import { citedSentences } from '../support/cited-sentences.js';
import { createTestRuntime } from '../support/test-runtime.js';

const term = (zh: string, everyday: string[]): GlossaryTerm => ({ zh, en: [zh], gloss: zh, everyday });
const jieba = getDefaultJieba();
const cut = (text: string): string[] => jieba.cut(text, false);

/** A made-up corpus: it writes 过拟合, 微调, 训练, 重新训练, 优化 and 表现, nothing else of the forms below. */
const corpusText = '微调可能过拟合。重新训练需要时间。训练和优化会改变表现。';
const read = createEverydayNameReader({
  terms: [
    term('过拟合', ['学过头', '死记硬背', '表现']),
    term('计算资源', ['硬件', '硬件资源']),
    term('调教', ['调优']),
    term('微调', []),
    term('训练', []),
    term('优化', []),
    term('重新训练', ['重训练']),
  ],
  writtenByCorpus: (text) => corpusText.includes(text),
  cut,
});

describe('everyday names of the article terms (glossary `everyday`)', () => {
  it('reads a question with the term in place of its everyday name', () => {
    expect(read('微调会不会学过头？')).toBe('微调会不会过拟合？');
    expect(read('会不会死记硬背训练数据，还很吃硬件？')).toBe('会不会过拟合训练数据，还很吃计算资源？');
  });

  it('takes the longest name first, and a term inside a name is part of it', () => {
    expect(read('微调要多少硬件资源？')).toBe('微调要多少计算资源？');
    expect(read('重训练一遍要多久？')).toBe('重新训练一遍要多久？');
  });

  it('leaves a name the corpus itself writes, one inside a longer word, and one across a term the question writes', () => {
    // 表现 is the corpus's own word: it is searched as written.
    expect(read('微调后的表现怎么样？')).toBe('微调后的表现怎么样？');
    // 软硬件 is one word to jieba: its 硬件 is no word of the question.
    expect(read('软硬件都要升级吗？')).toBe('软硬件都要升级吗？');
    // 微调优化: 调优 straddles 微调 and 优化.
    expect(read('微调优化模型要多久？')).toBe('微调优化模型要多久？');
  });

  it('leaves a question without names, and an English one, as typed', () => {
    expect(read('什么是微调？')).toBe('什么是微调？');
    expect(read('Does fine-tuning need much hardware?')).toBe('Does fine-tuning need much hardware?');
  });
});

/** The shipped glossary's everyday names, through the whole offline tutor. Questions of our own writing. */
describe('questions in everyday words reach the article through its glossary names', () => {
  let fixture: Awaited<ReturnType<typeof createTestRuntime>>;
  beforeAll(async () => {
    fixture = await createTestRuntime();
  });
  afterAll(() => fixture.dispose());

  const ask = (question: string): Promise<TutorAnswer> => fixture.runtime.offlineAnswerer.answer({ question });
  const cited = (answer: TutorAnswer): string => citedSentences(fixture.runtime.passageSearch, answer).join('\n');

  it('answers 学过头 from the overfitting sentence and shows the term in "searched for", not as a typo', async () => {
    const answer = await ask('微调会不会学过头？');
    expect(answer.grounded).toBe(true);
    expect(answer.searchedFor).toBe('微调会不会过拟合？');
    expect(answer.corrections ?? []).toEqual([]);
    expect(cited(answer)).toMatch(/但也可能过拟合/);
  });

  it('answers 手把手 (a person guiding) as the human intervention of 调教', async () => {
    const answer = await ask('有人手把手带着模型学，算调教吗？');
    expect(answer.grounded).toBe(true);
    expect(cited(answer)).toMatch(/通过人工干预来指导模型学习/);
  });

  it('answers 火候 in the analogy from the cooking temperature sentence', async () => {
    const answer = await ask('在做菜的比方里，调教也要管火候吗？');
    expect(answer.grounded).toBe(true);
    expect(cited(answer)).toMatch(/烹饪的温度和时间/);
  });

  it.each([['做饭放多少盐比较好？'], ['显卡多少钱一张？'], ['大厨一个月挣多少钱？'], ['炒菜的火候怎么掌握？']])(
    'still refuses %s: a name read as the term brings no topic the article covers',
    async (question) => {
      expect((await ask(question)).grounded).toBe(false);
    },
  );

  it('answers 从头开始学 as the question of whether fine-tuning starts over (学 is no object of the idiom)', async () => {
    const answer = await ask('微调要从头开始学吗？');
    expect(answer.grounded).toBe(true);
    expect(answer.answer.split('\n')[0]).toMatch(/^不/);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TutorAnswer } from '../../src/tutor/tutor-types.js';
import { citedSentences } from '../support/cited-sentences.js';
import { createTestRuntime } from '../support/test-runtime.js';

/**
 * Everyday Chinese words for the article's terms, as a learner types them: a bridge reaches the article's term even
 * when jieba does not know the learner's word (算力) or cuts the article's term into pieces (过拟合 → 过/拟合), a scale
 * phrase jieba's guesses cut across (更省时间) is still read, and a loose bridge (拿来 → 得到 "to get") states no claim.
 * Questions of our own writing.
 */
describe('everyday Chinese words reach the article through CC-CEDICT bridges', () => {
  let fixture: Awaited<ReturnType<typeof createTestRuntime>>;
  beforeAll(async () => {
    fixture = await createTestRuntime();
  });
  afterAll(() => fixture.dispose());

  const ask = (question: string): Promise<TutorAnswer> => fixture.runtime.offlineAnswerer.answer({ question });
  const wordOf = (question: string, word: string) =>
    fixture.runtime.understanding.analyze(question).words.find((entry) => entry.word === word);
  const cited = (answer: TutorAnswer): string => citedSentences(fixture.runtime.passageSearch, answer).join('\n');

  it('reads 算力, a dictionary word jieba does not know, as specific and answers yes from 较高的计算资源', async () => {
    expect(wordOf('微调是不是很吃算力？', '算力')?.general).toBeUndefined();
    const answer = await ask('微调是不是很吃算力？');
    expect(answer.answer.split('\n')[0]).toMatch(/^是的/);
    expect(cited(answer)).toMatch(/较高的计算资源/);
  });

  it('finds 过拟合 for 死记硬背 although jieba cuts the term into 过/拟合', async () => {
    const question = '微调会不会让模型只会死记硬背训练数据？';
    const terms = wordOf(question, '死记硬背')?.terms ?? [];
    const index = fixture.runtime.currentIndex();
    // The bridge reaches a token some passage holds, at a bridge's weight.
    expect(terms.some((term) => term.weight < 1 && index.lexicalIndex.has(term.term))).toBe(true);
    const result = await fixture.runtime.passageSearch.search(question);
    expect(result.passages[0]?.chunk.text).toContain('过拟合');
    expect(cited(await ask(question))).toMatch(/但也可能过拟合/);
  });

  it('reads 省时间 of 更省时间 (cut 更省/时间) as a word on the duration scale', async () => {
    const question = '直接用模型是不是更省时间？';
    expect(wordOf(question, '省时间')?.terms.map((term) => term.term)).toContain('快');
    const result = await fixture.runtime.passageSearch.search(question);
    expect(result.passages[0]?.chunk.text).toContain('更快,因为无需重新训练');
  });

  it('states no claim through a bridge to a common word (拿来 → 得到 "to get")', async () => {
    const question = '开源的预训练模型可以直接拿来做预测吗？';
    expect(fixture.runtime.understanding.analyze(question).standIns?.has('拿来') ?? false).toBe(false);
    const answer = await ask(question);
    expect(cited(answer)).toMatch(/直接使用预训练模型在特定任务上做预测/);
    expect(cited(answer)).not.toMatch(/训练得到的/);
  });

  it.each([['红烧肉的火候怎么掌握？'], ['显卡怎么超频才稳定？']])(
    'still says %s is not covered: bridged everyday words count only at their lower weight',
    async (question) => {
      expect((await fixture.runtime.passageSearch.search(question)).covered).toBe(false);
    },
  );

  // Chinese everyday words for an aspect (硬件 "hardware") reach the aspect table by their primary CC-CEDICT sense, as
  // the English words do; an aspect asked of nothing the article names stays not covered.
  it('reads 硬件 as the hardware aspect and answers yes from the computing-resources sentence', async () => {
    const question = '做微调需要很强的硬件吗？';
    expect(wordOf(question, '硬件')).toMatchObject({ aspect: true, aspectAs: 'hardware' });
    const answer = await ask(question);
    expect(answer.answer.split('\n')[0]).toMatch(/^需要。/);
    expect(cited(answer)).toMatch(/较高的计算资源,如GPU支持/);
  });

  it('a word holding the aspect piece (电脑硬件) asks about it: the question on both terms is covered', async () => {
    const question = '模型应用和微调对电脑硬件有什么要求？';
    expect(wordOf(question, '电脑硬件')?.aspect).toBe(true);
    const result = await fixture.runtime.passageSearch.search(question);
    expect(result.passages.slice(0, 3).some((passage) => passage.chunk.text.includes('计算资源需求'))).toBe(true);
    expect((await ask(question)).grounded).toBe(true);
  });

  it('hardware asked of nothing the article names is not covered', async () => {
    expect((await ask('电脑硬件怎么升级？')).grounded).toBe(false);
    expect((await ask('玩游戏要什么样的电脑硬件？')).grounded).toBe(false);
  });

  // 好 of 很好的显卡 says how good the graphics card is: a sentence that only says the model works better (更好地适应)
  // does not carry it; the one naming GPUs, what 显卡 stands for, does.
  it('answers "does it need a good graphics card" from the GPU sentence, not from a sentence that is only "better"', async () => {
    const answer = await ask('微调需要很好的显卡吗？');
    expect(cited(answer)).toMatch(/较高的计算资源,如GPU支持/);
    expect(cited(answer)).not.toMatch(/更好地适应新的输入数据/);
  });

  // "都需要…" of the section on what both share says it of each: the subject need not be named in the sentence.
  it('answers a question on what both need from the shared section, which names neither', async () => {
    expect(cited(await ask('模型应用和微调都需要很好的显卡吗？'))).toMatch(/都需要较高的计算资源,如GPU支持/);
    expect(cited(await ask('模型应用和微调都要用到预训练模型吗？'))).toMatch(/两者都依赖于大型预训练模型/);
  });

  // The section on what both share names neither thing: what it says, it says of the two its document's title joins.
  it('ranks the shared section first for a question on both terms that names neither in its words (吃硬件)', async () => {
    const search = (question: string) => fixture.runtime.passageSearch.search(question);
    expect((await search('模型应用和微调是不是都很吃硬件？')).passages[0]?.chunk.text).toContain('计算资源需求');
    // A question on one side of the title only (大模型微调 is one side) is not asking about both.
    expect((await search('大模型微调是什么？')).passages[0]?.chunk.headingPath).not.toContain('共性');
  });
});

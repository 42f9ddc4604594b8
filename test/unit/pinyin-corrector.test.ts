import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileCedict } from '../../src/retrieval/cedict-compiler.js';
import { createCedictTableFromEntries } from '../../src/retrieval/cedict-table.js';
import { isStopword } from '../../src/retrieval/function-words.js';
import { createPinyinCorrector, derivePinyinKeys, pinyinReadings } from '../../src/retrieval/pinyin-corrector.js';
import { getDefaultJieba } from '../../src/retrieval/text-analyzer.js';
import { createTestRuntime } from '../support/test-runtime.js';

const corpusWords = ['微调', '调教', '实践', '模型', '区别'];
const homophoneEntries = compileCedict(
  createCedictTableFromEntries([{ traditional: '時間', simplified: '时间', pinyin: 'shi2 jian1', english: ['time'] }]),
);
const noEntries = compileCedict(createCedictTableFromEntries([]));
const corrector = createPinyinCorrector({
  data: derivePinyinKeys(corpusWords, homophoneEntries),
  isCorpusWord: (word) => corpusWords.includes(word),
  isStopword,
  cut: (text) => getDefaultJieba().cut(text, true),
  rank: (left, right) => left.localeCompare(right),
});

describe('pinyin typo correction', () => {
  it('compares every reading of polyphonic characters', () => {
    // pinyin-pro reads 微调 "wei tiao" by default, 微掉 "wei diao": only all readings of 调 meet.
    expect(pinyinReadings('微调')).toEqual(expect.arrayContaining(['wei tiao', 'wei diao']));
  });

  it.each([
    ['微掉是什么？', '微调是什么？', '微掉', '微调'],
    ['维调是什么', '微调是什么', '维调', '微调'],
    ['那调角呢？', '那调教呢？', '调角', '调教'],
  ])('reads %s as %s', (question, corrected, from, to) => {
    expect(corrector(question)).toEqual({ text: corrected, corrections: [{ from, to }] });
  });

  it('leaves corpus words, real homophones and function words alone', () => {
    expect(corrector('微调和调教的区别').corrections).toEqual([]);
    // 时间 reads like the corpus's 实践 but is a word of its own.
    expect(corrector('需要多少时间？').corrections).toEqual([]);
    expect(corrector('是的').corrections).toEqual([]);
  });
});

describe('pinyin typos across jieba pieces and glossary terms', () => {
  const words = ['微调', '调教', '训练', '模型', '预训练', '超参数', '参数'];
  const glossaryCorrector = createPinyinCorrector({
    data: derivePinyinKeys(words, noEntries),
    isCorpusWord: (word) => ['微调', '调教', '训练', '模型', '参数'].includes(word),
    isStopword,
    cut: (text) => getDefaultJieba().cut(text, true),
    rank: (left, right) => left.localeCompare(right),
  });

  it.each([
    // jieba glues the typo's last character to the conjunction after it: 维/调和/调教.
    ['维调和调教有什么区别？', '微调和调教有什么区别？', '维调', '微调'],
    // A typed character before a corpus word it belongs to: 遇/训练 reads like the glossary's 预训练.
    ['遇训练模型像什么？', '预训练模型像什么？', '遇训练', '预训练'],
    ['超餐数的调整属于调教吗？', '超参数的调整属于调教吗？', '超餐数', '超参数'],
  ])('reads %s as %s', (question, corrected, from, to) => {
    expect(glossaryCorrector(question)).toEqual({ text: corrected, corrections: [{ from, to }] });
  });

  it('reads a window across function characters that sound like a corpus word: 过你和 is 过拟合', () => {
    const overfitting = createPinyinCorrector({
      data: derivePinyinKeys(['微调', '过拟合', '数据集'], noEntries),
      isCorpusWord: (word) => ['微调', '过拟合', '数据'].includes(word),
      isStopword,
      cut: (text) => getDefaultJieba().cut(text, true),
      rank: (left, right) => left.localeCompare(right),
    });
    expect(overfitting('微调会不会过你和？')).toEqual({ text: '微调会不会过拟合？', corrections: [{ from: '过你和', to: '过拟合' }] });
    expect(overfitting('数据急太小会怎样')).toEqual({ text: '数据集太小会怎样', corrections: [{ from: '数据急', to: '数据集' }] });
    expect(overfitting('微调和你有什么关系').corrections).toEqual([]);
  });

  it('reads a function character as the function word it is: 调了 is "adjusted", not 调料 through 了 "liao"', () => {
    const seasoning = createPinyinCorrector({
      data: derivePinyinKeys(['调料', '调教', '过拟合'], noEntries),
      isCorpusWord: (word) => ['调料', '调教', '过拟合', '调', '参数'].includes(word),
      isStopword,
      cut: (text) => getDefaultJieba().cut(text, true),
      rank: (left, right) => left.localeCompare(right),
    });
    expect(seasoning('参数调了以后会怎样？').corrections).toEqual([]);
    expect(seasoning('调了超参数算调教吗').corrections).toEqual([]);
    expect(seasoning('调角和微调一样吗').corrections).toEqual([{ from: '调角', to: '调教' }]);
    expect(seasoning('会不会过你和').corrections).toEqual([{ from: '过你和', to: '过拟合' }]);
  });

  it('never corrects a run of correctly spelled corpus words, nor a homophone sharing no character', () => {
    expect(glossaryCorrector('训练模型的参数').corrections).toEqual([]);
    expect(glossaryCorrector('这就是最后的结果').corrections).toEqual([]);
  });
});

describe('pinyin typos of the shipped corpus, as a learner types them', () => {
  let fixture: Awaited<ReturnType<typeof createTestRuntime>>;
  beforeAll(async () => {
    fixture = await createTestRuntime();
  });
  afterAll(() => fixture.dispose());

  it.each([['微调会不会过你和？'], ['过你和是什么意思？'], ['为什么会过你和']])('corrects 过你和 to 过拟合 in %s', (question) => {
    expect(fixture.runtime.understanding.correct(question).corrections).toEqual([{ from: '过你和', to: '过拟合' }]);
  });

  it('leaves a verb and its particle alone: 调了 is not the corpus word 调料', () => {
    expect(fixture.runtime.understanding.correct('参数调了以后会怎样？').corrections).toEqual([]);
  });

  it('leaves words of general language that read like a corpus word alone unless it is a key term: 只在 is not 旨在', () => {
    expect(fixture.runtime.understanding.correct('调教只在训练的最后阶段进行吗？').corrections).toEqual([]);
    expect(fixture.runtime.understanding.correct('微条是什么').corrections).toEqual([{ from: '微条', to: '微调' }]);
  });

  it('corrects 数据急 to 数据集 when jieba glues it to the locative after it', () => {
    expect(fixture.runtime.understanding.correct('小数据急上微调有风险吗？')).toEqual({
      text: '小数据集上微调有风险吗？',
      corrections: [{ from: '数据急', to: '数据集' }],
    });
  });

  it.each([
    // jieba glues the typo's last character to the frame after it: 学习/绿是/什么, 翻一是/什么.
    ['学习绿是什么？', '学习绿', '学习率'],
    ['翻一是什么？', '翻一', '翻译'],
    // ... or the typo's first character to the frame before it: 能/举个国/拟合.
    ['能举个国拟合的例子吗？', '国拟合', '过拟合'],
    // A conjunction opening the question joins nothing: 与 is typed for 预.
    ['与训练模型是什么？', '与训练模型', '预训练模型'],
    // A term typed with other characters throughout, which make no word.
    ['威挑有什么风险？', '威挑', '微调'],
    // A typo inside a long glossary term, among the words jieba cuts it into.
    ['试验河错误是什么？', '试验河错误', '试验和错误'],
  ])('corrects %s (%s to %s)', (question, from, to) => {
    expect(fixture.runtime.understanding.correct(question).corrections).toEqual([{ from, to }]);
  });

  it('leaves a word of the dictionary alone, and a conjunction between two words', () => {
    expect(fixture.runtime.understanding.correct('这番话和微调有什么关系？').corrections).toEqual([]);
    expect(fixture.runtime.understanding.correct('微调与训练有什么区别？').corrections).toEqual([]);
  });

  it('reads the corrected question as the clean one: the same kind of answer from the same passage', async () => {
    const typed = await fixture.runtime.offlineAnswerer.answer({ question: '捧饪是什么？', history: [] });
    const clean = await fixture.runtime.offlineAnswerer.answer({ question: '烹饪是什么？', history: [] });
    expect(typed.corrections).toEqual([{ from: '捧饪', to: '烹饪' }]);
    expect(typed.answer).toBe(clean.answer);
    expect(typed.citations.map((citation) => citation.chunkId)).toEqual(clean.citations.map((citation) => citation.chunkId));
  });

  it('leaves a guessed word alone whose edge character starts a key term written right: 讲大模型 is 讲 + 大模型, not 强大', () => {
    expect(fixture.runtime.understanding.correct('我在看一篇讲大模型的文章').corrections).toEqual([]);
  });

  it('corrects a typo jieba glues to the 有 of "有什么区别": 掉教有 is 掉教 + 有', () => {
    expect(fixture.runtime.understanding.correct('微调和掉教有什么区别？').corrections).toEqual([{ from: '掉教', to: '调教' }]);
  });

  it('answers the corrected question from the overfitting sentence', async () => {
    const answer = await fixture.runtime.offlineAnswerer.answer({ question: '微调会不会过你和？', history: [] });
    expect(answer.grounded).toBe(true);
    expect(answer.corrections).toEqual([{ from: '过你和', to: '过拟合' }]);
    expect(answer.answer).toContain('过拟合');
  });
});

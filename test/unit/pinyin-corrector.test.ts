import { describe, expect, it } from 'vitest';
import { isStopword } from '../../src/retrieval/function-words.js';
import { createPinyinCorrector, derivePinyinKeys, pinyinReadings } from '../../src/retrieval/pinyin-corrector.js';
import { getDefaultJieba } from '../../src/retrieval/text-analyzer.js';

const corpusWords = ['微调', '调教', '实践', '模型', '区别'];
const homophoneEntries = [{ simplified: '时间', pinyin: 'shi2 jian1' }];
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
    data: derivePinyinKeys(words, []),
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

  it('never corrects a run of correctly spelled corpus words, nor a homophone sharing no character', () => {
    expect(glossaryCorrector('训练模型的参数').corrections).toEqual([]);
    expect(glossaryCorrector('这就是最后的结果').corrections).toEqual([]);
  });
});

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

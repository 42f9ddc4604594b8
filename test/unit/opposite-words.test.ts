import { describe, expect, it } from 'vitest';
import { areOpposites, poleWordsOf, scaleWordsOf } from '../../src/retrieval/opposite-words.js';
import { polesIn } from '../../src/tutor/offline/yes-no-claim.js';

const read = (text: string): string[] => poleWordsOf(text).map((pole) => `${pole.word}:${pole.scale}${pole.pole > 0 ? '+' : '-'}`);

describe('opposites of everyday language, in Chinese and English', () => {
  it.each([
    ['时间较长', ['较长:duration+']],
    ['它更快', ['更快:duration-']],
    ['Does it take less time?', ['less time:duration-']],
    ['It takes longer.', ['takes longer:duration+']],
    ['针对特定任务进行小的调整', ['小:amount-']],
    ['进行大范围的调整', ['大范围:amount+']],
    ['需要较高的计算资源', ['较高:amount+']],
    ['在预训练模型的基础上', ['基础上:origin-']],
    ['要从零开始学', ['从零开始:origin+']],
    ['Does it start from scratch?', ['from scratch:origin+']],
    ['调教这个词更广义', ['广义:breadth+']],
    ['Is tuning narrower?', ['narrower:breadth-']],
  ])('reads %s', (text, poles) => {
    expect(read(text)).toEqual(poles);
  });

  it('reads English poles in any case, and none where a form only stands inside another word', () => {
    expect(read('It Takes LONGER Than applying')).toEqual(['takes longer:duration+']);
    expect(read('A FASTER route')).toEqual(['faster:duration-']);
    // "all" inside "small" and "install", "long" inside "belongs": no scope or duration pole there.
    expect(read('install it where it belongs')).toEqual([]);
  });

  it('reads both poles where a text gives both ("部分或全部")', () => {
    expect(read('对模型的部分或全部参数进行重新训练')).toEqual(['部分:scope-', '全部:scope+']);
  });

  it('does not read a single character inside a name or a measure as a quality (大模型, 多次)', () => {
    expect(read('大模型微调')).toEqual([]);
    expect(read('这个秘方经过多次尝试')).toEqual([]);
  });

  it('turns a negated pole round: 不长 is short, "not as good" is worse', () => {
    expect(read('时间不长')).toEqual(['长:duration-']);
    expect(read('the results may not be as good')).toEqual(['may:certainty-', 'good:quality-']);
    expect(read('It is not faster')).toEqual(['faster:duration+']);
  });

  it('pairs opposites on one scale only', () => {
    const [longer] = poleWordsOf('时间较长');
    const [faster] = poleWordsOf('Is it faster?');
    const [less] = poleWordsOf('很少的资源');
    expect(longer && faster && areOpposites(longer, faster)).toBe(true);
    expect(longer && less && areOpposites(longer, less)).toBe(false);
  });

  it('leaves the English names of glossary terms out ("large model" is a name, "small adjustment" a quality)', () => {
    const glossary = [
      { zh: '大模型', en: ['large model'], gloss: 'large model' },
      { zh: '小范围的调整', en: ['small adjustment'], gloss: 'small-scale adjustment' },
    ];
    expect(polesIn('Is a large model slow?', glossary).map((pole) => pole.word)).toEqual(['slow']);
    expect(polesIn('Is it a small adjustment?', glossary).map((pole) => pole.word)).toEqual(['small']);
  });
});

describe('the words of a scale, for bridging a question word the corpus does not use', () => {
  it('gives both poles in both languages for a word on a scale, by its stem', () => {
    expect(scaleWordsOf('slower')).toEqual(expect.arrayContaining(['更快', '较长', 'faster', 'takes longer']));
    expect(scaleWordsOf('慢')).toContain('快');
  });

  it('gives nothing for a word on no scale', () => {
    expect(scaleWordsOf('model')).toEqual([]);
  });
});

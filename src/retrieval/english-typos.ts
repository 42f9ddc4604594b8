import type { QueryCorrection } from '../shared/chat-protocol.js';
import type { CompactCedict } from './cedict-compact.js';

/**
 * English typos of the glossary's terms ("fine-tunning", "overfiting", "hyperparamter"), told to the learner as "did you
 * mean …" the way pinyin typos are. A word is read as a term's word only when it is one edit (a letter added, dropped,
 * changed, or two swapped) from it and is no real word: not in the corpus's English, not in the glossary, and not one
 * of the English words CC-CEDICT's senses use that are one edit from a term's word ("turning" beside "tuning"), which
 * the derivation lists so that a question never needs the dictionary to be told apart.
 */
export interface EnglishTypoData {
  /** The words of the glossary's English forms a typo may be read as (five letters or more), sorted. */
  readonly targets: readonly string[];
  /** Real English words one edit from a target (from CC-CEDICT's senses), sorted: never corrected. */
  readonly nearWords: readonly string[];
}

/** Shorter words are one edit from too many others ("rate" / "date" / "gate") for an edit to be a typo. */
export const MIN_TYPO_LENGTH = 5;
const WORD = /[A-Za-z]+/g;
const LOWER_WORD = /^[a-z]+$/;
const HYPHENATED_WORD = /[A-Za-z]+(?:-[A-Za-z]+)*/g;

/** The words of the glossary's English forms a typo may stand for: "fine-tuning" gives "fine" (too short) and "tuning". */
export function typoTargets(forms: Iterable<string>): string[] {
  const targets = new Set<string>();
  for (const form of forms) for (const word of form.toLowerCase().match(WORD) ?? []) if (word.length >= MIN_TYPO_LENGTH) targets.add(word);
  return [...targets].sort();
}

/** Whether two words are one edit apart: a letter added, dropped or changed, or two neighbours swapped. */
export function isOneEditApart(left: string, right: string): boolean {
  if (left === right || Math.abs(left.length - right.length) > 1) return false;
  let start = 0;
  while (start < left.length && start < right.length && left[start] === right[start]) start += 1;
  let leftEnd = left.length;
  let rightEnd = right.length;
  while (leftEnd > start && rightEnd > start && left[leftEnd - 1] === right[rightEnd - 1]) {
    leftEnd -= 1;
    rightEnd -= 1;
  }
  const leftRest = leftEnd - start;
  const rightRest = rightEnd - start;
  if (leftRest <= 1 && rightRest <= 1) return true;
  // Two neighbours swapped: "pretrianed" / "pretrained".
  return leftRest === 2 && rightRest === 2 && left[start] === right[start + 1] && left[start + 1] === right[start];
}

/**
 * The real words one edit from a target: CC-CEDICT's English words (its word-start runs) one edit from a target. Two
 * words are one edit apart only if one of them, or both, with a letter dropped, meet (a swap drops different letters to
 * the same string): the targets' drop-one forms are kept in a map, and each dictionary word of a length that could be
 * one edit from a target is looked up with its own (about 50,000 words, eight lookups each; no edit is generated).
 */
export function deriveEnglishTypoData(compact: CompactCedict, targets: readonly string[]): EnglishTypoData {
  const targetSet = new Set(targets);
  const byKey = new Map<string, string[]>();
  for (const target of targets)
    for (const key of selfAndDropOne(target)) {
      const list = byKey.get(key);
      if (list) list.push(target);
      else byKey.set(key, [target]);
    }
  const lengths = targets.map((target) => target.length);
  const shortest = Math.min(...lengths) - 1;
  const longest = Math.max(...lengths) + 1;
  const near = new Set<string>();
  for (const word of compact.runs) {
    if (word.length < shortest || word.length > longest || targetSet.has(word) || !LOWER_WORD.test(word)) continue;
    for (const key of selfAndDropOne(word)) {
      const found = byKey.get(key);
      if (found?.some((target) => isOneEditApart(word, target))) {
        near.add(word);
        break;
      }
    }
  }
  return { targets: [...targets], nearWords: [...near].sort() };
}

function selfAndDropOne(word: string): string[] {
  const keys = [word];
  for (let at = 0; at < word.length; at += 1) keys.push(word.slice(0, at) + word.slice(at + 1));
  return keys;
}

export interface EnglishTypoReader {
  /** The question with each typo replaced by the term's word, and what was replaced; the question itself when none. */
  correct(question: string): { readonly text: string; readonly corrections: readonly QueryCorrection[] };
}

/**
 * Reads typos against `data`; `isCorpusWord` tells the words of the corpus's own English (its renderings), which are
 * real words whatever the dictionary says. A word one edit from two targets is left as typed: a guess is not a reading.
 */
export function createEnglishTypoReader(data: EnglishTypoData, isCorpusWord: (word: string) => boolean): EnglishTypoReader {
  const targets = new Set(data.targets);
  const nearWords = new Set(data.nearWords);
  const byLength = new Map<number, string[]>();
  for (const target of data.targets) byLength.set(target.length, [...(byLength.get(target.length) ?? []), target]);
  const isRealWord = (word: string): boolean => targets.has(word) || nearWords.has(word) || isCorpusWord(word);
  const readAs = (word: string): string | undefined => {
    // An inflection of a real word is real too ("tuners" of "tuner", which is one edit from "tunes"; "tunings").
    if (word.length < MIN_TYPO_LENGTH || isRealWord(word) || baseForms(word).some(isRealWord)) return undefined;
    const found = [word.length - 1, word.length, word.length + 1]
      .flatMap((length) => byLength.get(length) ?? [])
      .filter((target) => isOneEditApart(word, target));
    return found.length === 1 ? found[0] : undefined;
  };
  return {
    correct(question) {
      const corrections: QueryCorrection[] = [];
      // A hyphenated word is told as a whole ("fine-tunning" → "fine-tuning"), its parts read one by one.
      const text = question.replace(HYPHENATED_WORD, (typed) => {
        const written = typed.replace(WORD, (part) => {
          const target = readAs(part.toLowerCase());
          if (target === undefined) return part;
          if (part.length > 1 && part === part.toUpperCase()) return target.toUpperCase();
          return part[0] === (part[0] as string).toUpperCase() ? `${target[0]?.toUpperCase()}${target.slice(1)}` : target;
        });
        if (written !== typed) corrections.push({ from: typed, to: written });
        return written;
      });
      return { text, corrections };
    },
  };
}

/** The forms an inflected word may come from: without -s, -es, -ed, -ing (and a doubled consonant or a lost e). */
function baseForms(word: string): string[] {
  const forms: string[] = [];
  const strip = (ending: string): string | undefined => (word.endsWith(ending) ? word.slice(0, -ending.length) : undefined);
  for (const ending of ['s', 'es', 'ed', 'ing']) {
    const stem = strip(ending);
    if (stem === undefined || stem.length < 3) continue;
    forms.push(stem, `${stem}e`);
    if (/([b-df-hj-np-tv-z])\1$/.test(stem)) forms.push(stem.slice(0, -1));
  }
  return forms;
}

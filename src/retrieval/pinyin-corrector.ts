import type { QueryCorrection } from '../shared/chat-protocol.js';
import { boundedMemo } from '../support/bounded-memo.js';
import { requireInstalledPackage } from '../support/installed-package.js';
import { type CompactCedict, entriesReading } from './cedict-compact.js';

/** Toneless pinyin of the corpus's Chinese words: "wei tiao" and "wei diao" → ["微调"] (调 reads both ways). */
export interface CorpusPinyinData {
  readonly keys: Readonly<Record<string, readonly string[]>>;
  /** Real words (CC-CEDICT) that read like a corpus word but are not typos of it: 时间 beside the corpus's 实践. */
  readonly homophones: readonly string[];
}

type PinyinFunction = (text: string, options: { multiple: true; type: 'array'; toneType: 'none' }) => string[];
let loadedPinyin: PinyinFunction | undefined;

/** pinyin-pro, required on first use: about 250 ms, paid at ingest or by the first question with an unknown word. */
function pinyinOf(): PinyinFunction {
  loadedPinyin ??= requireInstalledPackage<{ pinyin: PinyinFunction }>('pinyin-pro').pinyin;
  return loadedPinyin;
}

const CJK_RUN = /^[\u3400-\u9fff]+$/;
/** Readings combined per word at most: a word of four polyphonic characters stays a handful of keys. */
const MAX_READING_COMBINATIONS = 32;

/**
 * Every toneless reading of a word: each character read every way it can be (`multiple: true`), combined. Comparing
 * one reading each misses typos through polyphonic characters: pinyin-pro reads 微调 "wei tiao" but 微掉 "wei diao".
 */
export function pinyinReadings(word: string): string[] {
  return rememberedReadings(word);
}

/** Readings are a pure function of the word: learners repeat words, so the latest few thousand are remembered. */
const MAX_REMEMBERED_READINGS = 5000;
const rememberedReadings = boundedMemo(MAX_REMEMBERED_READINGS, (word: string) => computeReadings(word));

/**
 * The toneless readings of one character. A question's windows are mostly new words made of characters seen before:
 * pinyin-pro, the larger part of reading a word, is asked once per character (there are a few thousand in use).
 */
const MAX_REMEMBERED_CHARACTERS = 20_000;
const characterReadings = boundedMemo(MAX_REMEMBERED_CHARACTERS, (character: string): readonly string[] => [
  ...new Set(pinyinOf()(character, { multiple: true, type: 'array', toneType: 'none' }).map((r) => r.replace('ü', 'v'))),
]);

/**
 * The one reading a character has as a function word: the first of its readings, which pinyin-pro lists commonest first
 * (了 "le", not the "liao" of 了解; read alone, without `multiple`, it says "liao"). A particle typed after a word is
 * that particle (参数调了以后 is "the parameters, once adjusted"), not a slip for a syllable it could be read as
 * elsewhere (调料 "tiao liao").
 */
const functionReading = (character: string): readonly string[] => characterReadings(character).slice(0, 1);

/**
 * The readings of a typed word in which its function characters (`isFunction`: 了, 的, 和) are read as function words
 * only, each other character every way it can be. A typo spells a content word with a homophone; it does not make a
 * particle stand for another syllable, so 调了 is not 调料, while 过你和 (你 "ni", 和 "he") still reads 过拟合.
 */
export function typedReadings(word: string, isFunction: (character: string) => boolean): string[] {
  if (![...word].some(isFunction)) return pinyinReadings(word);
  return combineReadings(word, (character) => (isFunction(character) ? functionReading(character) : characterReadings(character)));
}

function computeReadings(word: string): string[] {
  return combineReadings(word, characterReadings);
}

function combineReadings(word: string, readingsOf: (character: string) => readonly string[]): string[] {
  let combinations = [''];
  for (const character of word) {
    const readings = readingsOf(character);
    if (readings.length === 0) return [];
    combinations = combinations.flatMap((prefix) => readings.map((reading) => (prefix === '' ? reading : `${prefix} ${reading}`)));
    if (combinations.length > MAX_READING_COMBINATIONS) combinations = combinations.slice(0, MAX_READING_COMBINATIONS);
  }
  return combinations;
}

/** CC-CEDICT's pinyin as a key: "Wei1 tiao2" → "wei tiao", "lu:4" → "lv4" → "lv". */
export function tonelessPinyin(pinyin: string): string {
  return pinyin.toLowerCase().replace(/u:/g, 'v').replace(/[1-5]/g, '');
}

/**
 * Keys for the corpus's Chinese words of two to four characters (shorter ones collide with everything), and the
 * dictionary words that share a key without being corpus words (CC-CEDICT's own toneless pinyin, looked up by key in
 * its compact form), in the dictionary's order.
 */
export function derivePinyinKeys(words: Iterable<string>, compact: CompactCedict): CorpusPinyinData {
  const keys: Record<string, string[]> = {};
  const corpusWords = new Set<string>();
  for (const word of words) {
    if (!CJK_RUN.test(word) || word.length < 2 || word.length > 4) continue;
    corpusWords.add(word);
    for (const key of pinyinReadings(word)) (keys[key] ??= []).push(word);
  }
  const entries: number[] = [];
  for (const key of Object.keys(keys)) entries.push(...entriesReading(compact, key));
  entries.sort((left, right) => left - right);
  const homophones = new Set<string>();
  for (const entry of entries) {
    const word = compact.headwords[entry] as string;
    if (!corpusWords.has(word)) homophones.add(word);
  }
  return { keys, homophones: [...homophones] };
}

export interface PinyinCorrectorDeps {
  readonly data: CorpusPinyinData;
  /** Whether the corpus uses this word: a word it uses is never corrected. */
  readonly isCorpusWord: (word: string) => boolean;
  /** Function words (的, 是): a run made of them only is not a typo (one of them inside a typo may be: 过你和). */
  readonly isStopword: (word: string) => boolean;
  /** Cuts a question into words (jieba, exact mode). */
  readonly cut: (text: string) => readonly string[];
  /** Orders rival corpus words for one reading, best first (glossary terms, then the more frequent). */
  readonly rank: (left: string, right: string) => number;
  /**
   * Words of general language (只, 在, 调: CC-CEDICT's common words). A window of several pieces that are each one reads
   * as typed (只在 "only at"), so it is taken for a corpus word only when that is a key term (`isKeyTerm`).
   * @default none: every window may be a typo
   */
  readonly isGeneralWord?: (word: string) => boolean;
  /** The corpus's key terms (the hand glossary's: 微调, 过拟合, 数据集). @default none */
  readonly isKeyTerm?: (word: string) => boolean;
}

export interface PinyinCorrection {
  /** The question with every typo replaced by the corpus word. */
  readonly text: string;
  readonly corrections: readonly QueryCorrection[];
}

/**
 * Pinyin input-method typos: a word of the question that the corpus does not use (微掉, 维调, 调角), that is not a
 * dictionary word in its own right, and that reads exactly like a corpus word, tones aside, is taken for that word. Words are jieba's, or runs of single characters
 * jieba could not join (微/条), two to four characters long.
 */
export function createPinyinCorrector(deps: PinyinCorrectorDeps): (text: string) => PinyinCorrection {
  const { keys } = deps.data;
  const homophones = new Set(deps.data.homophones);
  return (text) => {
    const pieces = splitTrailingFunctionCharacters(deps.cut(text), deps.isCorpusWord);
    const corrections: QueryCorrection[] = [];
    let corrected = '';
    for (let index = 0; index < pieces.length; ) {
      const found = correctionAt(pieces, index);
      if (found) {
        corrections.push({ from: found.from, to: found.to });
        corrected += found.to;
        index += found.length;
      } else {
        corrected += pieces[index] as string;
        index += 1;
      }
    }
    return corrections.length === 0 ? { text, corrections } : { text: corrected, corrections };
  };

  function correctionAt(pieces: readonly string[], start: number): { from: string; to: string; length: number } | undefined {
    // Longest first: one jieba word, or up to four pieces in a row (single characters jieba could not join, or a
    // typed character before a corpus word it belongs to: 遇/训练 is 预训练).
    for (let length = Math.min(4, pieces.length - start); length >= 1; length -= 1) {
      const span = pieces.slice(start, start + length);
      // A function character may be part of a typo (过你和 is 过拟合: 你 and 和 are words on their own), but a window of
      // function words only (是的) is not; the reading must still meet a corpus word sharing a character in place.
      if (length > 1 && span.every((piece) => deps.isStopword(piece))) continue;
      // A run of corpus words is spelled right; a typo is in a piece the corpus does not use.
      if (length > 1 && span.every((piece) => piece.length > 1 && deps.isCorpusWord(piece))) continue;
      if (length > 1 && span.filter((piece) => piece.length > 1).length > 1) continue;
      const word = span.join('');
      if (word.length < 2 || word.length > 4 || !CJK_RUN.test(word) || deps.isCorpusWord(word) || homophones.has(word)) continue;
      if (writesKeyTermAcross(pieces, start, length)) continue;
      const targets = new Set<string>();
      for (const reading of typedReadings(word, deps.isStopword))
        for (const target of keys[reading] ?? []) if (target !== word && sharesCharacter(word, target)) targets.add(target);
      // Pieces that are each a word of their own (只/在) make a phrase, not a slip: 只在 is "only at", not 旨在. A key
      // term is still worth the doubt (过/你/和 for 过拟合, 微/条 for 微调): a question about it reads wrongly without it.
      const phrase = length > 1 && deps.isGeneralWord !== undefined && span.every(deps.isGeneralWord);
      const candidates = phrase ? [...targets].filter((target) => deps.isKeyTerm?.(target) === true) : [...targets];
      const best = candidates.sort(deps.rank)[0];
      if (best !== undefined) return { from: word, to: best, length };
    }
    return undefined;
  }

  /**
   * Whether the window's edge character is the start or end of a key term written across it: jieba guesses 讲大 in
   * "一篇讲大模型的文章", whose 大 starts 大模型; the learner wrote 大模型 right, and 讲大 is no slip for 强大.
   */
  function writesKeyTermAcross(pieces: readonly string[], start: number, length: number): boolean {
    if (!deps.isKeyTerm) return false;
    const window = [...pieces.slice(start, start + length).join('')];
    const after = pieces.slice(start + length, start + length + 2).join('');
    const before = pieces.slice(Math.max(0, start - 2), start).join('');
    for (let cut = 1; cut < window.length; cut += 1) {
      const tail = window.slice(cut).join('');
      const head = window.slice(0, cut).join('');
      for (let end = 1; end <= after.length; end += 1) if (deps.isKeyTerm(tail + after.slice(0, end))) return true;
      for (let from = 0; from < before.length; from += 1) if (deps.isKeyTerm(before.slice(from) + head)) return true;
    }
    return false;
  }
}

/**
 * A typo keeps some of the word: at least one character in its place (维调/微调, 超餐数/超参数). Two words that share
 * no character and only sound alike (是事/实施) are different words, not a slip of the input method.
 */
function sharesCharacter(typed: string, target: string): boolean {
  const left = [...typed];
  const right = [...target];
  return left.length === right.length && left.some((character, index) => character === right[index]);
}

/**
 * jieba sometimes joins the typo's last character with the function word after it (维调和调教 → 维/调和/调教), or its
 * first character with the function word before it (会过你和 → 会过/你/和): a piece of two characters the corpus does
 * not use, ending or starting with a function character, is taken as that character and the other one. Pieces that
 * lead to no correction are joined back unchanged.
 */
function splitTrailingFunctionCharacters(pieces: readonly string[], isCorpusWord: (word: string) => boolean): string[] {
  const split: string[] = [];
  for (const piece of pieces) {
    const characters = [...piece];
    const last = characters[characters.length - 1] as string;
    const first = characters[0] as string;
    const splittable = characters.length === 2 && CJK_RUN.test(piece) && !isCorpusWord(piece);
    if (splittable && TRAILING_FUNCTION_CHARACTERS.has(last)) split.push(first, last);
    else if (splittable && LEADING_FUNCTION_CHARACTERS.has(first)) split.push(first, last);
    else split.push(piece);
  }
  return split;
}

/**
 * Conjunctions, particles and locatives that follow a noun: 和, 与, 的, 呢, 吗, 上 (数据急上 → 数据急/上); and the verbs
 * of the commonest question frames after one, 有 and 是 (微调和掉教有什么区别 → 掉/教有 → 掉/教/有).
 */
const TRAILING_FUNCTION_CHARACTERS = new Set(['和', '与', '跟', '的', '呢', '吗', '了', '上', '里', '中', '有', '是']);
/** Modals and adverbs that precede a verb or noun: jieba joins 会过你和 as 会过/你/和, the typo starting at 过. */
const LEADING_FUNCTION_CHARACTERS = new Set(['会', '就', '也', '都', '还', '才', '要', '在', '被', '把', '让', '很', '太']);

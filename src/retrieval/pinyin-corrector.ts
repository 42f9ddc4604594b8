import type { QueryCorrection } from '../shared/chat-protocol.js';
import { boundedMemo } from '../support/bounded-memo.js';
import { requireInstalledPackage } from '../support/installed-package.js';
import { type CompactCedict, entriesReading } from './cedict-compact.js';
import { opensWithConjunction, type TypoPiece, typoPiecesOf } from './typo-pieces.js';

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
 * The readings of a typed word in which its function characters (`isFunction`: 了, 的, 和) at either end are read as
 * function words only, each other character every way it can be. A typo spells a content word with a homophone; a
 * particle typed after a word does not stand for another syllable, so 调了 is not 调料, while 过你和 (你 "ni", 和 "he")
 * still reads 过拟合. Inside a word a function character is no particle: 语了库 is a slip for 语料库 (了 "liao").
 */
export function typedReadings(word: string, isFunction: (character: string, index: number) => boolean): string[] {
  const characters = [...word];
  const atEdge = (index: number): boolean => index === 0 || index === characters.length - 1;
  if (!characters.some((character, index) => atEdge(index) && isFunction(character, index))) return pinyinReadings(word);
  return combineReadings(word, (character, index) =>
    atEdge(index) && isFunction(character, index) ? functionReading(character) : characterReadings(character),
  );
}

function computeReadings(word: string): string[] {
  return combineReadings(word, (character) => characterReadings(character));
}

function combineReadings(word: string, readingsOf: (character: string, index: number) => readonly string[]): string[] {
  let combinations = [''];
  for (const [index, character] of [...word].entries()) {
    const readings = readingsOf(character, index);
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
 * The longest word with a key: a corpus word longer than four characters is a glossary term jieba cuts (试验和错误,
 * 小范围的调整, 大型机器学习模型), reached only by a window of several pieces (试验/河/错误).
 */
const MAX_KEY_CHARACTERS = 8;
/** The most pieces a window of the question takes in: a long term cut into words, a typo among them. */
const MAX_WINDOW_PIECES = 6;
/** Windows longer than this are read only as key terms (a phrase of several words otherwise). */
const MAX_WORD_CHARACTERS = 4;

/**
 * Keys for the corpus's Chinese words of two to eight characters (shorter ones collide with everything), and the
 * dictionary words that share a key without being corpus words (CC-CEDICT's own toneless pinyin, looked up by key in
 * its compact form), in the dictionary's order.
 */
export function derivePinyinKeys(words: Iterable<string>, compact: CompactCedict): CorpusPinyinData {
  const keys: Record<string, string[]> = {};
  const corpusWords = new Set<string>();
  for (const word of words) {
    if (!CJK_RUN.test(word) || word.length < 2 || word.length > MAX_KEY_CHARACTERS) continue;
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
  /** Words of jieba's dictionary (its cut without guessing keeps them whole): never read as a typo joined to a neighbour. @default none */
  readonly isDictionaryWord?: (word: string) => boolean;
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
    const pieces = typoPiecesOf(deps.cut(text), deps);
    const corrections: QueryCorrection[] = [];
    let corrected = '';
    for (let index = 0; index < pieces.length; ) {
      const found = correctionAt(pieces, index);
      if (found) {
        corrections.push({ from: found.from, to: found.to });
        corrected += found.to;
        index += found.length;
      } else {
        corrected += (pieces[index] as TypoPiece).text;
        index += 1;
      }
    }
    return corrections.length === 0 ? { text, corrections } : { text: corrected, corrections };
  };

  function correctionAt(pieces: readonly TypoPiece[], start: number): { from: string; to: string; length: number } | undefined {
    // Longest first: one jieba word, or several pieces in a row (single characters jieba could not join, a typed
    // character before a corpus word it belongs to: 遇/训练 is 预训练, or a long term's words: 试验/河/错误).
    for (let length = Math.min(MAX_WINDOW_PIECES, pieces.length - start); length >= 1; length -= 1) {
      const span = pieces.slice(start, start + length);
      const texts = span.map((piece) => piece.text);
      const opening = opensWithConjunction(
        pieces.map((piece) => piece.text),
        start,
      );
      const isFunction = (character: string, index: number): boolean => deps.isStopword(character) && !(opening && index === 0);
      // A function character may be part of a typo (过你和 is 过拟合: 你 and 和 are words on their own), but a window of
      // function words only (是的) is not; the reading must still meet a corpus word sharing a character in place.
      if (length > 1 && texts.every((piece) => deps.isStopword(piece))) continue;
      // A run of corpus words is spelled right; a typo is in a piece the corpus does not use.
      if (length > 1 && texts.every((piece) => piece.length > 1 && deps.isCorpusWord(piece))) continue;
      const word = texts.join('');
      if (word.length < 2 || word.length > MAX_KEY_CHARACTERS || !CJK_RUN.test(word) || deps.isCorpusWord(word)) continue;
      // A dictionary word jieba reads in the question is a word in its own right (时间 beside the corpus's 实践); one it
      // cuts apart is not read so there (大/行/机器 for 大型机器).
      const oneWord = span.every((piece) => piece.word === (span[0] as TypoPiece).word);
      if (oneWord && homophones.has(word)) continue;
      if (writesKeyTermAcross(pieces, start, length)) continue;
      // Pieces that are each a word of their own (只/在) make a phrase, not a slip: 只在 is "only at", not 旨在. A key
      // term is still worth the doubt (过/你/和 for 过拟合, 微/条 for 微调): a question about it reads wrongly without it.
      // So are two words (计算/资原 for 计算资源): a key term the learner meant, not two corpus words side by side. A
      // character split off a word jieba made of it (绿 of 学习/绿是) stands on its own nowhere.
      const phrase =
        length > 1 && deps.isGeneralWord !== undefined && span.every((piece) => piece.whole && deps.isGeneralWord?.(piece.text));
      const words = texts.filter((piece) => piece.length > 1).length > 1;
      const keyOnly = phrase || words || word.length > MAX_WORD_CHARACTERS;
      const targets = new Set<string>();
      for (const reading of typedReadings(word, isFunction))
        for (const target of keys[reading] ?? [])
          if (target !== word && (!keyOnly || deps.isKeyTerm?.(target) === true) && spellsLike(span, target, isFunction))
            targets.add(target);
      const best = [...targets].sort(deps.rank)[0];
      if (best !== undefined) return { from: word, to: best, length };
    }
    return undefined;
  }

  /**
   * Whether the window's edge character is the start or end of a key term written across it: jieba guesses 讲大 in
   * "一篇讲大模型的文章", whose 大 starts 大模型; the learner wrote 大模型 right, and 讲大 is no slip for 强大.
   */
  function writesKeyTermAcross(pieces: readonly TypoPiece[], start: number, length: number): boolean {
    if (!deps.isKeyTerm) return false;
    const text = (from: number, to: number): string =>
      pieces
        .slice(from, to)
        .map((piece) => piece.text)
        .join('');
    const window = [...text(start, start + length)];
    const after = text(start + length, start + length + 2);
    const before = text(Math.max(0, start - 2), start);
    for (let cut = 1; cut < window.length; cut += 1) {
      const tail = window.slice(cut).join('');
      const head = window.slice(0, cut).join('');
      for (let end = 1; end <= after.length; end += 1) if (deps.isKeyTerm(tail + after.slice(0, end))) return true;
      for (let from = 0; from < before.length; from += 1) if (deps.isKeyTerm(before.slice(from) + head)) return true;
    }
    return false;
  }

  /**
   * A typo keeps some of the word: at least one character in its place (维调/微调, 超餐数/超参数). Two words that share
   * no character and only sound alike (是事/实施, 只是/知识) are different words, not a slip of the input method. A key
   * term typed with other characters throughout (威挑 for 微调, 条辽 for 调料) is still read as that term when the
   * characters make no word of their own (no dictionary or common word) and none at either end is a function word,
   * which would join it to its neighbours (纸是 of 这张纸是 is no 知识).
   */
  function spellsLike(span: readonly TypoPiece[], target: string, isFunction: (character: string, index: number) => boolean): boolean {
    const word = span.map((piece) => piece.text).join('');
    const typed = [...word];
    const meant = [...target];
    if (typed.length !== meant.length) return false;
    if (typed.some((character, index) => character === meant[index])) return true;
    if (deps.isKeyTerm?.(target) !== true || homophones.has(word) || deps.isGeneralWord?.(word) === true) return false;
    return !isFunction(typed[0] as string, 0) && !isFunction(typed[typed.length - 1] as string, typed.length - 1);
  }
}

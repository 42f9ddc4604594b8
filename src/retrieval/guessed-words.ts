import type { Jieba } from '@node-rs/jieba';
import { isStopword } from './function-words.js';

const CJK = /[\u3400-\u9fff]/;

/**
 * A Chinese word of two characters or more that jieba only guessed: its dictionary cut (without HMM) splits it, the
 * word list of general language (`commonWords`) does not hold it, and none of its pieces is a function character. Such
 * a run names something the dictionary does not know (吴恩达, 早停), unlike function characters glued to a word (时会,
 * 要花, 法能), which only say how the question is asked.
 */
export function isGuessedName(jieba: Jieba, word: string, commonWords: ReadonlySet<string> | undefined): boolean {
  if (!CJK.test(word) || [...word].length < 2 || commonWords === undefined || commonWords.has(word)) return false;
  const pieces = jieba.cut(word, false);
  return pieces.length > 1 && !pieces.some((piece) => isStopword(piece));
}

/**
 * The nouns of `nouns` that jieba cuts right before a Chinese word the corpus uses (飞机 of 飞机模型, 手机 of 手机模型):
 * a modifier that gives the corpus word another sense. Adjectives and corpus words before it (大模型, 语言模型) are no
 * such nouns.
 */
export function nounsBeforeCorpusWords(
  jieba: Jieba,
  query: string,
  nouns: ReadonlySet<string>,
  vocabulary: ReadonlySet<string>,
): ReadonlySet<string> {
  if (nouns.size === 0) return new Set();
  const pieces = jieba.cut(query, true);
  const next = (at: number): string => pieces[at + 1] ?? '';
  return new Set(pieces.filter((piece, at) => nouns.has(piece) && CJK.test(next(at)) && vocabulary.has(next(at))));
}

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
  // The corpus word is a word of two characters or more: a single one after a noun (大调 before 小 of 调大调小) is no
  // head it modifies.
  return new Set(pieces.filter((piece, at) => nouns.has(piece) && /^[\u3400-\u9fff]{2,}$/.test(next(at)) && vocabulary.has(next(at))));
}

/**
 * A compound jieba's dictionary holds whole, which the corpus does not use, made of a corpus word and a noun the corpus
 * does not use (汽车模型, 模型飞机): it names a car or a plane, not the article's 模型, so the corpus word inside it
 * accounts for nothing. Returns the compound's pieces the corpus uses (to drop from what accounts for it), or none.
 * An adjective or a corpus word beside the corpus word (大语言模型, 深度学习模型) keeps its sense.
 */
export function corpusWordsOfOtherSenseCompound(jieba: Jieba, word: string, vocabulary: ReadonlySet<string>): readonly string[] {
  const characters = [...word];
  if (vocabulary.has(word) || characters.length < 4 || !characters.every((character) => CJK.test(character))) return [];
  for (let cut = 2; cut <= characters.length - 2; cut += 1) {
    const [left, right] = [characters.slice(0, cut).join(''), characters.slice(cut).join('')];
    const other = vocabulary.has(left) ? right : vocabulary.has(right) ? left : undefined;
    if (other === undefined || vocabulary.has(other) || isStopword(other)) continue;
    const tagged = jieba.tag(other, false);
    if (tagged.length === 1 && (tagged[0] as { tag: string }).tag.startsWith('n')) return [vocabulary.has(left) ? left : right];
  }
  return [];
}

/**
 * A two-character word jieba cut across a repeated verb ("调大调小" cut 调 / 大调 / 小; 改来改去): its last character
 * is the character right before it, the verb said twice with two complements. It is no word of the question, only the
 * pieces of "调大" and "调小", so it names nothing.
 */
export function straddlesRepeatedVerb(question: string, word: string): boolean {
  if (!/^[\u3400-\u9fff]{2}$/.test(word)) return false;
  for (let at = question.indexOf(word); at >= 0; at = question.indexOf(word, at + 1))
    if (at > 0 && question[at - 1] === word[1]) return true;
  return false;
}

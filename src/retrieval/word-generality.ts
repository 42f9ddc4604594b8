import type { CorpusDictionaryData } from './corpus-dictionary.js';
import { isStopword } from './function-words.js';
import { normalizeEnglishWord } from './text-analyzer.js';

/** What generality is read against: one index's words and the general-language words of its lexicon. */
export interface GeneralityIndex {
  readonly vocabulary: ReadonlySet<string>;
  /** Words of general language (CorpusDictionaryData.commonWords); undefined before the lexicon is read. */
  readonly commonWords?: ReadonlySet<string>;
  /** The index's lexicon, for CC-CEDICT's bridges of words the corpus does not use; undefined before it is read. */
  readonly lexicon?: { readonly dictionary: Pick<CorpusDictionaryData, 'synonyms'> };
}

/** Which words of a question are general language (QueryWord.general), as query-understanding.ts reads them. */
export interface WordGenerality {
  /** A Chinese word jieba's dictionary holds: its exact cut without guessing (no HMM) keeps it whole. */
  isDictionaryWord(word: string): boolean;
  /** See QueryWord.general, for a word the corpus does not use. Without a lexicon nothing is known to be general. */
  isGeneralWord(word: string, index: GeneralityIndex): boolean;
  /**
   * A single character of general language that the corpus happens to use (好, 更, 调): rare in a small corpus, so
   * its IDF is high, yet "很好的显卡" is not about the article's "做得很好的菜". A piece of a term jieba cuts (过 of
   * 过拟合) is one too: the other piece (拟合) carries the term. Without a lexicon nothing is known.
   */
  isGeneralCorpusCharacter(word: string, index: GeneralityIndex): boolean;
}

export interface WordGeneralityDeps {
  /** jieba's dictionary cut, without guessing (no HMM). */
  readonly cut: (text: string) => readonly string[];
}

const CJK = /[\u3400-\u9fff]/;

export function createWordGenerality(deps: WordGeneralityDeps): WordGenerality {
  const isDictionaryWord = (word: string): boolean => CJK.test(word) && deps.cut(word).length === 1;

  function isGeneralWord(word: string, index: GeneralityIndex): boolean {
    if (!CJK.test(word)) return index.commonWords?.has(word) === true || isDescriptiveCompound(word, index);
    if ([...word].length === 1 || index.commonWords?.has(word) === true) return true;
    // Function characters jieba's dictionary happens to join (时会, 只会): no more a concept than each of them.
    if ([...word].every((character) => isStopword(character))) return true;
    // jieba's dictionary does not hold it when its exact cut without guessing (no HMM) splits it; a word CC-CEDICT
    // lists with a sense the corpus shares (算力 "computing power" → 计算资源) is a word all the same, newer than jieba's.
    if (index.lexicon?.dictionary.synonyms[word] !== undefined) return false;
    return index.commonWords !== undefined && !isDictionaryWord(word);
  }

  /**
   * A hyphenated English word that describes rather than names: made of words the corpus uses or of general language
   * ("general-purpose", "ready-made", "task-specific"), or a phrase with function words in it ("off-the-shelf",
   * "state-of-the-art"). A piece of fewer than three letters or a specific piece without function words keeps it a
   * name ("Q-learning", "self-distillation").
   */
  function isDescriptiveCompound(word: string, index: GeneralityIndex): boolean {
    const pieces = word.split('-');
    if (pieces.length < 2 || pieces.some((piece) => piece.length < 3 && !isStopword(piece))) return false;
    const known = (piece: string): boolean =>
      [piece, normalizeEnglishWord(piece)].some((form) => index.vocabulary.has(form) || index.commonWords?.has(form) === true);
    return pieces.some((piece) => isStopword(piece)) || pieces.every(known);
  }

  const isGeneralCorpusCharacter = (word: string, index: GeneralityIndex): boolean =>
    [...word].length === 1 && CJK.test(word) && index.commonWords?.has(word) === true;

  return { isDictionaryWord, isGeneralWord, isGeneralCorpusCharacter };
}

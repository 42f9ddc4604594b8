import type { CorpusLexicon } from './corpus-dictionary-store.js';
import { createEnglishTypoReader, type EnglishTypoReader, MIN_TYPO_LENGTH } from './english-typos.js';
import { isStopword } from './function-words.js';
import { createPinyinCorrector, type PinyinCorrection } from './pinyin-corrector.js';
import { opensWithConjunction } from './typo-pieces.js';

export interface QuestionTypoDeps {
  /** The index's tokens: a Chinese piece outside them may be a typo. */
  readonly vocabulary: ReadonlySet<string>;
  /** The words of the corpus's English (renderings and glossary), lower case: real words, never typos. */
  readonly englishWords: ReadonlySet<string>;
  /** The hand glossary's terms: a typo is read as one of them before any other corpus word. */
  readonly isKeyTerm: (word: string) => boolean;
  /** How rare a corpus word is (IDF): among readings equally likely, the rarer word is the typo's. */
  readonly idf: (word: string) => number;
  /** jieba's cut with guesses (what the pinyin corrector cuts a question by). */
  readonly cut: (text: string) => string[];
  /** Whether jieba's dictionary holds a word (its cut without guesses keeps it whole). @default none is known */
  readonly isDictionaryWord?: (word: string) => boolean;
  /** The index's lexicon, derived on the spot when none is saved; undefined without a lexicon store. */
  readonly lexicon: () => CorpusLexicon | undefined;
}

export interface QuestionTypoReader {
  /** The question with its pinyin and English typos read as corpus words, and what was read. */
  correct(question: string): PinyinCorrection;
}

const CJK = /[\u3400-\u9fff]/;
const ENGLISH_LETTERS = /[a-z]+/g;

/**
 * Typos of one index's corpus words in a question: pinyin typos (pinyin-corrector.ts) and English typos of the
 * glossary's words (english-typos.ts). The lexicon is asked for only when a question holds a word the corpus does not,
 * so a process that never meets one never loads the dictionary.
 */
export function createQuestionTypoReader(deps: QuestionTypoDeps): QuestionTypoReader {
  let readers: { lexicon: CorpusLexicon; pinyin: (text: string) => PinyinCorrection; english?: EnglishTypoReader } | undefined;
  const readersOf = (lexicon: CorpusLexicon) => {
    if (readers?.lexicon === lexicon) return readers;
    const commonWords = new Set(lexicon.dictionary.commonWords ?? []);
    const frequency = (word: string): number => -deps.idf(word);
    const pinyin = createPinyinCorrector({
      data: lexicon.pinyin,
      isCorpusWord: (word) => deps.vocabulary.has(word),
      isStopword,
      isGeneralWord: (word) => isStopword(word) || commonWords.has(word),
      isKeyTerm: deps.isKeyTerm,
      cut: deps.cut,
      ...(deps.isDictionaryWord ? { isDictionaryWord: deps.isDictionaryWord } : {}),
      rank: (left, right) =>
        Number(deps.isKeyTerm(right)) - Number(deps.isKeyTerm(left)) || frequency(right) - frequency(left) || left.localeCompare(right),
    });
    const english = lexicon.englishTypos ? createEnglishTypoReader(lexicon.englishTypos, (word) => deps.englishWords.has(word)) : undefined;
    readers = { lexicon, pinyin, ...(english ? { english } : {}) };
    return readers;
  };

  /**
   * A pinyin typo is a piece the corpus does not use, or a single character beside a word it belongs to (于/训练 for
   * 预训练) or in a run jieba could not join (过/你/和), or a conjunction opening the question (与/训练); a question of
   * corpus words and function words only has none.
   */
  const mayHoldPinyinTypo = (question: string): boolean =>
    deps
      .cut(question)
      .some(
        (piece, at, pieces) =>
          (CJK.test(piece) && !isStopword(piece) && (piece.length === 1 || !deps.vocabulary.has(piece))) ||
          opensWithConjunction(pieces, at),
      );
  const mayHoldEnglishTypo = (question: string): boolean =>
    (question.toLowerCase().match(ENGLISH_LETTERS) ?? []).some((word) => word.length >= MIN_TYPO_LENGTH && !deps.englishWords.has(word));

  return {
    correct(question) {
      let read: PinyinCorrection = { text: question, corrections: [] };
      if (mayHoldPinyinTypo(question)) {
        const lexicon = deps.lexicon();
        if (lexicon) read = readersOf(lexicon).pinyin(question);
      }
      if (!mayHoldEnglishTypo(read.text)) return read;
      const lexicon = deps.lexicon();
      const english = lexicon ? readersOf(lexicon).english : undefined;
      if (!english) return read;
      const corrected = english.correct(read.text);
      return corrected.corrections.length === 0
        ? read
        : { text: corrected.text, corrections: [...read.corrections, ...corrected.corrections] };
    },
  };
}

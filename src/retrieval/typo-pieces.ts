/** A piece of a question the pinyin corrector reads windows of: a jieba word, or a part of one split off at its edge. */
export interface TypoPiece {
  readonly text: string;
  /** Which jieba word of the question it is or is part of (pieces of one word share it). */
  readonly word: number;
  /** Whether it is the whole jieba word. */
  readonly whole: boolean;
}

const CJK_RUN = /^[\u3400-\u9fff]+$/;

/** Conjunctions: between two words they join them; opening a question they join nothing. */
const CONJUNCTIONS = new Set(['和', '与', '及', '跟', '同']);

/**
 * Whether the piece at `at` is a conjunction opening the question or a clause (nothing Chinese before it): it joins
 * nothing there, so it is a character typed for a homophone (与训练模型是什么 is 预训练模型), not a function word.
 */
export function opensWithConjunction(pieces: readonly string[], at: number): boolean {
  const before = pieces[at - 1];
  return CONJUNCTIONS.has(pieces[at] as string) && (before === undefined || !/[\u3400-\u9fff]/.test(before));
}

/** Conjunctions, particles and locatives that follow a noun: 和, 与, 的, 呢, 吗, 上 (数据急上 → 数据急/上). */
const TRAILING_FUNCTION_CHARACTERS = new Set(['和', '与', '跟', '的', '呢', '吗', '了', '上', '里', '中']);
/** Modals and adverbs that precede a verb or noun: jieba joins 会过你和 as 会过/你/和, the typo starting at 过. */
const LEADING_FUNCTION_CHARACTERS = new Set(['会', '就', '也', '都', '还', '才', '要', '在', '被', '把', '让', '很', '太']);

/**
 * The pieces of a question's jieba cut in which a typo is looked for. A word of jieba's dictionary (这番话, 一部分) is a
 * word as typed. A word jieba guessed (HMM) often joins the typo's last character with the function word after it (维调和调教 → 维/调和/调教, 学习绿是什么 → 学习/绿是/什么, 翻一是 for 翻译是), or its first
 * character with the function word before it (会过你和 → 会过/你/和): such a word of two to four characters the corpus
 * does not use, ending or starting with a function character (a stopword or one of the lists above), is read character
 * by character. Pieces that lead to no correction are joined back unchanged.
 */
export function typoPiecesOf(
  words: readonly string[],
  deps: {
    readonly isCorpusWord: (word: string) => boolean;
    readonly isStopword: (word: string) => boolean;
    readonly isDictionaryWord?: (word: string) => boolean;
  },
): TypoPiece[] {
  const pieces: TypoPiece[] = [];
  for (const [word, text] of words.entries()) {
    const characters = [...text];
    if (characters.length < 2 || characters.length > 4 || !CJK_RUN.test(text) || deps.isCorpusWord(text) || deps.isStopword(text)) {
      pieces.push({ text, word, whole: true });
      continue;
    }
    const first = characters[0] as string;
    const last = characters[characters.length - 1] as string;
    const glued =
      LEADING_FUNCTION_CHARACTERS.has(first) || deps.isStopword(first) || TRAILING_FUNCTION_CHARACTERS.has(last) || deps.isStopword(last);
    // A longer word of jieba's dictionary is a word as typed (这番话, 一部分); two characters, one of them a function
    // word, are as often the typo's character and the function word jieba happens to know together (牛柔/和 as 柔和).
    const split = deps.isDictionaryWord?.(text) === true ? glued && characters.length === 2 : glued || characters.length >= 3;
    // Three or four characters the corpus does not use are rarely one word either: jieba has joined a typo with a
    // character of the word beside it (举个国/拟合 for 举个过拟合, 小范为/的 for 小范围的).
    if (split) for (const character of characters) pieces.push({ text: character, word, whole: false });
    else pieces.push({ text, word, whole: true });
  }
  return pieces;
}

/**
 * How a learner's answer to a quiz is graded: right, partly right or wrong, by the term, its English forms and the
 * term's pinyin (an input-method slip).
 */
import type { GlossaryTerm } from '../ingest/glossary.js';
import { pinyinReadings } from '../retrieval/pinyin-corrector.js';
import { optionLabel } from './quiz-english-forms.js';

export type QuizKind = 'choice' | 'fill';
export type QuizVerdict = 'right' | 'partial' | 'wrong';

/** What grading needs of a quiz: its answer, its options (for a choice quiz) and its kind. */
export interface GradedQuiz {
  readonly answer: GlossaryTerm;
  readonly options?: readonly string[];
  readonly kind: QuizKind;
  /** The answer as the quiz shows it, when that is not the Chinese term (the gloss, in a quiz on the English rendering). */
  readonly shownAnswer?: string;
}

/** How an answer that is not the term as the quiz shows it was read as the term. */
export interface QuizReading {
  /** What the learner typed that was read so (the whole answer, or the homophone inside it). */
  readonly typed: string;
  /** `english`: an English form or the gloss of a Chinese term; `homophone`: the term's pinyin typed with other characters. */
  readonly how: 'english' | 'homophone';
}

export interface QuizGrading {
  readonly verdict: QuizVerdict;
  /** Set when a right answer was not the shown answer itself: the feedback says what it was read as. */
  readonly readAs?: QuizReading;
}

export interface GradingOptions {
  /**
   * Whether the article uses a word: a word it uses is a term in its own right, never a slip for another, so a
   * homophone of the answer that the article uses (another of its terms) stays wrong. @default no word is known
   */
  readonly isArticleWord?: (word: string) => boolean;
  /**
   * The article's other terms (the glossary): an answer that is exactly one of them, in Chinese or English ("tuning"
   * for 微调), names another term and is wrong, not partly right. @default none
   */
  readonly terms?: readonly GlossaryTerm[];
}

/** The verdict alone (see `gradeAnswer`). */
export function gradeResponse(quiz: GradedQuiz, response: string): QuizVerdict {
  return gradeAnswer(quiz, response).verdict;
}

/**
 * The verdict and, for a right answer that is not the term as shown, how it was read: an English form of a Chinese
 * answer ("fine-tuning" for 微调), or a homophone typed with a pinyin input method (威调 for 微调: the same toneless
 * pinyin, the same number of characters, possibly with a few characters around it as a right answer may have), unless
 * the article uses that word.
 */
export function gradeAnswer(quiz: GradedQuiz, response: string, options: GradingOptions = {}): QuizGrading {
  const typed = response.trim();
  if (namesOtherTerm(quiz.answer, normalize(typed), options.terms ?? [])) return { verdict: 'wrong' };
  const verdict = gradeTyped(quiz, response);
  if (verdict === 'right') {
    const english = /\p{Script=Latin}/u.test(typed) && !/\p{Script=Han}/u.test(typed) && /\p{Script=Han}/u.test(quiz.answer.zh);
    // A letter or a number picks an option: nothing was read as anything.
    const picked = quiz.options !== undefined && /^[a-d1-4]$/i.test(normalize(typed));
    const shownInEnglish = quiz.options?.some((option) => normalize(option) === normalize(typed)) ?? false;
    // In a quiz shown in English, an English answer is the answer as shown.
    return english && !picked && !shownInEnglish && quiz.shownAnswer === undefined
      ? { verdict, readAs: { typed, how: 'english' } }
      : { verdict };
  }
  const homophone = homophoneIn(normalize(response), quiz.answer.zh, options.isArticleWord ?? (() => false));
  if (homophone === undefined) return { verdict };
  // Another option typed out is a choice of it, whatever it sounds like.
  if (quiz.options?.some((option) => normalize(option) === normalize(response))) return { verdict };
  return { verdict: 'right', readAs: { typed: homophone, how: 'homophone' } };
}

/**
 * Whether `typed` is exactly another term than `answer`, in one of its forms, and none of the answer's: 调教's
 * "tuning" for 微调 ("fine-tuning"). A term whose Chinese is part of the answer's (预训练 of 预训练模型) is part of the
 * answer, and keeps its partial credit.
 */
function namesOtherTerm(answer: GlossaryTerm, typed: string, terms: readonly GlossaryTerm[]): boolean {
  const forms = (term: GlossaryTerm): string[] => [term.zh, term.gloss, ...term.en].map(normalize);
  if (typed === '' || forms(answer).includes(typed)) return false;
  return terms.some((term) => !answer.zh.includes(term.zh) && forms(term).includes(typed));
}

/** Most characters a right answer may have around the term ("是微调", "应该是威调"). */
const EXTRA_CHARACTERS = 3;

/** The part of `typed` that reads exactly like `term` (toneless pinyin, every reading) without being it or an article word. */
function homophoneIn(typed: string, term: string, isArticleWord: (word: string) => boolean): string | undefined {
  const characters = [...typed];
  const length = [...term].length;
  if (length < 2 || characters.length > length + EXTRA_CHARACTERS || !/^\p{Script=Han}+$/u.test(typed)) return undefined;
  const readings = new Set(pinyinReadings(term));
  for (let start = 0; start + length <= characters.length; start += 1) {
    const window = characters.slice(start, start + length).join('');
    if (window === term || isArticleWord(window)) continue;
    if (pinyinReadings(window).some((reading) => readings.has(reading))) return window;
  }
  return undefined;
}

/**
 * right: the term, one of its English forms or its gloss (or a choice's letter/number pointing at it), possibly with a few
 * extra characters around it ("是微调");
 * partial: part of the term or of an English form (预训练 for 预训练模型, "pre-trained" for "pre-trained model"), the
 * same head word with another tail (泛化性能 for 泛化能力), or close to it by character bigrams;
 * wrong: anything else, including another option.
 */
function gradeTyped(quiz: GradedQuiz, response: string): QuizVerdict {
  const normalized = normalize(response);
  if (normalized === '') return 'wrong';
  if (quiz.options) {
    const index = /^[a-d]$/.test(normalized) ? normalized.charCodeAt(0) - 97 : /^[1-4]$/.test(normalized) ? Number(normalized) - 1 : -1;
    // The right option is the term, or its gloss in an English quiz.
    const isAnswer = (option: string | undefined): boolean => option === quiz.answer.zh || option === optionLabel(quiz.answer, 'en');
    if (index >= 0) return isAnswer(quiz.options[index]) ? 'right' : 'wrong';
    const chosen = quiz.options.find((option) => normalize(option) === normalized);
    if (chosen !== undefined) return isAnswer(chosen) ? 'right' : 'wrong';
  }
  const targets = [quiz.answer.zh, quiz.answer.gloss, ...quiz.answer.en].map(normalize).filter((target) => target !== '');
  if (targets.includes(normalized)) return 'right';
  if (targets.some((target) => normalized.includes(target) && [...normalized].length <= [...target].length + 3)) return 'right';
  const partOf = targets.some((target) => target.includes(normalized) && [...normalized].length * 2 >= [...target].length);
  // "泛化性能" for 泛化能力: the same head word with a different tail.
  const sameHead = targets.some((target) => {
    const length = commonPrefixLength(target, normalized);
    return length >= 2 && length * 2 >= [...target].length;
  });
  if (partOf || sameHead || targets.some((target) => dice(target, normalized) >= 0.5)) return 'partial';
  return 'wrong';
}

function commonPrefixLength(left: string, right: string): number {
  const a = [...left];
  const b = [...right];
  let length = 0;
  while (length < a.length && length < b.length && a[length] === b[length]) length += 1;
  return length;
}

function normalize(text: string): string {
  return text.toLowerCase().replace(/[\s\p{P}\p{S}]/gu, '');
}

function dice(left: string, right: string): number {
  const grams = (text: string): string[] => {
    const characters = [...text];
    return characters.length < 2 ? characters : characters.slice(0, -1).map((character, index) => character + characters[index + 1]);
  };
  const a = grams(left);
  const b = grams(right);
  if (a.length === 0 || b.length === 0) return 0;
  const counts = new Map<string, number>();
  for (const gram of a) counts.set(gram, (counts.get(gram) ?? 0) + 1);
  let shared = 0;
  for (const gram of b) {
    const count = counts.get(gram) ?? 0;
    if (count > 0) {
      shared += 1;
      counts.set(gram, count - 1);
    }
  }
  return (2 * shared) / (a.length + b.length);
}

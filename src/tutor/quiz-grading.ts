/** How a learner's answer to a quiz is graded: right, partly right or wrong, by the term and its English forms. */
import type { GlossaryTerm } from '../ingest/glossary.js';
import { optionLabel } from './quiz-english-forms.js';

export type QuizKind = 'choice' | 'fill';
export type QuizVerdict = 'right' | 'partial' | 'wrong';

/** What grading needs of a quiz: its answer, its options (for a choice quiz) and its kind. */
export interface GradedQuiz {
  readonly answer: GlossaryTerm;
  readonly options?: readonly string[];
  readonly kind: QuizKind;
}

/**
 * right: the term, one of its English forms or its gloss (or a choice's letter/number pointing at it), possibly with a few
 * extra characters around it ("是微调");
 * partial: part of the term or of an English form (预训练 for 预训练模型, "pre-trained" for "pre-trained model"), the
 * same head word with another tail (泛化性能 for 泛化能力), or close to it by character bigrams;
 * wrong: anything else, including another option.
 */
export function gradeResponse(quiz: GradedQuiz, response: string): QuizVerdict {
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

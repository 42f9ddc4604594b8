/**
 * Side-by-side evidence for a question that sets two things against each other ("模型应用与微调的不同", "Which is more
 * accurate, fine-tuning or just applying the model?"): a passage in which one sentence opens with each side
 * ("**应用**:…" then "**微调**:…", "微调:就像是…" then "调教:更像是…") states the contrast itself, which no single
 * sentence of it does, while an introduction that names both in one sentence ("模型应用和大模型微调是…两种不同的使用方法")
 * only says that they differ. The sentence ranking (sentence-ranking.ts) scores such a passage by the pair of its side
 * sentences as well as by its best sentence; this module holds what that takes, independent of any article's wording.
 */

import { type OpenedSentence, openingTopicOf, type TopicOpening } from './sentence-openings.js';

/** One side of the question: the openings of the forms it is named by (微调, fine-tuning, …). */
export type SideOpenings = readonly TopicOpening[];

/** A sentence that opens with a side: the side, its credit of each question word, and what else it earned. */
export interface SideSentence {
  readonly side: number;
  /** Credit (0–1) of each question word in the sentence, in the ranker's word order. */
  readonly credits: readonly number[];
  /** Respect credit the sentence earned on its own (statements of an asked respect), as a weight. */
  readonly stated: number;
  /** Whether the sentence carries the cue of the question's kind. */
  readonly cued: boolean;
}

/**
 * A side's sentence that likens it to something ("微调:就像是…", "调教:更像是…", "Fine-tuning: it is like…"): a figure, which
 * the analogy's plans read, not a statement of what the side is or does.
 */
const LIKENS =
  /^[^,，。:：]{0,24}[:：]?\s*(?:就|更|则)?(?:像是|像|好比|如同|犹如)|\b(?:is|are) (?:\w+ )?like\b|^[^,:]{0,24}:\s*(?:it is |it's )?(?:just |much |more )?like\b/i;

/**
 * The side a sentence is about: the first side any of whose forms it opens with, else, for a conditional, the side its
 * short closing clause names ("如果是在…的训练,使用微调", "If …, use fine-tuning": the consequence is that side's); -1
 * for none, or for a figure (LIKENS) unless `figures` (a question on the analogy asks for the figures).
 */
export function sideOf(sentence: OpenedSentence, sides: readonly SideOpenings[], figures = false): number {
  const { opening, renderingOpening } = sentence;
  if (!figures && (LIKENS.test(opening) || (renderingOpening !== undefined && LIKENS.test(renderingOpening)))) return -1;
  for (let side = 0; side < sides.length; side += 1) if (openingTopicOf(sentence, sides[side] as SideOpenings)) return side;
  const closing = conditionalConsequence(opening, 12);
  const renderedClosing = renderingOpening === undefined ? undefined : conditionalConsequence(renderingOpening, 32);
  // The original decides; the rendering where the original names no side alone.
  const inOriginal = sidesNamed(sides, (form) => form.chinese && closing?.includes(form.lower) === true);
  if (inOriginal.length === 1) return inOriginal[0] as number;
  const inRendering = sidesNamed(sides, (form) => !form.chinese && renderedClosing !== undefined && namesWord(renderedClosing, form.lower));
  return inRendering.length === 1 ? (inRendering[0] as number) : -1;
}

const sidesNamed = (sides: readonly SideOpenings[], names: (form: TopicOpening) => boolean): number[] =>
  sides.flatMap((forms, side) => (forms.some(names) ? [side] : []));

/** Whether `text` holds `word` as a whole word: "use fine-tuning" names fine-tuning, not tuning. */
const namesWord = (text: string, word: string): boolean => {
  const at = text.indexOf(word);
  if (at < 0) return false;
  const before = text[at - 1];
  const after = text[at + word.length];
  return (before === undefined || !/[\w-]/.test(before)) && (after === undefined || !/[\w-]/.test(after));
};

/** A sentence opening with a condition, whose consequence closes it. */
const CONDITIONAL = /^(?:如果|假如|假设|若|要是|当|if|when|whenever)(?![a-z])/;

/**
 * The short consequence that closes a conditional sentence ("如果是在…的训练,使用微调" → "使用微调"; at most `limit`
 * characters), whose term is what the sentence is about; undefined for a sentence that opens with no condition.
 */
export const conditionalConsequence = (text: string, limit = 12): string | undefined =>
  CONDITIONAL.test(text) ? closingClauseOf(text, limit) : undefined;

/** The clause after a sentence's last comma, colon or semicolon when it is at most `limit` characters; else undefined. */
function closingClauseOf(text: string, limit: number): string | undefined {
  const clauses = text.replace(/[\s。.!?！？]+$/, '').split(/[,，;；:：]/);
  if (clauses.length < 2) return undefined;
  const last = (clauses[clauses.length - 1] as string).trim();
  return last.length > 0 && last.length <= limit ? last : undefined;
}

/** What the pair score needs of the ranker: word weights, the passage-wide credit of each word, the headed respects. */
export interface PairScoring {
  readonly weights: readonly number[];
  /** The context (headings, elsewhere in the passage) credit of each word, already scaled. */
  readonly context: readonly number[];
  /** Weight of asked respects the passage's headings name (credited to every sentence). */
  readonly headed: number;
  /** Sum of all word and respect weights. */
  readonly total: number;
  /** Added to a pair: the contrast the two state together, as a cue of a difference (0 where the question's kind has a cue). */
  readonly pairBonus: number;
  /** Added to a pair as to any sentence opening with a question word (both do). */
  readonly openingBonus: number;
  /** Added when either sentence of the pair carries the question's cue. */
  readonly cueBonus: number;
}

/**
 * The best score of two sentences opening with different sides: each word credited by whichever of the two holds it
 * best (or the passage context), plus `pairBonus` and `openingBonus`, plus `cueBonus` when either carries the cue; 0
 * without such a pair.
 */
export function bestSidePair(sentences: readonly SideSentence[], scoring: PairScoring): number {
  let best = 0;
  for (let first = 0; first < sentences.length; first += 1)
    for (let second = first + 1; second < sentences.length; second += 1) {
      const left = sentences[first] as SideSentence;
      const right = sentences[second] as SideSentence;
      if (left.side === right.side) continue;
      let found = scoring.headed + Math.max(left.stated, right.stated);
      for (let position = 0; position < scoring.weights.length; position += 1)
        found +=
          (scoring.weights[position] as number) *
          Math.max(left.credits[position] as number, right.credits[position] as number, scoring.context[position] as number);
      const value = found / scoring.total + scoring.pairBonus + scoring.openingBonus + (left.cued || right.cued ? scoring.cueBonus : 0);
      if (value > best) best = value;
    }
  return best;
}

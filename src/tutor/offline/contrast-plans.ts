import type { GlossaryTerm } from '../../ingest/glossary.js';
import { headingNames, type Respect, respectsAsked, scalesNamed } from '../../retrieval/aspect-words.js';
import { poleWordsOf, type Scale } from '../../retrieval/opposite-words.js';
import { PAIR_WORDS } from '../pair-reference.js';
import { INTENT_SENTENCE_CUES } from '../question-intent.js';
import { contrastSides } from './contrast-sides.js';
import { askedTerms, firstDefinition, literalBonus, mentionsAny, pickDistinct, rankBy, summarySentences } from './plan-support.js';
import type { AnswerPlan, PlanBlock, PlanContext } from './plan-types.js';
import {
  definitionPatternFor,
  type EvidenceSentence,
  inReadingOrder,
  isAnalogyChunk,
  isFigurative,
  isSummaryChunk,
  labelsOf,
  passageSentenceSpans,
  plain,
  statementOf,
} from './sentence-evidence.js';

/**
 * The respect in which the sides are compared: the question's words beyond its sides and its frame (效果, 机器学习), and
 * the everyday scales its comparatives stand on ("哪个更快", "which is slower": duration), whose words at either pole
 * state a side on it (更快, 时间较长).
 */
interface Aspect {
  readonly terms: readonly string[];
  readonly scales: ReadonlySet<Scale>;
  /** The respects its everyday words ask about ("更便宜": cost), stated by a sentence under a heading naming them. */
  readonly respects: readonly Respect[];
}

/** Scales a comparison is asked on; certainty, scope, origin and change words qualify a question, they compare nothing. */
const COMPARED_SCALES: ReadonlySet<Scale> = new Set(['duration', 'amount', 'breadth', 'quality', 'complexity']);

const aspectOf = (context: PlanContext, sides: readonly GlossaryTerm[]): Aspect => ({
  // The words that name the sides together ("这两个词", "the two terms") are no respect either.
  terms: askedTerms(context, [...sides, ...context.vehicles]).filter(
    (term) => !RELATION_WORDS.test(term) && !(PAIR_WORDS.exec(context.query)?.[0].toLowerCase().includes(term) ?? false),
  ),
  scales: new Set(
    [...poleWordsOf(context.query).map((word) => word.scale), ...scalesNamed(context.query)].filter((scale) => COMPARED_SCALES.has(scale)),
  ),
  respects: respectsAsked(context.query),
});

/** How many things the aspect asks for: its words, and its scales as one. */
const aspectSize = (aspect: Aspect): number => aspect.terms.length + (aspect.scales.size > 0 ? 1 : 0) + aspect.respects.length;

/** A sentence's headings, the original's and its rendering's, lower-cased: where a section names its respect. */
export const headingsOf = (sentence: EvidenceSentence): string =>
  `${sentence.chunk.headingPath.join(' ')} ${sentence.chunk.translation?.headingPath?.join(' ') ?? ''}`.toLowerCase();

/** Words that ask how the two relate ("只是…的一种", "本质上", "the same"), not in which respect they are compared. */
const RELATION_WORDS =
  /^(?:只是|就是|仅仅|仅是|本质上?|其实|真的|一种|一类|一部分|部分|子集|一回事|同一|相同|一样|等同|同义|说法|各自|分别|just|really|basically|actually|kind|type|sort|part|subset|same|identical|another|synonym|word|each|respectively)$/i;

export const opensWithLabel = (text: string, labels: readonly string[]): boolean =>
  labels.some((label) => text.startsWith(label) || text.startsWith(`"${label}"`));

/** A coordinator after a side (its quotes and gloss aside): "模型应用和…", ""微调"(Fine-tuning)和"调教"", "A、B". */
const COORDINATED = /^["”]?(?:[(（][^)）]{0,24}[)）])?(?:和|与|跟|及|以及|、|或)/;

/** Whether a text opens with one side joined to the other as one subject ("模型应用和大模型微调是…"). */
function opensJoinedWith(text: string, labels: readonly string[], otherLabels: readonly string[]): boolean {
  const label = labels.find((one) => text.startsWith(one) || text.startsWith(`"${one}"`));
  return label !== undefined && joinedAt(text, text.indexOf(label) + label.length, otherLabels);
}

/** Whether a side named anywhere in a text is joined to the other ("…,"微调"(Fine-tuning)和"调教"(Tuning)这两个词…"). */
function namesJoined(text: string, labels: readonly string[], otherLabels: readonly string[]): boolean {
  return labels.some((label) => {
    for (let at = text.indexOf(label); at >= 0; at = text.indexOf(label, at + 1))
      if (joinedAt(text, at + label.length, otherLabels)) return true;
    return false;
  });
}

const joinedAt = (text: string, end: number, otherLabels: readonly string[]): boolean => {
  const rest = text.slice(end);
  return COORDINATED.test(rest) && otherLabels.some((other) => rest.slice(0, 30).includes(other));
};

/**
 * How well a sentence states one side: its statement (after a lead-in) opens with the side as subject or label and
 * defines it, it does not open with the other side nor name both sides together ("A和B是…" states neither). Plain
 * questions prefer literal statements; analogy questions the figurative ones (就像, 这个过程就是). A sentence on the
 * question's aspect (its words in the sentence or its section's heading) is worth more.
 */
function sideValue(context: PlanContext, side: GlossaryTerm, other: GlossaryTerm, aspect: Aspect, prefer?: SentenceValue) {
  const labels = labelsOf(side.zh);
  const otherLabels = labelsOf(other.zh);
  const defining = definitionPatternFor(labels);
  const strict = definitionPatternFor(labels, true);
  const figurative = context.kind === 'analogy';
  const literal = literalBonus(context);
  const first = figurative ? undefined : firstDefinition(context, side.zh);
  const cue = INTENT_SENTENCE_CUES.analogy;
  // Asked in one respect (效果, 数据, faster), a side's statement on that respect beats its definition; asked to choose,
  // what each side is good for does (a definition does not help choose).
  const definitional = prefer ? 0.1 : aspectSize(aspect) > 0 ? 0.4 : 1;
  return (sentence: EvidenceSentence): number => {
    const statement = plain(statementOf(sentence));
    // A subject joined with the other side ("模型应用和大模型微调是…两种不同的使用方法") states neither side.
    const opens = opensWithLabel(statement, labels) && !opensJoinedWith(statement, labels, otherLabels);
    // The aspect may be named by the sentence, its section's heading, or the lead-in it stands under ("在机器学习中,…类似:").
    const onAspect = aspectShare(context, aspect)(sentence);
    const namesBoth =
      !opens && (otherLabels.some((label) => statement.slice(0, 12).includes(label)) || namesJoined(statement, labels, otherLabels));
    return (
      (opens ? 0.8 : 0) +
      (figurative
        ? cue?.test(sentence.text)
          ? 0.5
          : 0
        : definitional * ((defining?.test(statement) ? 0.3 : 0) + (strict?.test(statement) ? 0.6 : 0) + (sentence === first ? 0.3 : 0))) -
      (opensWithLabel(statement, otherLabels) ? 1 : 0) -
      (namesBoth ? 0.6 : 0) +
      literal(sentence) -
      // A figurative statement inside the analogy ("调教:更像是从头开始做一道菜") answers a plain question only if nothing
      // literal states the side; the analogy's own literal restatement ("在机器学习中,…微调通常指的是…") is not figurative.
      (!figurative && isFigurative(sentence) ? 0.8 : 0) +
      1.5 * onAspect +
      (prefer?.(sentence) ?? 0) +
      // The retrieval score counts the other side's words too: it only breaks ties between statements of one side.
      0.25 * sentence.score
    );
  };
}

export type SentenceValue = (sentence: EvidenceSentence) => number;

function memoised(value: SentenceValue): SentenceValue {
  const known = new Map<EvidenceSentence, number>();
  return (sentence) => {
    let found = known.get(sentence);
    if (found === undefined) known.set(sentence, (found = value(sentence)));
    return found;
  };
}

/**
 * The share of the aspect a sentence states: its words the sentence names itself, in its section's heading, or in the
 * lead-in it stands under; its scale when the sentence holds a word of it, at either pole.
 */
function aspectShare(context: PlanContext, aspect: Aspect) {
  const size = aspectSize(aspect);
  return (sentence: EvidenceSentence): number => {
    if (size === 0) return 0;
    const heading = sentence.chunk.headingPath.join(' ').toLowerCase();
    const leadIn = leadInOf(context, sentence);
    const named = aspect.terms.filter((term) => sentence.terms.has(term) || heading.includes(term) || leadIn?.terms.has(term) === true);
    const onScale = poleWordsOf(sentence.text).some((word) => aspect.scales.has(word.scale));
    const headings = aspect.respects.length > 0 ? headingsOf(sentence) : '';
    const respects = aspect.respects.filter((respect) => headingNames(headings, respect)).length;
    return (named.length + (onScale ? 1 : 0) + respects) / size;
  };
}

/** The nearest sentence before this one in its passage that ends with a colon: the lead-in it stands under, if any. */
function leadInOf(context: PlanContext, sentence: EvidenceSentence): EvidenceSentence | undefined {
  const spans = passageSentenceSpans(sentence.chunk);
  for (let index = (sentence.indexes[0] as number) - 1; index >= 0; index -= 1) {
    const span = spans[index] as { start: number; end: number };
    const text = sentence.chunk.text.slice(span.start - sentence.chunk.start, span.end - sentence.chunk.start).trim();
    if (/[:：]$/.test(text))
      return context.pool.find((candidate) => candidate.chunk.chunkId === sentence.chunk.chunkId && candidate.indexes[0] === index);
  }
  return undefined;
}

/** Sentences on a side's side: naming it, best first (the few worth pairing). */
function sideCandidates(
  context: PlanContext,
  within: readonly EvidenceSentence[],
  value: (sentence: EvidenceSentence) => number,
  side: GlossaryTerm,
) {
  const labels = labelsOf(side.zh);
  const about = within.filter((sentence) => labels.some((label) => sentence.text.includes(label)));
  return rankBy(context, about, (sentence) => value(sentence) - sentence.score).slice(0, 8);
}

/**
 * How much a pair reads as the article's own parallel statement of the two sides: one passage (a bullet pair under one
 * heading), next to each other, each opening with its side; or two sibling passages (sections "微调" and "调教").
 */
function parallelBonus(one: EvidenceSentence, two: EvidenceSentence, sides: readonly [GlossaryTerm, GlossaryTerm]): number {
  const both =
    opensWithLabel(plain(statementOf(one)), labelsOf(sides[0].zh)) && opensWithLabel(plain(statementOf(two)), labelsOf(sides[1].zh));
  if (one.chunk.chunkId === two.chunk.chunkId) {
    const gap = Math.min(
      Math.abs((two.indexes[0] as number) - (one.indexes.at(-1) as number)),
      Math.abs((one.indexes[0] as number) - (two.indexes.at(-1) as number)),
    );
    return 0.4 + (gap <= 1 ? 0.2 : 0) + (both ? 0.3 : 0);
  }
  const parentOf = (sentence: EvidenceSentence): string => sentence.chunk.headingPath.slice(0, -1).join('/');
  const siblings =
    one.chunk.documentId === two.chunk.documentId &&
    one.chunk.headingPath.length === two.chunk.headingPath.length &&
    parentOf(one) === parentOf(two);
  if (siblings) return (both ? 0.3 : 0.1) + 0.1;
  return one.chunk.documentId === two.chunk.documentId ? 0 : -0.2;
}

/**
 * The best pair of sentences stating the two sides: each side's value plus how parallel the pair is, so the article's
 * own bullet pair or its two sibling sections beat two sentences picked from unrelated places. `prefer` adds what a
 * plan looks for in each side's sentence (a choice's recommendation), and then a definition weighs less.
 */
export function sidePair(
  context: PlanContext,
  candidates: readonly EvidenceSentence[],
  sides: readonly [GlossaryTerm, GlossaryTerm],
  prefer?: SentenceValue,
): EvidenceSentence[] {
  const aspect = aspectOf(context, sides);
  // Each value is asked for every pair a sentence is in: computed once per sentence.
  const onAspect = memoised(aspectShare(context, aspect));
  const firstValue = memoised(sideValue(context, sides[0], sides[1], aspect, prefer));
  const secondValue = memoised(sideValue(context, sides[1], sides[0], aspect, prefer));
  const firsts = sideCandidates(context, candidates, firstValue, sides[0]);
  const seconds = sideCandidates(context, candidates, secondValue, sides[1]);
  let best: { pair: EvidenceSentence[]; value: number } | undefined;
  for (const one of firsts)
    for (const two of seconds) {
      if (pickDistinct(context, [two], { limit: 1, taken: [one] }).length === 0) continue;
      // One passage states one aspect: the partner of a sentence on the aspect is on it too ("更快…" / "时间较长…").
      const shared = one.chunk.chunkId === two.chunk.chunkId ? 0.4 * Math.abs(onAspect(one) - onAspect(two)) : 0;
      const value = firstValue(one) + secondValue(two) + parallelBonus(one, two, sides) + shared;
      if (!best || value > best.value) best = { pair: [one, two], value };
    }
  if (best) return best.pair;
  const single = firsts[0] ?? seconds[0];
  return single ? [single] : [];
}

/**
 * One side's own statement on what the question asks, for a plan that has the other side's already (`near`): the
 * best sentence stating the side by `sideValue`, on the aspect when the question names one, preferring one the article
 * sets in parallel with those (the bullet beside it); undefined when no sentence of the side speaks to the aspect (the
 * article says nothing of that side on it).
 */
export function sideStatement(
  context: PlanContext,
  side: GlossaryTerm,
  other: GlossaryTerm,
  near: readonly EvidenceSentence[],
): EvidenceSentence | undefined {
  const aspect = aspectOf(context, [side, other]);
  const onAspect = aspectShare(context, aspect);
  const value = memoised(sideValue(context, side, other, aspect));
  const candidates = sideCandidates(context, context.pool, value, side).filter(
    (sentence) =>
      !near.includes(sentence) &&
      !opensWithLabel(plain(statementOf(sentence)), labelsOf(other.zh)) &&
      (aspectSize(aspect) === 0 || onAspect(sentence) > 0),
  );
  const parallel = (sentence: EvidenceSentence): number => Math.max(0, ...near.map((one) => parallelBonus(one, sentence, [other, side])));
  return rankBy(context, candidates, (sentence) => value(sentence) + parallel(sentence) - sentence.score)[0];
}

/** Questions whether two things are one and the same (not whether one is a kind of the other): see SAMENESS. */
export const IDENTITY =
  /一样|相同|一回事|同一|等同|同义|一个意思|另一种说法|\bsame\b|identical|equivalent|synonym|interchangeabl|(?:another|other) (?:word|name|term) for/i;
/**
 * The question asks whether two things are the same ("…一样吗", "Is X the same as Y?"), differ, or one is a kind of
 * the other: answered as a contrast. IDENTITY's forms and those of difference and kind.
 */
export const SAMENESS = new RegExp(`${IDENTITY.source}|区别|不同|差别|一种|一类|same|differ|(?:kind|type|form|sort|part) of`, 'i');

export interface DifferenceOptions {
  /** A question whether the two are the same ("…一样吗"): the article's own sentence that they differ comes first. */
  readonly identity?: boolean;
  /** The sides, when the plan has chosen them (the options a which-question offers); else `contrastSides`. */
  readonly sides?: readonly [GlossaryTerm, GlossaryTerm];
  /** What the plan looks for in each side's sentence beyond the side and the aspect (see `sidePair`). */
  readonly prefer?: SentenceValue;
}

/**
 * A contrast: one cited sentence for each side (the article's parallel statement where it has one), then the article's
 * own summary of the two where it has one.
 */
export function planDifference(context: PlanContext, options: DifferenceOptions = {}): AnswerPlan | undefined {
  const sides = options.sides ?? contrastSides(context);
  if (sides.length < 2) return undefined;
  const [first, second] = sides as [GlossaryTerm, GlossaryTerm];
  const pool = context.kind === 'analogy' ? context.pool.filter((sentence) => isAnalogyChunk(sentence.chunk)) : context.pool;
  // A sameness question is answered first by the article's own statement that they differ; the sides are told after it.
  const stated = options.identity ? statedDifference(context, sides) : undefined;
  const sidePool = stated ? pool.filter((sentence) => sentence !== stated) : pool;
  const paired = sidePair({ ...context, pool: sidePool }, sidePool, [first, second], options.prefer);
  if (paired.length === 0) return undefined;
  // A side the article says nothing about in the asked respect is said to be so, not told by an unrelated sentence.
  const silent = unstatedSides(context, [first, second], paired);
  const taken = paired.filter((sentence) => !silent.includes(sides[sideIndex(sentence, sides)] as GlossaryTerm));
  // The statement that they differ, then its own passage's side first: one passage, one marker.
  const sideOrder = (sentence: EvidenceSentence): number =>
    sideIndex(sentence, sides) - (stated && sentence.chunk.chunkId === stated.chunk.chunkId ? sides.length : 0);
  const blocks: PlanBlock[] = stated ? [{ role: 'main', sentences: [stated] }] : [];
  for (const sentence of inReadingOrder(taken, context.order).sort((left, right) => sideOrder(left) - sideOrder(right)))
    blocks.push({ role: 'side', topic: sides[sideIndex(sentence, sides)] as GlossaryTerm, sentences: [sentence] });
  const documents = new Set(taken.map((sentence) => sentence.chunk.documentId));
  // Sides taken from a summary already are the article's summary. The summary's lines on the sides are one unit: the
  // answer holds all of them (within the quoted characters) or none, never one side's half.
  const told = blocks.flatMap((block) => block.sentences);
  const whole = { ...context, settings: { ...context.settings, maxSentences: told.length + sides.length } };
  const summary = taken.some((sentence) => isSummaryChunk(sentence.chunk))
    ? []
    : summarySentences(
        { ...whole, pool: pool.filter((sentence) => documents.has(sentence.chunk.documentId)) },
        sides.flatMap((side) => labelsOf(side.zh)),
        sides.length,
        told,
      );
  const covers = sides.every((side) => summary.some((sentence) => mentionsAny(sentence, labelsOf(side.zh))));
  if (summary.length > 0 && covers) blocks.push({ role: 'summary', sentences: summary });
  return {
    kind: context.kind === 'analogy' ? 'analogy' : 'difference',
    topics: sides,
    blocks,
    ...(silent.length > 0 ? { silent } : {}),
  };
}

/**
 * The sides whose sentence in the pair says nothing in the respect a question asks about in everyday words (cost,
 * effect, purpose, process: `respectsAsked`; or duration, "哪个更快") while the other side's does, and no sentence of
 * theirs in reach does either: "微调和调教哪个更快？" finds 微调's "时间较长" and nothing on 调教's speed. Other aspect
 * words are left to the pair's ranking: they name what a sentence is about too loosely to say the article is silent.
 */
function unstatedSides(
  context: PlanContext,
  sides: readonly [GlossaryTerm, GlossaryTerm],
  pair: readonly EvidenceSentence[],
): GlossaryTerm[] {
  if (pair.length < 2) return [];
  const respects = respectsAsked(context.query);
  const timed = poleWordsOf(context.query).some((word) => word.scale === 'duration');
  if (respects.length === 0 && !timed) return [];
  const onRespect = (sentence: EvidenceSentence): boolean =>
    respects.some((respect) => headingNames(headingsOf(sentence), respect)) ||
    (timed && poleWordsOf(sentence.text).some((word) => word.scale === 'duration'));
  const stating = pair.map((sentence) => sides[sideIndex(sentence, sides)] as GlossaryTerm);
  if (stating[0] === stating[1] || pair.every(onRespect) || !pair.some(onRespect)) return [];
  const silent = stating[pair.findIndex((sentence) => !onRespect(sentence))] as GlossaryTerm;
  const labels = labelsOf(silent.zh);
  const other = labelsOf((stating.find((side) => side !== silent) as GlossaryTerm).zh);
  const speaks = context.pool.some(
    (sentence) => onRespect(sentence) && mentionsAny(sentence, labels) && !opensWithLabel(plain(statementOf(sentence)), other),
  );
  return speaks ? [] : [silent];
}

/**
 * For a question whether the two are the same ("…一样吗"), the article's own sentence that names both and says they
 * differ. (Whether one is a kind of the other is told by the sides: "可以包括微调在内".)
 */
function statedDifference(context: PlanContext, sides: readonly GlossaryTerm[]): EvidenceSentence | undefined {
  const labels = sides.map((side) => labelsOf(side.zh));
  const differing = context.pool.filter(
    (sentence) =>
      labels.every((names) => names.some((label) => sentence.text.includes(label))) &&
      /不同|区别|差异|差别|各有|各自|不一样/.test(sentence.text) &&
      // A lead-in joined with one side's statement ("…的区别类似:微调通常指的是…") states that side, not the difference.
      !labels.some((names) => opensWithLabel(plain(statementOf(sentence)), names)),
  );
  return rankBy(context, differing, literalBonus(context))[0];
}

/** Which side a side sentence states: the one its statement opens with, else the first it names. */
function sideIndex(sentence: EvidenceSentence, sides: readonly GlossaryTerm[]): number {
  const statement = plain(statementOf(sentence));
  const opening = sides.findIndex((side) => opensWithLabel(statement, labelsOf(side.zh)));
  if (opening >= 0) return opening;
  const named = sides.findIndex((side) => labelsOf(side.zh).some((label) => sentence.text.includes(label)));
  return Math.max(0, named);
}

import type { GlossaryTerm } from '../../ingest/glossary.js';
import { SHARED_HEADING, SHARED_QUESTION } from '../../retrieval/evidence-cues.js';
import { ANSWER_KIND_TERMS } from '../../retrieval/text-analyzer.js';
import { INTENT_SENTENCE_CUES } from '../question-intent.js';
import {
  askedTerms,
  firstDefinition,
  labelOf,
  literalBonus,
  mentionsAny,
  pickDistinct,
  rankBy,
  summarySentences,
  termSpan,
} from './plan-support.js';
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
 * What joins the two sides of a comparison in a question: "A和B", "A还是B", "A or B", "A different from B", and the
 * links of a question whether one is the other or a kind of it ("A是不是就是一种B", "A the same as B", "A a kind of B").
 */
const JOINING =
  /^(?:和|与|跟|同|及|以及|还是|或|或者|或是|、|对比|比|相比|vs\.?|versus|and|or|from|with|than|to|(?:is |are )?(?:different|differs?) from|compared? (?:to|with)|(?:是不是|是否|算不算|算是|就是|只是|是|属于)+(?:一种|一类)?|(?:is |are )?(?:just |really |basically )?(?:the same (?:thing )?as|same as|like|an? (?:kind|type|form|sort|part) of))$/i;

/**
 * The two sides of a contrast. Two topics the question joins ("微调和调教", "applying a model different from
 * fine-tuning") come first; else its first two topics; with only one, a query word the passages use as a label
 * ("**应用**:" for "应用和微调的区别") stands for the other side, else the counterpart the article sets against the topic.
 * A side the article never states in parallel with the other ("a pretrained model" against 微调) gives way to that
 * counterpart when the counterpart's statements name it ("**应用**:通常是直接使用预训练模型…").
 */
export function contrastSides(context: PlanContext): GlossaryTerm[] {
  const joined = joinedSides(context);
  const sides = joined ? [...joined] : context.topics.slice(0, 2);
  if (sides.length >= 2) {
    const [one, two] = sides as [GlossaryTerm, GlossaryTerm];
    if (statedInParallel(context, one, two)) return sides;
    const names = (side: GlossaryTerm) => (sentence: EvidenceSentence) => (mentionsAny(sentence, labelsOf(side.zh)) ? 1 : 0);
    const forOne = counterpartOf(context, two, names(one));
    if (forOne && forOne.zh !== two.zh) return [forOne, two];
    const forTwo = counterpartOf(context, one, names(two));
    return forTwo && forTwo.zh !== one.zh ? [one, forTwo] : sides;
  }
  const named = sides.flatMap((side) => labelsOf(side.zh));
  for (const word of context.queryTerms) {
    if (sides.length >= 2) break;
    if ([...word].length < 2 || ANSWER_KIND_TERMS.has(word) || named.some((label) => label.includes(word) || word.includes(label)))
      continue;
    const label = new RegExp(`^${word.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}[^。！？]{0,6}?[:：]`);
    if (context.pool.some((sentence) => label.test(plain(sentence.text)))) sides.push({ zh: word, en: [], gloss: word });
  }
  const only = sides[0];
  if (sides.length === 1 && only) {
    const counterpart = counterpartOf(context, only, (sentence) => sentence.match);
    if (counterpart) sides.push(counterpart);
  }
  return sides;
}

const labelledAs = (sentence: EvidenceSentence, side: GlossaryTerm): boolean => {
  const label = labelOf(sentence);
  return label !== undefined && labelsOf(side.zh).includes(label);
};

/** Whether one passage states both sides, each in a sentence labelled with it ("微调:…" beside "调教:…"). */
function statedInParallel(context: PlanContext, one: GlossaryTerm, two: GlossaryTerm): boolean {
  const chunks = new Set(context.pool.filter((sentence) => labelledAs(sentence, one)).map((sentence) => sentence.chunk.chunkId));
  return context.pool.some((sentence) => chunks.has(sentence.chunk.chunkId) && labelledAs(sentence, two));
}

/**
 * The term the article sets against a side: the glossary term labelling sentences in the passages where a sentence is
 * labelled with the side ("**应用**:…" beside "**微调**:…"), the one whose sentences score best by `value`; undefined
 * when none scores above zero.
 */
function counterpartOf(context: PlanContext, side: GlossaryTerm, value: (sentence: EvidenceSentence) => number): GlossaryTerm | undefined {
  const own = new Set(labelsOf(side.zh));
  const chunks = new Set(context.pool.filter((sentence) => labelledAs(sentence, side)).map((sentence) => sentence.chunk.chunkId));
  const totals = new Map<string, number>();
  for (const sentence of context.pool) {
    const label = labelOf(sentence);
    if (!label || own.has(label) || !chunks.has(sentence.chunk.chunkId) || !context.termLabels.has(label)) continue;
    totals.set(label, (totals.get(label) ?? 0) + value(sentence));
  }
  const best = [...totals].sort((left, right) => right[1] - left[1])[0];
  return best && best[1] > 0 ? (context.termOf(best[0]) ?? { zh: best[0], en: [], gloss: best[0] }) : undefined;
}

/** Two topics the question joins as the sides of a comparison ("微调和调教", "A or B", "A different from B"), if any. */
export function joinedSides(context: Pick<PlanContext, 'query' | 'topics'>): [GlossaryTerm, GlossaryTerm] | undefined {
  const placed = context.topics
    .map((topic) => ({ topic, span: termSpan(context.query, topic) }))
    .filter((entry): entry is { topic: GlossaryTerm; span: { start: number; end: number } } => entry.span !== undefined)
    .sort((left, right) => left.span.start - right.span.start);
  for (let index = 0; index + 1 < placed.length; index += 1) {
    const [left, right] = [placed[index], placed[index + 1]] as [(typeof placed)[number], (typeof placed)[number]];
    const between = context.query
      .slice(left.span.end, right.span.start)
      .replace(/["'“”「」\s,，]+/g, ' ')
      .trim();
    if (JOINING.test(between)) return [left.topic, right.topic];
  }
  return undefined;
}

/** The question's words beyond its sides and its frame: the respect in which they are compared (效果, 机器学习, faster). */
const aspectTermsOf = (context: PlanContext, sides: readonly GlossaryTerm[]): string[] =>
  askedTerms(context, [...sides, ...context.vehicles]).filter((term) => !RELATION_WORDS.test(term));

/** Words that ask how the two relate ("只是…的一种", "本质上", "the same"), not in which respect they are compared. */
const RELATION_WORDS =
  /^(?:只是|就是|仅仅|仅是|本质上?|其实|真的|一种|一类|一回事|同一|相同|一样|等同|just|really|basically|actually|kind|type|sort|same|identical)$/i;

const opensWithLabel = (text: string, labels: readonly string[]): boolean =>
  labels.some((label) => text.startsWith(label) || text.startsWith(`"${label}"`));

/**
 * How well a sentence states one side: its statement (after a lead-in) opens with the side as subject or label and
 * defines it, it does not open with the other side nor name both sides together ("A和B是…" states neither). Plain
 * questions prefer literal statements; analogy questions the figurative ones (就像, 这个过程就是). A sentence on the
 * question's aspect (its words in the sentence or its section's heading) is worth more.
 */
function sideValue(context: PlanContext, side: GlossaryTerm, other: GlossaryTerm, aspect: readonly string[]) {
  const labels = labelsOf(side.zh);
  const otherLabels = labelsOf(other.zh);
  const defining = definitionPatternFor(labels);
  const strict = definitionPatternFor(labels, true);
  const figurative = context.kind === 'analogy';
  const literal = literalBonus(context);
  const first = figurative ? undefined : firstDefinition(context, side.zh);
  const cue = INTENT_SENTENCE_CUES.analogy;
  // Asked in one respect (效果, 数据, faster), a side's statement on that respect beats its definition.
  const definitional = aspect.length > 0 ? 0.4 : 1;
  return (sentence: EvidenceSentence): number => {
    const statement = plain(statementOf(sentence));
    const opens = opensWithLabel(statement, labels);
    // The aspect may be named by the sentence, its section's heading, or the lead-in it stands under ("在机器学习中,…类似:").
    const onAspect = aspectShare(context, aspect)(sentence);
    const namesBoth = !opens && otherLabels.some((label) => statement.slice(0, 12).includes(label));
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
      (aspect.length > 0 ? 1.5 * onAspect : 0) +
      // The retrieval score counts the other side's words too: it only breaks ties between statements of one side.
      0.25 * sentence.score
    );
  };
}

function memoised(value: (sentence: EvidenceSentence) => number): (sentence: EvidenceSentence) => number {
  const known = new Map<EvidenceSentence, number>();
  return (sentence) => {
    let found = known.get(sentence);
    if (found === undefined) known.set(sentence, (found = value(sentence)));
    return found;
  };
}

/** The share of the aspect's words a sentence names itself, in its section's heading, or in the lead-in it stands under. */
function aspectShare(context: PlanContext, aspect: readonly string[]) {
  return (sentence: EvidenceSentence): number => {
    if (aspect.length === 0) return 0;
    const heading = sentence.chunk.headingPath.join(' ').toLowerCase();
    const leadIn = leadInOf(context, sentence);
    return (
      aspect.filter((term) => sentence.terms.has(term) || heading.includes(term) || leadIn?.terms.has(term) === true).length / aspect.length
    );
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
 * own bullet pair or its two sibling sections beat two sentences picked from unrelated places.
 */
export function sidePair(
  context: PlanContext,
  candidates: readonly EvidenceSentence[],
  sides: readonly [GlossaryTerm, GlossaryTerm],
): EvidenceSentence[] {
  const aspect = aspectTermsOf(context, sides);
  // Each value is asked for every pair a sentence is in: computed once per sentence.
  const onAspect = memoised(aspectShare(context, aspect));
  const firstValue = memoised(sideValue(context, sides[0], sides[1], aspect));
  const secondValue = memoised(sideValue(context, sides[1], sides[0], aspect));
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

/** The question asks whether two things are the same ("…一样吗", "Is X the same as Y?"): answered as a contrast. */
export const SAMENESS =
  /一样|相同|一回事|同一|等同|区别|不同|差别|一种|一类|same|identical|equivalent|differ|(?:kind|type|form|sort|part) of/i;
/** Of those, the questions whether the two are one and the same (not whether one is a kind of the other). */
export const IDENTITY = /一样|相同|一回事|同一|等同|\bsame\b|identical|equivalent/i;

/**
 * A contrast: one cited sentence for each side (the article's parallel statement where it has one), then the article's
 * own summary of the two where it has one. With `identity` (a question whether the two are the same, "…一样吗"), the
 * article's own sentence that the two differ comes first.
 */
export function planDifference(context: PlanContext, options: { readonly identity?: boolean } = {}): AnswerPlan | undefined {
  const sides = contrastSides(context);
  if (sides.length < 2) return undefined;
  const [first, second] = sides as [GlossaryTerm, GlossaryTerm];
  const pool = context.kind === 'analogy' ? context.pool.filter((sentence) => isAnalogyChunk(sentence.chunk)) : context.pool;
  // A sameness question is answered first by the article's own statement that they differ; the sides are told after it.
  const stated = options.identity ? statedDifference(context, sides) : undefined;
  const sidePool = stated ? pool.filter((sentence) => sentence !== stated) : pool;
  const taken = sidePair({ ...context, pool: sidePool }, sidePool, [first, second]);
  if (taken.length === 0) return undefined;
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
  return { kind: context.kind === 'analogy' ? 'analogy' : 'difference', topics: sides, blocks };
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

/**
 * A comparison on one aspect ("在时间和资源上有什么不同", "有哪些共性"): the section whose heading names the aspect.
 * Where it states the sides in parallel, one sentence per side from it; where it states what they share, its sentences.
 * Undefined when no heading names a word of the question beyond the sides (the contrast plan then weighs the aspect).
 */
export function planAspect(context: PlanContext): AnswerPlan | undefined {
  const sides = contrastSides(context);
  const labels = sides.flatMap((side) => labelsOf(side.zh));
  const aspectWords = context.queryTerms.filter(
    (term) =>
      [...term].length >= 2 && !ANSWER_KIND_TERMS.has(term) && !labels.some((label) => label.includes(term) || term.includes(label)),
  );
  // What both share ("有什么相同的地方", "what do they share") is the section headed as what they have in common.
  const shared = SHARED_QUESTION.test(context.query);
  if (aspectWords.length === 0 && !shared) return undefined;
  const named = (sentence: EvidenceSentence): number => {
    const heading = sentence.chunk.headingPath[sentence.chunk.headingPath.length - 1] ?? '';
    return aspectWords.filter((word) => heading.includes(word)).length + (shared && SHARED_HEADING.test(heading) ? 1 : 0);
  };
  const best = [...context.pool]
    .filter((sentence) => named(sentence) > 0)
    .sort((left, right) => named(right) - named(left) || right.score - left.score)[0];
  if (!best) return undefined;
  // The whole section: a long one ("共性", three items) may be cut into several passages.
  const heading = best.chunk.headingPath.join('/');
  const section = context.pool.filter(
    (sentence) => sentence.chunk.documentId === best.chunk.documentId && sentence.chunk.headingPath.join('/') === heading,
  );
  // A section on the aspect that does not speak of one of the sides ("应用" and "微调" asked about 调教) is not its answer.
  if (
    sides.length >= 2 &&
    !sides.every((side) => labelsOf(side.zh).some((label) => section.some((sentence) => sentence.text.includes(label))))
  )
    return undefined;
  const opening = (side: GlossaryTerm) => section.filter((sentence) => opensWithLabel(plain(statementOf(sentence)), labelsOf(side.zh)));
  const blocks: PlanBlock[] = [];
  if (sides.length >= 2 && opening(sides[0] as GlossaryTerm).length > 0 && opening(sides[1] as GlossaryTerm).length > 0) {
    const pair = sidePair({ ...context, pool: section }, section, [sides[0] as GlossaryTerm, sides[1] as GlossaryTerm]);
    // One passage states both sides: one block, so its marker follows both.
    if (pair.length > 0) blocks.push({ role: 'main', sentences: pair.sort((left, right) => left.start - right.start) });
  }
  if (blocks.length === 0) {
    const picked = pickDistinct(
      context,
      rankBy(context, section, () => 0),
      { limit: 3 },
    );
    if (picked.length === 0) return undefined;
    blocks.push({ role: 'main', sentences: picked.sort((left, right) => left.start - right.start) });
  }
  const sharing = shared && SHARED_HEADING.test(best.chunk.headingPath.at(-1) ?? '');
  return { kind: 'aspect', topics: sides, blocks, ...(sharing ? { shared: true } : {}) };
}

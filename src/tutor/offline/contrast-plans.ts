import type { GlossaryTerm } from '../../ingest/glossary.js';
import { ANSWER_KIND_TERMS } from '../../retrieval/text-analyzer.js';
import { firstDefinition, literalBonus, pickDistinct, rankBy, summarySentences } from './plan-support.js';
import type { AnswerPlan, PlanBlock, PlanContext } from './plan-types.js';
import { definitionPatternFor, type EvidenceSentence, labelsOf, opensWith, plain } from './sentence-evidence.js';

/**
 * The two sides of a contrast: the question's first two topics; with only one, a query word the passages use as a
 * label ("**应用**:" for "应用和微调的区别") stands for the other side.
 */
export function contrastSides(context: PlanContext): GlossaryTerm[] {
  const sides = context.topics.slice(0, 2);
  if (sides.length >= 2) return [...sides];
  const named = sides.flatMap((side) => labelsOf(side.zh));
  for (const word of context.queryTerms) {
    if (sides.length >= 2) break;
    if ([...word].length < 2 || ANSWER_KIND_TERMS.has(word) || named.some((label) => label.includes(word) || word.includes(label)))
      continue;
    const label = new RegExp(`^${word.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}[^。！？]{0,6}?[:：]`);
    if (context.pool.some((sentence) => label.test(plain(sentence.text)))) sides.push({ zh: word, en: [], gloss: word });
  }
  return sides;
}

/** How well a sentence states one side: opening with the side as subject or label, defining it, not opening with the other. */
function sideValue(context: PlanContext, side: GlossaryTerm, other: GlossaryTerm): (sentence: EvidenceSentence) => number {
  const labels = labelsOf(side.zh);
  const defining = definitionPatternFor(labels);
  const strict = definitionPatternFor(labels, true);
  const literal = literalBonus(context);
  const first = firstDefinition(context, side.zh);
  return (sentence) =>
    (opensWith(sentence, side.zh) ? 0.8 : 0) +
    (defining?.test(plain(sentence.text)) ? 0.3 : 0) +
    (strict?.test(plain(sentence.text)) ? 0.6 : 0) +
    (sentence === first ? 0.3 : 0) -
    (opensWith(sentence, other.zh) ? 1 : 0) +
    literal(sentence);
}

function sideSentence(
  context: PlanContext,
  candidates: readonly EvidenceSentence[],
  side: GlossaryTerm,
  other: GlossaryTerm,
  taken: readonly EvidenceSentence[],
): EvidenceSentence | undefined {
  const labels = labelsOf(side.zh);
  const about = candidates.filter((sentence) => labels.some((label) => sentence.text.includes(label)));
  return pickDistinct(context, rankBy(context, about, sideValue(context, side, other)), { limit: 1, taken })[0];
}

/** Both sides from one document where one states both (the same author's terms), else the best of each. */
function sidePair(context: PlanContext, candidates: readonly EvidenceSentence[], first: GlossaryTerm, second: GlossaryTerm) {
  // Candidate scopes: one passage (a section that states both sides), one document, the whole pool.
  const scopes: { within: readonly EvidenceSentence[]; bonus: number }[] = [
    ...[...new Set(candidates.map((sentence) => sentence.chunk.chunkId))].map((chunkId) => ({
      within: candidates.filter((sentence) => sentence.chunk.chunkId === chunkId),
      bonus: 0.3,
    })),
    ...[...new Set(candidates.map((sentence) => sentence.chunk.documentId))].map((documentId) => ({
      within: candidates.filter((sentence) => sentence.chunk.documentId === documentId),
      bonus: 0,
    })),
    { within: candidates, bonus: -0.2 },
  ];
  let best: { pair: EvidenceSentence[]; value: number } | undefined;
  for (const { within, bonus } of scopes) {
    const one = sideSentence(context, within, first, second, []);
    const two = sideSentence(context, within, second, first, one ? [one] : []);
    const pair = [one, two].filter((sentence) => sentence !== undefined);
    const value =
      (one ? one.score + sideValue(context, first, second)(one) : 0) +
      (two ? two.score + sideValue(context, second, first)(two) : 0) +
      bonus;
    if (!best || pair.length > best.pair.length || (pair.length === best.pair.length && value > best.value)) best = { pair, value };
  }
  return best?.pair ?? [];
}

/** A contrast: one cited sentence for each side, then the article's own summary of the two where it has one. */
export function planDifference(context: PlanContext): AnswerPlan | undefined {
  const sides = contrastSides(context);
  if (sides.length < 2) return undefined;
  const [first, second] = sides as [GlossaryTerm, GlossaryTerm];
  const taken = sidePair(context, context.pool, first, second);
  if (taken.length === 0) return undefined;
  const blocks: PlanBlock[] = taken.map((sentence) => ({
    role: 'side',
    topic: labelsOf(first.zh).some((label) => sentence.text.includes(label)) && !opensWith(sentence, second.zh) ? first : second,
    sentences: [sentence],
  }));
  const documents = new Set(taken.map((sentence) => sentence.chunk.documentId));
  const summary = summarySentences(
    { ...context, pool: context.pool.filter((sentence) => documents.has(sentence.chunk.documentId)) },
    sides.flatMap((side) => labelsOf(side.zh)),
    2,
    taken,
  );
  if (summary.length > 0) blocks.push({ role: 'summary', sentences: summary });
  return { kind: 'difference', topics: sides, blocks };
}

/**
 * A comparison on one aspect ("在时间和资源上有什么不同"): the section whose heading names the aspect, one sentence per
 * side from it. Undefined when no heading names a word of the question beyond the sides.
 */
export function planAspect(context: PlanContext): AnswerPlan | undefined {
  const sides = contrastSides(context);
  const labels = sides.flatMap((side) => labelsOf(side.zh));
  const aspectWords = context.queryTerms.filter(
    (term) =>
      [...term].length >= 2 && !ANSWER_KIND_TERMS.has(term) && !labels.some((label) => label.includes(term) || term.includes(label)),
  );
  if (aspectWords.length === 0) return undefined;
  const named = (sentence: EvidenceSentence): number => {
    const heading = sentence.chunk.headingPath[sentence.chunk.headingPath.length - 1] ?? '';
    return aspectWords.filter((word) => heading.includes(word)).length;
  };
  const best = [...context.pool]
    .filter((sentence) => named(sentence) > 0)
    .sort((left, right) => named(right) - named(left) || right.score - left.score)[0];
  if (!best) return undefined;
  const section = context.pool.filter((sentence) => sentence.chunk.chunkId === best.chunk.chunkId);
  const blocks: PlanBlock[] = [];
  if (sides.length >= 2) {
    const [first, second] = sides as [GlossaryTerm, GlossaryTerm];
    const one = sideSentence(context, section, first, second, []);
    const two = sideSentence(context, section, second, first, one ? [one] : []);
    // One passage states both sides: one block, so its marker follows both.
    const both = [one, two].filter((sentence) => sentence !== undefined).sort((left, right) => left.start - right.start);
    if (both.length > 0) blocks.push({ role: 'main', sentences: both });
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
  return { kind: 'aspect', topics: sides, blocks };
}

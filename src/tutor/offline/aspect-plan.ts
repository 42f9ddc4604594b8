import type { GlossaryTerm } from '../../ingest/glossary.js';
import { headingNames, respectsAsked } from '../../retrieval/aspect-words.js';
import { SHARED_HEADING, SHARED_QUESTION } from '../../retrieval/evidence-cues.js';
import { opensWithLabel, sidePair } from './contrast-plans.js';
import { contrastSides, joinedSides, titleSides } from './contrast-sides.js';
import { pickDistinct, rankBy, termNames, withoutCarriedTopics, wordsBeyond } from './plan-support.js';
import type { AnswerPlan, PlanBlock, PlanContext } from './plan-types.js';
import { type EvidenceSentence, labelsOf, plain, sectionHeadings, statementOf } from './sentence-evidence.js';

/**
 * What a section headed as the common ground counts for a question on what both share: more than a heading naming one
 * respect, since the question asks what they share in that respect ("对计算资源的需求有什么共同点" is the common
 * ground's 计算资源需求, not the section on how their time and resources differ).
 */
const SHARED_WEIGHT = 2;

/**
 * A comparison on one aspect ("在时间和资源上有什么不同", "有哪些共性", "哪个成本更低"): the section whose heading names
 * the aspect, by the question's own words or by the respect its everyday words ask about (`respectsAsked`: cost is
 * "时间和资源"); "pros and cons" asks about two respects, and each gets its section. Where a section states the sides
 * in parallel, one sentence per side from it; where it states what they share, its sentences. Undefined when no
 * heading names the aspect (the contrast plan then weighs it sentence by sentence).
 */
export function planAspect(context: PlanContext): AnswerPlan | undefined {
  const searched = contrastSides(context);
  // The topics the question joins are the things compared, not the respect, also where a counterpart stands for one
  // ("微调和直接用预训练模型": 模型应用's side, not 训练).
  const aspectWords = wordsBeyond(context.queryTerms, termNames([...searched, ...(joinedSides(context) ?? context.topics.slice(0, 2))]));
  const respects = respectsAsked(withoutCarriedTopics(context.query));
  // What both share ("有什么相同的地方", "what do they share") is the section headed as what they have in common.
  const shared = SHARED_QUESTION.test(context.query);
  if (aspectWords.length === 0 && respects.length === 0 && !shared) return undefined;
  // The section's heading, and its rendering's for an English question ("1. Purpose" for "differ in purpose").
  const named = (sentence: EvidenceSentence): number => {
    const heading = sectionHeadings(sentence);
    return (
      aspectWords.filter((word) => heading.includes(word)).length +
      respects.filter((respect) => headingNames(heading, respect)).length +
      (shared && SHARED_HEADING.test(sentence.chunk.headingPath.at(-1) ?? '') ? SHARED_WEIGHT : 0)
    );
  };
  const bestBy = (value: (sentence: EvidenceSentence) => number): EvidenceSentence | undefined =>
    [...context.pool]
      .filter((sentence) => value(sentence) > 0)
      .sort((left, right) => value(right) - value(left) || right.score - left.score)[0];
  const best = bestBy(named);
  if (!best) return undefined;
  // A question naming no side ("直接拿来用，在速度方面有什么优势？") compares the two its section's document sets side by
  // side, not those of the best passage's title, which may be another article's.
  const sides = context.topics.length === 0 ? titleSidesOr(best, context, searched) : searched;
  // Two respects asked at once ("pros and cons": effect and cost) each name their own section, the best first.
  const others =
    respects.length > 1
      ? respects
          .map((respect) => bestBy((sentence) => (headingNames(sectionHeadings(sentence), respect) ? 1 : 0)))
          .filter((sentence): sentence is EvidenceSentence => sentence !== undefined && sentence.chunk.chunkId !== best.chunk.chunkId)
      : [];
  const blocks: PlanBlock[] = [];
  for (const start of [best, ...others]) {
    const block = sectionBlock(context, sectionOf(context, start), sides);
    if (block) blocks.push(block);
    else if (start === best) return undefined;
  }
  const sharing = shared && SHARED_HEADING.test(best.chunk.headingPath.at(-1) ?? '');
  return { kind: 'aspect', topics: sides, blocks, ...(sharing ? { shared: true } : {}) };
}

/** The two terms the title of a sentence's document joins, else the sides found before. */
function titleSidesOr(sentence: EvidenceSentence, context: PlanContext, found: GlossaryTerm[]): GlossaryTerm[] {
  const own = titleSides(sentence.chunk.title, context.glossary);
  return own.length >= 2 ? own : found;
}

/** The whole section a sentence stands in: a long one ("共性", three items) may be cut into several passages. */
function sectionOf(context: PlanContext, sentence: EvidenceSentence): EvidenceSentence[] {
  const heading = sentence.chunk.headingPath.join('/');
  return context.pool.filter(
    (candidate) => candidate.chunk.documentId === sentence.chunk.documentId && candidate.chunk.headingPath.join('/') === heading,
  );
}

/**
 * A section's answer: one sentence per side where it states both in parallel, else its best sentences; undefined when
 * it does not speak of one of the sides ("应用" and "微调" asked about 调教) or has nothing to pick.
 */
function sectionBlock(context: PlanContext, section: readonly EvidenceSentence[], sides: readonly GlossaryTerm[]): PlanBlock | undefined {
  if (
    sides.length >= 2 &&
    !sides.every((side) => labelsOf(side.zh).some((label) => section.some((sentence) => sentence.text.includes(label))))
  )
    return undefined;
  const opening = (side: GlossaryTerm) => section.filter((sentence) => opensWithLabel(plain(statementOf(sentence)), labelsOf(side.zh)));
  if (sides.length >= 2 && opening(sides[0] as GlossaryTerm).length > 0 && opening(sides[1] as GlossaryTerm).length > 0) {
    const pair = sidePair({ ...context, pool: section }, section, [sides[0] as GlossaryTerm, sides[1] as GlossaryTerm]);
    // One passage states both sides: one block, so its marker follows both.
    if (pair.length > 0) return { role: 'main', sentences: pair.sort((left, right) => left.start - right.start) };
  }
  // An aspect asked in everyday words ("What hardware do both need?") is the section's sentences stating it, when some do.
  const aspects = [...(context.bridges?.keys() ?? [])];
  const stating = section.filter((sentence) => aspects.some((word) => sentence.terms.has(word)));
  const picked = pickDistinct(
    context,
    rankBy(context, stating.length > 0 ? stating : section, () => 0),
    { limit: 3 },
  );
  return picked.length > 0 ? { role: 'main', sentences: picked.sort((left, right) => left.start - right.start) } : undefined;
}

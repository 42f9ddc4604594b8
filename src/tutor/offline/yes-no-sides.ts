import type { GlossaryTerm } from '../../ingest/glossary.js';
import { headingNames, respectsAsked } from '../../retrieval/aspect-words.js';
import { headingsOf, sideStatement } from './contrast-plans.js';
import { contrastSides, joinedSides, parallelSides } from './contrast-sides.js';
import { mentionsAny } from './plan-support.js';
import type { AnswerPlan, PlanContext } from './plan-types.js';
import { type EvidenceSentence, labelsOf, opensWith } from './sentence-evidence.js';
import { termSpan } from './term-spans.js';
import { planYesNo } from './yes-no-plan.js';

/** A comparative between the two sides ("比微调更快", "cheaper than fine-tuning"): the verdict already weighs both. */
const COMPARATIVE = /比|than\b/i;

/**
 * A yes/no question on two sides ("微调和调教都会调整模型参数吗？", "Can X or Y change the model's structure?", "微调要…，
 * 模型应用也要吗？", "Is X cheaper than Y?"): the yes/no plan answers for the side its evidence is about, and the other
 * side's own statement on the same question follows as a side of its own (the article's parallel bullet where it has
 * one), so the learner reads both. Where no sentence of the other side speaks to what is asked, the answer says that the
 * article does not say (`silent`) rather than cite an unrelated sentence. The verdict stands for a comparative (it
 * compares the two already) or when the other side's own yes/no reading agrees; otherwise it is left out.
 */
export function planYesNoSides(context: PlanContext, question: string): AnswerPlan | undefined {
  const sides = joinedSides(context) ?? parallelSides(context) ?? comparedSides(context);
  if (!sides) return undefined;
  const plan = planYesNo(context, question);
  const told = plan?.blocks.flatMap((block) => block.sentences) ?? [];
  if (!plan || told.length === 0) return undefined;
  const stated = sides.filter((side) => told.some((sentence) => states(sentence, side, sides)));
  // A comparative in a respect ("Is X cheaper than Y?") told by what both share ("都需要较高的计算资源") or by a
  // sentence on neither compares nothing: each side's own statement in that respect is told instead, without a verdict.
  if (stated.length !== 1 && !plan.comparedWith) {
    const compared = comparedInRespect(context, sides, told);
    if (compared) return compared;
  }
  // Both sides told already (one sentence comparing them), or neither (the evidence is about something else); or the
  // article compares the subject with a third term only, which the plan's frame says.
  if (stated.length !== 1 || plan.comparedWith) return plan;
  const [one] = stated as [GlossaryTerm];
  const other = sides.find((side) => side !== one) as GlossaryTerm;
  // Asked in a respect of everyday words ("more effective", "cheaper"), evidence outside the section on it ("训练过程"
  // for "effective") gives way to the side's own statement in that respect, and the verdict read from it with it.
  const respects = respectsAsked(context.query);
  const onRespect = told.some((sentence) => respects.some((respect) => headingNames(headingsOf(sentence), respect)));
  const inRespect = respects.length > 0 && !onRespect ? sideStatement(context, one, other, []) : undefined;
  const evidence = inRespect ? [inRespect] : told;
  const verdict = inRespect ? undefined : plan.verdict;
  const own = { role: 'side' as const, topic: one, sentences: evidence };
  const sidesPlan = (blocks: AnswerPlan['blocks'], said: AnswerPlan['verdict'], silent?: GlossaryTerm): AnswerPlan => ({
    kind: 'yesno',
    topics: [one, other],
    blocks,
    ...(said ? { verdict: said } : {}),
    ...(silent ? { silent: [silent] } : {}),
  });
  // A side the question names only in everyday words is the object of its comparative (everydayObject).
  const comparative = COMPARATIVE.test(between(context.query, sides)) || sides.some((side) => !termSpan(context.query, side));
  // The other side asked the same question: its own reading of the claim, when its evidence states that side; else its
  // statement on the question's aspect. A shared verdict is said once for both.
  const otherPlan = comparative
    ? undefined
    : planYesNo({ ...context, topics: [other, ...context.topics.filter((topic) => topic !== other)] }, question);
  const otherBest = otherPlan?.blocks[0]?.sentences[0];
  const ownReading = otherBest && !evidence.includes(otherBest) && states(otherBest, other, sides) ? otherBest : undefined;
  const statement = ownReading ?? sideStatement(context, other, one, evidence);
  if (!statement) return sidesPlan([own], comparative ? verdict : undefined, other);
  const agrees = ownReading !== undefined && otherPlan?.verdict === verdict;
  return sidesPlan([own, { role: 'side', topic: other, sentences: [statement] }], comparative || agrees ? verdict : undefined);
}

/** A sentence states a side: it opens with the side's label, or opens with neither side's and names it. */
function states(sentence: EvidenceSentence, side: GlossaryTerm, sides: readonly GlossaryTerm[]): boolean {
  if (opensWith(sentence, side.zh)) return true;
  return !sides.some((any) => opensWith(sentence, any.zh)) && mentionsAny(sentence, labelsOf(side.zh));
}

/**
 * "Is X cheaper than Y?", "X比Y更快吗", "Does X need retraining like Y does?": two topics a comparison joins (a joiner
 * of its own only for this plan).
 */
const COMPARED = /^(?:(?:is |are )?(?:\w+er|more \w+|less \w+) than|比)$|\b(?:like|unlike|as)$/i;

function comparedSides(context: PlanContext): [GlossaryTerm, GlossaryTerm] | undefined {
  const [one, two] = context.topics;
  if (one && !two) return everydayObject(context, one);
  if (!one || !two) return undefined;
  const text = between(context.query, [one, two]).trim();
  return COMPARED.test(text) ? [one, two] : undefined;
}

/** The question's text between its two sides, where the word joining them stands. */
function between(query: string, sides: readonly [GlossaryTerm, GlossaryTerm]): string {
  const spans = sides
    .map((side) => termSpan(query, side))
    .filter((span): span is { start: number; end: number } => span !== undefined)
    .sort((left, right) => left.start - right.start);
  const [left, right] = spans;
  return left && right ? query.slice(left.end, right.start) : '';
}

/** A comparative after the subject ("…more time than just using the model", "比直接拿来用更快吗"), 比 not of 比如 / 比较. */
const THAN = /\bthan\b|比(?!如|较|方)/i;

/**
 * The sides of a comparative whose object is named in everyday words ("Does fine-tuning take more time than just
 * using the model?"): the subject, and the counterpart the article sets against it that those words fit best
 * (contrastSides with one topic); undefined when the question compares nothing after its subject.
 */
function everydayObject(context: PlanContext, subject: GlossaryTerm): [GlossaryTerm, GlossaryTerm] | undefined {
  const span = termSpan(context.query, subject);
  if (!span || !THAN.test(context.query.slice(span.end))) return undefined;
  const [one, two] = contrastSides(context);
  return one && two ? [one, two] : undefined;
}

/**
 * Each side's statement in the respect a comparative asks about, where the evidence told names both sides outside the
 * section on it; undefined for a question that is no comparative in a respect, or when a side states nothing in it.
 */
function comparedInRespect(
  context: PlanContext,
  sides: readonly [GlossaryTerm, GlossaryTerm],
  told: readonly EvidenceSentence[],
): AnswerPlan | undefined {
  const respects = respectsAsked(context.query);
  if (respects.length === 0 || !COMPARATIVE.test(between(context.query, sides))) return undefined;
  if (told.some((sentence) => respects.some((respect) => headingNames(headingsOf(sentence), respect)))) return undefined;
  const [one, other] = sides;
  const first = sideStatement(context, one, other, []);
  const second = first ? sideStatement(context, other, one, [first]) : undefined;
  if (!first || !second) return undefined;
  return {
    kind: 'yesno',
    topics: [one, other],
    blocks: [
      { role: 'side', topic: one, sentences: [first] },
      { role: 'side', topic: other, sentences: [second] },
    ],
  };
}

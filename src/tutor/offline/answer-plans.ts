import { SHARED_WORDS } from '../../retrieval/evidence-cues.js';
import { antecedentOf, ledByAntecedent, pointsBack, withAntecedents } from './antecedent-sentences.js';
import { planAspect } from './aspect-plan.js';
import { planChoice, planComparedWhich } from './choice-plans.js';
import { IDENTITY, planDifference, SAMENESS } from './contrast-plans.js';
import { joinedSides } from './contrast-sides.js';
import { planAnalogy, planExample, planSimpler } from './example-plans.js';
import { planNamedActivity, recommendedWords } from './named-activity-plan.js';
import { mentionsAny, pickDistinct } from './plan-support.js';
import type { AnswerPlan, PlanBlock, PlanContext, PlanKind } from './plan-types.js';
import { type EvidenceSentence, labelsOf } from './sentence-evidence.js';
import { anchorSentence, mostSpecificTopic } from './specific-topic.js';
import { planDefinition, planGeneral, planReason, planRisk, planSummary, planWhich } from './statement-plans.js';
import { planIdentity } from './yes-no-identity.js';
import { planYesNo } from './yes-no-plan.js';
import { planYesNoSides } from './yes-no-sides.js';
import { echoedVerdictWords } from './yes-no-verb.js';

type Planner = (context: PlanContext, question: string) => AnswerPlan | undefined;

/** The plans tried for each kind of question, in order; the general plan is the last resort for every kind. */
const PLANNERS: Readonly<Record<PlanKind, readonly Planner[]>> = {
  simpler: [planSimpler],
  definition: [planDefinition],
  difference: [planAspect, (context) => commonGroundUnmet(context, planDifference(context))],
  aspect: [planAspect, (context) => commonGroundUnmet(context, planDifference(context))],
  example: [planExample],
  analogy: [planAnalogy],
  reason: [planReason],
  risk: [planRisk],
  // How it is done: the sentences that match the question best (the general plan, with the cue words of a method).
  how: [],
  // Which is better in a respect, which of two named options to choose, else which term the article recommends.
  which: [planComparedWhich, planChoice, planWhich, planNamedActivity],
  summary: [planSummary],
  yesno: [planIdentity, planSameness, planYesNoSides, planYesNo],
  general: [planFigure],
};

/**
 * Asked what two things have in common ("What do fine-tuning and tuning have in common?") where the article has no
 * section on what they share: their contrast is what it says, and the frame says the article does not answer that
 * outright instead of presenting it as what they share or as the contrast asked for.
 */
function commonGroundUnmet(context: PlanContext, plan: AnswerPlan | undefined): AnswerPlan | undefined {
  if (!plan || plan.shared || !SHARED_WORDS.test(context.query) || /区别|不同|差异|差别|differ/i.test(context.query)) return plan;
  return { ...plan, unmet: true };
}

/** A question that names only the analogy's figure ("炖肉的时候加辣椒对应什么"): it asks about the analogy. */
function planFigure(context: PlanContext): AnswerPlan | undefined {
  return context.topics.length === 0 && context.vehicles.length > 0 ? planAnalogy({ ...context, kind: 'analogy' }) : undefined;
}

/** "微调和调教的含义一样吗？": two things the question joins, asked whether they are the same, answered as a contrast. */
function planSameness(context: PlanContext, question: string): AnswerPlan | undefined {
  if (!SAMENESS.test(question) || !joinedSides(context)) return undefined;
  const identity = IDENTITY.test(question);
  const plan = planDifference(context, { identity });
  // The article tells them apart: the frame says they are not the same (a "kind of" question is not answered so).
  return plan && identity ? { ...plan, sameness: true } : plan;
}

/**
 * The answer plan for a question: the first plan of its kind that finds its evidence, else the general plan (greedy
 * coverage of the query inside the retrieved passages). An empty plan (no blocks) means no sentence was relevant.
 */
export function planAnswer(context: PlanContext, question: string): AnswerPlan {
  for (const planner of PLANNERS[context.kind]) {
    const plan = planner(context, question);
    if (plan?.blocks.some((block) => block.sentences.length > 0)) return told(context, anchored(context, withVerdictWords(plan, question)));
  }
  const general = planGeneral(context);
  if (!general) return { kind: context.kind, topics: context.topics, blocks: [] };
  return told(context, anchored(context, UNMET_KINDS.has(context.kind) ? { ...general, unmet: true } : general));
}

/** A yes/no plan with the verb its question asks with, which a Chinese verdict echoes ("需要…吗？" → "不需要。"). */
function withVerdictWords(plan: AnswerPlan, question: string): AnswerPlan {
  if (plan.kind !== 'yesno' || plan.verdict === undefined) return plan;
  const verdictWords = echoedVerdictWords(question);
  return verdictWords ? { ...plan, verdictWords } : plan;
}

/**
 * A plan as told. A which-question asks for a term: an answer whose sentences name none of the terms it chooses
 * between ("这可以包括超参数的调整、学习率的改变等。") does not answer it until the sentence it points back to is told
 * ("调教可能指的是…", withAntecedents). Other kinds name their topic in the frame.
 */
function told(context: PlanContext, plan: AnswerPlan): AnswerPlan {
  if (context.kind !== 'which') return plan;
  const specific = mostSpecificTopic(context);
  // A question naming one thing ("What should I call changing the learning rate?") chooses between the words the
  // article recommends.
  const choices =
    context.topics.length >= 2
      ? context.topics.filter((topic) => topic.zh !== specific).flatMap((topic) => labelsOf(topic.zh))
      : recommendedWords(context);
  const sentences = plan.blocks.flatMap((block) => block.sentences);
  return choices.length === 0 || sentences.some((sentence) => mentionsAny(sentence, choices)) ? plan : withAntecedents(context, plan);
}

/** Kinds whose frame promises what was asked ("the risks are:"): a general answer to them says it is not that. */
const UNMET_KINDS: ReadonlySet<PlanKind> = new Set(['risk', 'reason', 'example']);

/**
 * A plan that misses the sentence carrying the question's most specific word (`anchorSentence`) takes it into its
 * first block: a plan ranks by its own evidence (a recommendation's cue, a summary's lines), and without this the
 * answer can cite the terms' summary and never the one sentence on what was asked.
 */
const ANCHORED_KINDS: ReadonlySet<PlanKind> = new Set(['which', 'reason', 'risk', 'how', 'general', 'example']);

function anchored(context: PlanContext, plan: AnswerPlan): AnswerPlan {
  // A contrast's sides and a yes/no verdict are the plan's own evidence; the anchor is for plans that rank statements.
  if (!ANCHORED_KINDS.has(context.kind)) return plan;
  const chosen = plan.blocks.flatMap((block) => block.sentences);
  const anchor = anchorSentence(context, chosen);
  if (!anchor) return plan;
  // The anchor leads, after the sentence it points back to ("调教可能指的是…。这可以包括…学习率的改变等。").
  const lead = ledByAntecedent(context, anchor, chosen);
  // The plan's own sentences follow while they fit the answer's budgets, unless they speak only of another of the
  // question's terms than the one the anchor is about (学习率 is in 调教's passage: "微调这个词更准确" answers another
  // question), or point back to a sentence left out.
  const sides = context.topics.filter((topic) => topic.zh !== mostSpecificTopic(context)).map((topic) => labelsOf(topic.zh));
  const anchorSides = sides.filter((labels) => lead.some((sentence) => mentionsAny(sentence, labels)));
  const otherSideOnly = (sentence: EvidenceSentence): boolean =>
    anchorSides.length > 0 &&
    !anchorSides.some((labels) => mentionsAny(sentence, labels)) &&
    sides.some((labels) => !anchorSides.includes(labels) && mentionsAny(sentence, labels));
  const onSide = chosen.filter((sentence) => !otherSideOnly(sentence));
  const followed = onSide.filter(
    (sentence) => !pointsBack(sentence) || onSide.includes(antecedentOf(context, sentence) as EvidenceSentence),
  );
  const kept = new Set(pickDistinct(context, followed, { limit: context.settings.maxSentences, taken: lead }));
  const [first, ...rest] = plan.blocks as [PlanBlock, ...PlanBlock[]];
  const keep = (block: PlanBlock): PlanBlock => ({ ...block, sentences: block.sentences.filter((s) => kept.has(s)) });
  // A side block states its side: the anchor leads the answer in a block of its own, before the sides.
  const blocks =
    first.role === 'side'
      ? [{ role: 'main' as const, sentences: lead }, ...plan.blocks.map(keep)]
      : [{ ...first, sentences: [...lead, ...first.sentences.filter((s) => kept.has(s))] }, ...rest.map(keep)];
  return { ...plan, blocks: blocks.filter((block) => block.sentences.length > 0) };
}

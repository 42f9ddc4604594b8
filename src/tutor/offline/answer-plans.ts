import { joinedSides, planAspect, planDifference, SAMENESS } from './contrast-plans.js';
import { planAnalogy, planExample, planSimpler } from './example-plans.js';
import type { AnswerPlan, PlanContext, PlanKind } from './plan-types.js';
import { planDefinition, planGeneral, planReason, planRisk, planSummary, planWhich } from './statement-plans.js';
import { planYesNo } from './yes-no-plan.js';

type Planner = (context: PlanContext, question: string) => AnswerPlan | undefined;

/** The plans tried for each kind of question, in order; the general plan is the last resort for every kind. */
const PLANNERS: Readonly<Record<PlanKind, readonly Planner[]>> = {
  simpler: [planSimpler],
  definition: [planDefinition],
  difference: [planAspect, planDifference],
  aspect: [planAspect, planDifference],
  example: [planExample],
  analogy: [planAnalogy],
  reason: [planReason],
  risk: [planRisk],
  // How it is done: the sentences that match the question best (the general plan, with the cue words of a method).
  how: [],
  which: [planWhich],
  summary: [planSummary],
  yesno: [planSameness, planYesNo],
  general: [],
};

/** "微调和调教的含义一样吗？": two things the question joins, asked whether they are the same, answered as a contrast. */
function planSameness(context: PlanContext, question: string): AnswerPlan | undefined {
  return SAMENESS.test(question) && joinedSides(context) ? planDifference(context) : undefined;
}

/**
 * The answer plan for a question: the first plan of its kind that finds its evidence, else the general plan (greedy
 * coverage of the query inside the retrieved passages). An empty plan (no blocks) means no sentence was relevant.
 */
export function planAnswer(context: PlanContext, question: string): AnswerPlan {
  for (const planner of PLANNERS[context.kind]) {
    const plan = planner(context, question);
    if (plan?.blocks.some((block) => block.sentences.length > 0)) return plan;
  }
  return planGeneral(context) ?? { kind: context.kind, topics: context.topics, blocks: [] };
}

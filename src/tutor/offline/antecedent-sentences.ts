import { neighbour, pickDistinct } from './plan-support.js';
import type { AnswerPlan, PlanContext } from './plan-types.js';
import { type EvidenceSentence, passageSentenceSpans, pointsBack } from './sentence-evidence.js';

export { pointsBack } from './sentence-evidence.js';

/**
 * The sentence a sentence follows in its document: the one before it in its passage, or, for the first sentence of a
 * passage, the last sentence of the passage before it (a passage boundary may fall between a claim and "这可以包括…").
 * Only sentences of the pool count.
 */
export function antecedentOf(context: PlanContext, sentence: EvidenceSentence): EvidenceSentence | undefined {
  if ((sentence.indexes[0] as number) > 0) return neighbour(context, sentence, -1);
  const position = context.order.get(sentence.chunk.chunkId);
  if (position === undefined) return undefined;
  const previous = context.pool.filter(
    (candidate) =>
      candidate.chunk.documentId === sentence.chunk.documentId &&
      context.order.get(candidate.chunk.chunkId) === position - 1 &&
      candidate.indexes.includes(passageSentenceSpans(candidate.chunk).length - 1),
  );
  return previous[0];
}

/**
 * A sentence as it is told: after the sentence it points back to ("调教可能指的是…。这可以包括…学习率的改变等。"), unless
 * the answer tells that one already (`told`).
 */
export function ledByAntecedent(context: PlanContext, sentence: EvidenceSentence, told: readonly EvidenceSentence[]): EvidenceSentence[] {
  const antecedent = pointsBack(sentence) ? antecedentOf(context, sentence) : undefined;
  return antecedent && !told.includes(antecedent) ? [antecedent, sentence] : [sentence];
}

/**
 * The plan with each sentence that points back told after the sentence it points to, when the plan does not tell
 * that one already and the answer's budgets allow: "这可以包括超参数的调整、学习率的改变等。" alone leaves the learner
 * asking what "这" is; "调教可能指的是…对参数进行调整…。这可以包括…" answers.
 */
export function withAntecedents(context: PlanContext, plan: AnswerPlan): AnswerPlan {
  const told = plan.blocks.flatMap((block) => block.sentences);
  const taken = [...told];
  const blocks = plan.blocks.map((block) => {
    const sentences: EvidenceSentence[] = [];
    for (const sentence of block.sentences) {
      const antecedent = pointsBack(sentence) ? antecedentOf(context, sentence) : undefined;
      if (antecedent && !taken.includes(antecedent) && pickDistinct(context, [antecedent], { limit: 1, taken }).length > 0) {
        sentences.push(antecedent);
        taken.push(antecedent);
      }
      sentences.push(sentence);
    }
    return { ...block, sentences };
  });
  return { ...plan, blocks };
}

import type { PlanContext } from './plan-types.js';
import { type EvidenceSentence, labelsOf } from './sentence-evidence.js';

/**
 * A supporting sentence must hold at least this share of what the best sentence holds of the question's asked words
 * (IDF-weighted): "微调需要多少数据" is answered by the sentence naming 数据量, and a second sentence sharing only
 * 需要 with the question is padding.
 */
export const SUPPORT_RATIO = 0.5;

/** A word the question asks that only a sentence's headings name ("2. 训练过程" above the bullet) counts at this share. */
const HEADING_SHARE = 0.5;

/**
 * How much of what the question asks beyond its topics (`asked`, see askedTerms) a sentence holds, 0..1: each asked
 * word weighs by how few sentences of the pool hold it (IDF over the pool), so a rare word of the question (数据, GPU,
 * 奖励) outweighs a common one (需要, 模型, "need"). A word only the sentence's headings name counts at half its weight.
 * With `specific`, that topic of the question (by any of its labels, in the sentence's text) counts as an asked word.
 * 0 for every sentence when the question asks nothing beyond its topics.
 */
export function askedRelevance(context: PlanContext, asked: readonly string[], specific?: string): (sentence: EvidenceSentence) => number {
  const size = context.pool.length;
  const weightOf = (holding: number): number => 1 + Math.log((size + 1) / (holding + 1));
  const weights = asked.map((term) => ({ term, weight: weightOf(context.pool.filter((sentence) => sentence.terms.has(term)).length) }));
  // The question's most specific topic (GPU, 学习率: see mostSpecificTopic) is asked about as much as its other words.
  const labels = specific === undefined ? [] : labelsOf(specific);
  const namesSpecific = (sentence: EvidenceSentence): boolean => labels.some((label) => sentence.text.includes(label));
  const specificWeight = labels.length === 0 ? 0 : weightOf(context.pool.filter(namesSpecific).length);
  const total = weights.reduce((sum, entry) => sum + entry.weight, specificWeight);
  return (sentence) => {
    if (total === 0) return 0;
    const headings = sentence.chunk.headingPath.join(' ').toLowerCase();
    let held = specificWeight > 0 && namesSpecific(sentence) ? specificWeight : 0;
    for (const { term, weight } of weights) {
      if (sentence.terms.has(term)) held += weight;
      else if (headings.includes(term)) held += HEADING_SHARE * weight;
    }
    return held / total;
  };
}

/**
 * The sentences that support an answer's lead (the first) by their own relevance: those holding at least
 * `SUPPORT_RATIO` of what the most relevant of them holds of the asked words. A sentence a plan adds by its place (the next one in the passage, a
 * second cued sentence, a summary line) stays only when it answers what was asked about as well. When none of them
 * holds an asked word, relevance tells nothing and all stay (the plan's own reasons chose them). `relevanceOf` may
 * score a sentence by more than itself (a reason by the claim it continues).
 */
export function keepRelevant(
  sentences: readonly EvidenceSentence[],
  relevanceOf: (sentence: EvidenceSentence) => number,
  ratio = SUPPORT_RATIO,
): EvidenceSentence[] {
  const best = Math.max(0, ...sentences.map(relevanceOf));
  if (best === 0) return [...sentences];
  // The plan's lead stays whatever it holds: it was chosen on everything the plan knows, the asked words among them.
  return sentences.filter((sentence, index) => index === 0 || relevanceOf(sentence) >= best * ratio);
}

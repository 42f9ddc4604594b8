import { mentionsAny, rankBy } from './plan-support.js';
import type { PlanContext } from './plan-types.js';
import { type EvidenceSentence, isAnalogyChunk, labelsOf } from './sentence-evidence.js';

/**
 * The question's most specific term: of the glossary terms it names, the one the fewest sentences of the pool hold,
 * when at most `most` hold it and every other named term is held more often. "改学习率属于微调还是调教" names 学习率
 * (one sentence), 微调 and 调教 (nearly every sentence): a plan built from the terms' recommendation or summary lines
 * would miss the one sentence on what the question turns on. Undefined when no term stands out.
 */
export function mostSpecificTopic(context: PlanContext, most = 2): string | undefined {
  if (context.topics.length < 2) return undefined;
  const counted = context.topics
    // A term counts by every name of it: 模型应用 is in few sentences, its label 应用 in many.
    .map((topic) => ({ word: topic.zh, count: context.pool.filter((sentence) => mentionsAny(sentence, labelsOf(topic.zh))).length }))
    .filter((entry) => entry.count > 0)
    .sort((left, right) => left.count - right.count);
  const [rarest, next] = counted;
  if (!rarest || rarest.count > most || (next && next.count <= rarest.count)) return undefined;
  return rarest.word;
}

/**
 * The sentence that carries the question's most specific term when the chosen ones do not (literal statements only,
 * unless the analogy is asked for): the best-scoring one that holds it. Undefined when a chosen sentence holds it.
 */
export function anchorSentence(context: PlanContext, chosen: readonly EvidenceSentence[]): EvidenceSentence | undefined {
  const word = mostSpecificTopic(context);
  if (word === undefined) return undefined;
  const holds = (sentence: EvidenceSentence): boolean => mentionsAny(sentence, labelsOf(word));
  // A chosen sentence under a heading naming the term is on it ("2. 训练过程" above the bullet asked about).
  const underIt = (sentence: EvidenceSentence): boolean => sentence.chunk.headingPath.some((heading) => heading.includes(word));
  if (chosen.some((sentence) => holds(sentence) || underIt(sentence))) return undefined;
  const figureAsked = context.kind === 'analogy' || context.kind === 'example' || context.vehicles.length > 0;
  const candidates = context.pool.filter((sentence) => holds(sentence) && (figureAsked || !isAnalogyChunk(sentence.chunk)));
  return rankBy(context, candidates, () => 0)[0];
}

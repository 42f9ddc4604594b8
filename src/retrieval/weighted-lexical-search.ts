import type { Bm25Hit, Bm25Index } from '../index/bm25-index.js';
import type { WeightedTerm } from './analyzed-query.js';

/**
 * BM25 with a weight per query term: BM25 sums over terms, so the terms are searched in groups of equal weight and the
 * group scores added, each times its weight. Bridged words (weight 0.5) thus rank a passage below the question's own.
 */
export function searchWeighted(lexicalIndex: Bm25Index, terms: readonly WeightedTerm[], limit: number): Bm25Hit[] {
  const groups = new Map<number, string[]>();
  for (const { term, weight } of terms) {
    if (weight <= 0) continue;
    let group = groups.get(weight);
    if (!group) groups.set(weight, (group = []));
    group.push(term);
  }
  if (groups.size === 1 && groups.has(1)) return lexicalIndex.search(groups.get(1) as string[], limit);
  const scores = new Map<number, number>();
  for (const [weight, group] of groups)
    for (const hit of lexicalIndex.search(group, lexicalIndex.size))
      scores.set(hit.position, (scores.get(hit.position) ?? 0) + weight * hit.score);
  return [...scores]
    .map(([position, score]) => ({ position, score }))
    .sort((left, right) => right.score - left.score || left.position - right.position)
    .slice(0, limit);
}

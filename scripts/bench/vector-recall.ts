/** Exact neighbours and tie-aware recall over L2-normalised vectors (cosine similarity is the dot product). */

/** Similarities this close to the k-th exact one count as ties (float32 in hnswlib vs float64 here). */
export const TIE_EPSILON = 1e-6;

export function dot(left: Float32Array, right: Float32Array): number {
  let sum = 0;
  for (let index = 0; index < left.length; index += 1) sum += (left[index] as number) * (right[index] as number);
  return sum;
}

/** The exact top-k labels of `query` by a full scan, and the k-th similarity (the bar for tie-aware recall). */
export function exactTopK(
  vectors: readonly Float32Array[],
  query: Float32Array,
  k: number,
): { readonly labels: ReadonlySet<number>; readonly kthSimilarity: number } {
  const best: { label: number; similarity: number }[] = [];
  for (let label = 0; label < vectors.length; label += 1) {
    const similarity = dot(query, vectors[label] as Float32Array);
    if (best.length < k || similarity > (best[best.length - 1] as { similarity: number }).similarity) {
      best.push({ label, similarity });
      best.sort((left, right) => right.similarity - left.similarity);
      if (best.length > k) best.pop();
    }
  }
  return { labels: new Set(best.map((entry) => entry.label)), kthSimilarity: (best[best.length - 1] as { similarity: number }).similarity };
}

/** Share of `k` found labels at least as similar as the k-th exact neighbour (within `epsilon`). */
export function recallAt(
  vectors: readonly Float32Array[],
  query: Float32Array,
  found: readonly number[],
  truth: { readonly kthSimilarity: number },
  k = 10,
  epsilon = TIE_EPSILON,
): number {
  let hits = 0;
  for (const label of found.slice(0, k)) if (dot(query, vectors[label] as Float32Array) >= truth.kthSimilarity - epsilon) hits += 1;
  return hits / k;
}

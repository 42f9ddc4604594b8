import type { VectorHit } from './vector-index.js';

/** Every vector of an index by column (float32, little-endian): `columns[d * chunkCount + position]`. */
export const COLUMNS_FILE = 'vectors.f32';

/**
 * Exact nearest neighbours for sparse queries: the vectors stored column by column, so a query touches only the
 * columns where it is nonzero. A short question embedded by the local embedder has a handful of nonzero components,
 * and HNSW does worst on exactly those queries (their similarity landscape over the graph is flat: thousands of
 * passages share the same few features), while an exact scan of 8 columns of 100,000 chunks costs 800,000
 * multiply-adds (about 1 ms). The cost grows with the nonzero components, so the adapter uses it only below a budget.
 */
export interface ColumnScan {
  /** Multiply-adds an exact search for `query` costs. */
  cost(query: readonly number[]): number;
  /** The exact top `k` by dot product (cosine for normalised vectors), closest first, ties by position. */
  search(query: readonly number[], k: number): VectorHit[];
}

/** `columns[d * size + position]` is component d of the vector at `position`. */
export function createColumnScan(columns: Float32Array, size: number, dimensions: number): ColumnScan {
  if (columns.length !== size * dimensions) throw new RangeError(`${columns.length} values for ${size} vectors of ${dimensions}`);
  // Float64 sums: the benchmarks' exact ground truth sums in double precision, and ties are judged within 1e-6.
  const scores = new Float64Array(size);

  function cost(query: readonly number[]): number {
    let nonzero = 0;
    for (const value of query) if (value !== 0) nonzero += 1;
    return nonzero * size;
  }

  function search(query: readonly number[], k: number): VectorHit[] {
    scores.fill(0);
    for (let dimension = 0; dimension < dimensions; dimension += 1) {
      const weight = query[dimension] as number;
      if (weight === 0) continue;
      const column = columns.subarray(dimension * size, (dimension + 1) * size);
      for (let position = 0; position < size; position += 1)
        scores[position] = (scores[position] as number) + weight * (column[position] as number);
    }
    return topK(scores, Math.min(k, size));
  }

  return { cost, search };
}

/** The k largest scores, best first, ties by position: one pass with a sorted buffer (k is small). */
function topK(scores: Float64Array, k: number): VectorHit[] {
  if (k <= 0) return [];
  const positions = new Int32Array(k);
  const values = new Float64Array(k);
  let filled = 0;
  for (let position = 0; position < scores.length; position += 1) {
    const score = scores[position] as number;
    if (filled === k && score <= (values[k - 1] as number)) continue;
    let slot = filled < k ? filled : k - 1;
    while (slot > 0 && (values[slot - 1] as number) < score) {
      values[slot] = values[slot - 1] as number;
      positions[slot] = positions[slot - 1] as number;
      slot -= 1;
    }
    values[slot] = score;
    positions[slot] = position;
    if (filled < k) filled += 1;
  }
  return Array.from({ length: filled }, (_, rank) => ({ position: positions[rank] as number, similarity: values[rank] as number }));
}

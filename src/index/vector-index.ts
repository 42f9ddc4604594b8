/**
 * The vector index port: what retrieval needs from a nearest-neighbour index, and nothing of how it is built.
 * Positions are the chunk positions of the index (0..size-1). Scores are similarities (higher is closer), so an
 * adapter over a store that reports distances converts them, and callers never do.
 */

/** One neighbour of a query. */
export interface VectorHit {
  /** Position of the chunk in the index. */
  readonly position: number;
  /** Cosine similarity of query and chunk vectors, in [-1, 1]; higher is closer. */
  readonly similarity: number;
}

export interface VectorIndex {
  /** Vectors held. */
  readonly size: number;
  readonly dimensions: number;
  /**
   * The `k` nearest chunks, closest first (fewer when the index holds fewer). The adapter picks its own search breadth
   * for the query; the result is approximate for approximate indexes.
   */
  search(query: readonly number[], k: number): VectorHit[];
  /** How the index would search for this query (for diagnostics and benchmarks), when it has a choice. */
  plan?(query: readonly number[], k: number): SearchPlan;
  /** The stored vector at a position (normalised for cosine indexes), e.g. for exact ground truth in benchmarks. */
  vectorAt(position: number): number[];
}

/** Exactly (every vector compared), or through a graph searched with breadth `ef`. */
export type SearchPlan = { readonly method: 'exact' } | { readonly method: 'graph'; readonly ef: number };

/** How the HNSW adapter chooses the search breadth (ef) for one query. */
export interface SearchBreadthInput {
  /** Neighbours asked for. */
  readonly k: number;
  /** Vectors in the shard being searched. */
  readonly shardSize: number;
  /** Nonzero components of the query vector: few means a short query, whose similarity landscape is flat. */
  readonly queryFeatures: number;
  readonly dimensions: number;
}

/**
 * HNSW search breadth (ef) for one query. Measured with `npm run bench:sweep` (docs/BENCHMARKS.md, "Sweep"): long
 * queries (article sentences, many features) reach recall@10 1.000 at ef 48 at 100,000 chunks, while short learner
 * questions share a few features with thousands of near-tied passages and need a much wider search. So ef grows with
 * the shard size for every query, and more for queries with few features; small shards are searched at 64 at least,
 * which there is close to exact.
 */
export function searchBreadth(input: SearchBreadthInput): number {
  const { k, shardSize, queryFeatures, dimensions } = input;
  const base = Math.max(64, Math.min(512, Math.ceil(1.2 * Math.sqrt(shardSize))));
  // Share of the vector the query leaves empty: 0 for a dense query (a neural embedder), near 1 for "什么是调教".
  const sparsity = dimensions > 0 ? 1 - Math.min(queryFeatures, dimensions) / dimensions : 0;
  const short = sparsity > 0.9 ? Math.ceil(base * SHORT_QUERY_FACTOR) : base;
  return Math.max(k, Math.min(short, MAX_EF));
}

/** How much wider short (sparse) queries search than long ones. */
const SHORT_QUERY_FACTOR = 2;
/** Upper bound of ef: the latency target (p95 < 5 ms at 100,000 chunks) is not met beyond it. */
const MAX_EF = 1024;

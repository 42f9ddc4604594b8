import path from 'node:path';
import hnswlib from 'hnswlib-node';
import type { ColumnScan } from './column-scan.js';
import { type SearchBreadthInput, type SearchPlan, searchBreadth, type VectorHit, type VectorIndex } from './vector-index.js';

/** Graph parameters of an HNSW build. */
export interface HnswGraphSettings {
  /** Links per node and layer. @default 16 */
  readonly m: number;
  /**
   * Breadth of the neighbour search while inserting. 40 costs 28% less insertion time than 64 and 44% less than 100
   * (`npm run bench:sweep`, 20,000 chunks); the graph serves long queries (sentences), which reach recall@10 1.000 at
   * search ef 256 on it, while short questions are searched exactly (column-scan.ts). @default 40
   */
  readonly efConstruction: number;
}

export const defaultHnswGraphSettings: HnswGraphSettings = { m: 16, efConstruction: 40 };

/** Stored entries an exact search may touch (column-scan.ts): about 2 ms on one idle core. */
const DEFAULT_EXACT_BUDGET = 2_000_000;

/** One shard as saved: a hnswlib index file (hnswlib's own format) holding the chunks at positions `shard + n·shardCount`. */
export interface HnswShardFile {
  readonly file: string;
  readonly count: number;
}

/** The HNSW adapter of the vector index port, with what benchmarks and the store need beyond the port. */
export interface HnswVectorIndex extends VectorIndex {
  /** How this adapter searches for the given query: exactly by column, or through the graph with this ef per shard. */
  plan(query: readonly number[], k: number): SearchPlan;
  /** Writes every shard into `dir`; returns the files, in shard order. */
  save(dir: string): Promise<HnswShardFile[]>;
  readonly shardCount: number;
}

export interface HnswVectorIndexOptions {
  /** Chooses ef per query and shard. @default searchBreadth (vector-index.ts) */
  readonly breadth?: (input: SearchBreadthInput) => number;
  /** The same vectors by column, for exact search of sparse queries (see column-scan.ts). */
  readonly exact?: ColumnScan;
  /**
   * Queries whose exact search costs at most this many multiply-adds are searched exactly instead of through the
   * graph (at 100,000 chunks of the local embedder, about 26,000 entries a column: queries with up to about 70 nonzero
   * components, i.e. every learner question of the benchmark). 0 turns exact search off.
   * @default 2000000
   */
  readonly exactBudget?: number;
}

/** The file of shard n: `hnswlib.index` for the first (the name of a one-shard index), `hnswlib-N.index` after it. */
export function shardFileName(shard: number): string {
  return shard === 0 ? 'hnswlib.index' : `hnswlib-${shard}.index`;
}

/** Writes each shard to `dir` under its file name; the files and vector counts go into the build's manifest. */
export async function writeHnswShards(shards: readonly hnswlib.HierarchicalNSW[], dir: string): Promise<HnswShardFile[]> {
  const files: HnswShardFile[] = [];
  for (const [number, shard] of shards.entries()) {
    const file = shardFileName(number);
    await shard.writeIndex(path.join(dir, file));
    files.push({ file, count: shard.getCurrentCount() });
  }
  return files;
}

/** The shard that holds a position: positions are dealt round-robin, so every shard is a sample of the whole corpus. */
export function shardOf(position: number, shardCount: number): number {
  return position % shardCount;
}

/** A new, empty shard sized for `count` vectors, labelled by their global positions. */
export function createHnswShard(dimensions: number, count: number, graph: HnswGraphSettings): hnswlib.HierarchicalNSW {
  const shard = new hnswlib.HierarchicalNSW('cosine', dimensions);
  // A fixed seed: the same vectors in the same order always give the same graph.
  shard.initIndex(Math.max(1, count), graph.m, graph.efConstruction, 100);
  return shard;
}

/**
 * Wraps built (or loaded) hnswlib shards in the port. Each shard holds the positions `shard + n·shardCount` under their
 * global position as label; a query searches every shard and merges, unless it is sparse enough to be searched
 * exactly by column (`exact`), which is both cheaper and exact for the short questions the graph does worst on. hnswlib's cosine space reports distance
 * `1 - cos`, which is converted here and nowhere else. The shards must be complete: hnswlib is not safe to search
 * while another thread inserts into the same index, so a shard is only wrapped once no one adds to it.
 */
export function wrapHnswShards(
  shards: readonly hnswlib.HierarchicalNSW[],
  dimensions: number,
  options: HnswVectorIndexOptions = {},
): HnswVectorIndex {
  const breadth = options.breadth ?? searchBreadth;
  const size = shards.reduce((sum, shard) => sum + shard.getCurrentCount(), 0);
  const shardCount = shards.length;

  function breadthFor(query: readonly number[], k: number): number {
    let queryFeatures = 0;
    for (const value of query) if (value !== 0) queryFeatures += 1;
    const largest = Math.max(0, ...shards.map((shard) => shard.getCurrentCount()));
    return breadth({ k, shardSize: largest, queryFeatures, dimensions });
  }

  const exactBudget = options.exactBudget ?? DEFAULT_EXACT_BUDGET;

  function plan(query: readonly number[], k: number): SearchPlan {
    if (options.exact && options.exact.cost(query) <= exactBudget) return { method: 'exact' };
    return { method: 'graph', ef: breadthFor(query, k) };
  }

  function search(query: readonly number[], k: number): VectorHit[] {
    if (k <= 0 || size === 0) return [];
    if (query.length !== dimensions) throw new RangeError(`a query of ${query.length} dimensions for an index of ${dimensions}`);
    const chosen = plan(query, k);
    if (chosen.method === 'exact') return (options.exact as ColumnScan).search(query, k);
    const ef = chosen.ef;
    const vector = query as number[];
    const hits: VectorHit[] = [];
    for (const shard of shards) {
      const count = shard.getCurrentCount();
      if (count === 0) continue;
      shard.setEf(Math.max(ef, k));
      const found = shard.searchKnn(vector, Math.min(k, count));
      found.neighbors.forEach((position, rank) => {
        hits.push({ position, similarity: 1 - (found.distances[rank] as number) });
      });
    }
    hits.sort((left, right) => right.similarity - left.similarity || left.position - right.position);
    return hits.length > k ? hits.slice(0, k) : hits;
  }

  return {
    size,
    dimensions,
    shardCount,
    search,
    plan,
    vectorAt(position) {
      const shard = shards[shardOf(position, shardCount)];
      if (!shard) throw new RangeError(`no vector at position ${position}`);
      return shard.getPoint(position);
    },
    save: (dir) => writeHnswShards(shards, dir),
  };
}

/** Reads one saved shard (hnswlib reads on libuv's thread pool) and checks its vector count. */
export async function readHnswShard(dir: string, { file, count }: HnswShardFile, dimensions: number): Promise<hnswlib.HierarchicalNSW> {
  const shard = new hnswlib.HierarchicalNSW('cosine', dimensions);
  await shard.readIndex(path.join(dir, file));
  if (shard.getCurrentCount() !== count) throw new Error(`${file} holds ${shard.getCurrentCount()} vectors, expected ${count}`);
  return shard;
}

/** Reads saved shards (in parallel) and wraps them. */
export async function loadHnswVectorIndex(
  dir: string,
  files: readonly HnswShardFile[],
  dimensions: number,
  options: HnswVectorIndexOptions = {},
): Promise<HnswVectorIndex> {
  const shards = await Promise.all(files.map((file) => readHnswShard(dir, file, dimensions)));
  return wrapHnswShards(shards, dimensions, options);
}

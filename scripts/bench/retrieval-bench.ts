/**
 * Benchmark section "retrieval": loads the synthetic index the ingest section built (from --data-dir) the way a
 * serving node does (`store.load()`, checksums verified), measures memory per chunk, then HNSW query latency and
 * recall@10 against exact search at several ef values, and LangChain's MemoryVectorStore over the same vectors.
 *
 * Run by scripts/bench/run-benchmarks.ts; alone (after ingest-bench.ts):
 *   node --import tsx scripts/bench/retrieval-bench.ts --out=/tmp/retrieval.json --data-dir=/tmp/bench-index [--quick]
 */
import path from 'node:path';
import { MemoryVectorStore } from '@langchain/classic/vectorstores/memory';
import { Document } from '@langchain/core/documents';
import { loadConfig } from '../../src/config.js';
import { loadEvaluationCases } from '../../src/evaluation/evaluation-cases.js';
import { createCorpusIndexStore } from '../../src/index/corpus-index-store.js';
import { loadHnswVectorIndex } from '../../src/index/hnsw-vector-index.js';
import { loadGlossary } from '../../src/ingest/glossary.js';
import { LocalHashingEmbeddings } from '../../src/providers/local-embeddings.js';
import { createTextAnalyzer } from '../../src/retrieval/text-analyzer.js';
import {
  fullGc,
  type LatencySummary,
  loadAverage,
  type MemoryReading,
  parseSectionArguments,
  readMemory,
  repositoryRoot,
  requireValue,
  summarize,
  writeSectionResult,
} from './bench-support.js';
import { questionQueries } from './question-queries.js';
import { readSentencePool, type SyntheticQuery, syntheticQueries } from './synthetic-corpus.js';

/** Neighbours asked for and scored. */
const K = 10;
/** Recall target the chosen ef must reach. */
const RECALL_TARGET = 0.95;
/** Similarities this close to the 10th exact one count as ties (float32 in hnswlib vs float64 here). */
const TIE_EPSILON = 1e-6;
/** The looser tolerance of ann-benchmarks' recall (1e-3 in distance): near-ties count as found. */
const LOOSE_EPSILON = 1e-3;
const EF_VALUES = [16, 32, 64, 128, 256, 384, 512, 768];

export interface EfRow {
  readonly ef: number;
  readonly latencyMs: LatencySummary;
  /** Share of the exact top 10 found, counting results tied with the 10th exact one as found. */
  readonly recallAt10: number;
  /** Share of the exact top-10 ids found (ties broken arbitrarily, so a lower bound). */
  readonly idRecallAt10: number;
  /** As recallAt10, with results within 1e-3 of the 10th exact similarity counted as found (ann-benchmarks' rule). */
  readonly looseRecallAt10: number;
  /** recallAt10 of the evaluation questions and of the held-out article sentences separately. */
  readonly recallByKind: { readonly question: number; readonly sentence: number };
}

/** The served search (the adapter's own choice per query: exact by column, or the graph at its ef) on one kind of query. */
export interface ServedRow {
  readonly queries: number;
  readonly recallAt10: number;
  readonly latencyMs: LatencySummary;
  /** Share of the queries the adapter searched exactly by column. */
  readonly exactShare: number;
  /** Smallest and largest ef the adapter chose for the queries it sent through the graph. */
  readonly efRange: readonly [number, number] | undefined;
}

export interface RetrievalResult {
  readonly chunks: number;
  readonly dimensions: number;
  readonly queries: number;
  readonly queryKinds: { readonly question: number; readonly sentence: number };
  readonly queryPasses: number;
  readonly loadMs: number;
  readonly memory: {
    readonly before: MemoryReading;
    readonly after: MemoryReading;
    readonly perChunkRssBytes: number;
    readonly perChunkHeapBytes: number;
  };
  readonly indexFilesBytes: number;
  readonly queryEmbeddingMs: LatencySummary;
  readonly efSweep: readonly EfRow[];
  /** Smallest ef of the sweep whose recall@10 is at least 0.95. */
  readonly chosenEf: number | undefined;
  /** What hybrid search gets: the adapter's per-query plan, by kind of query. */
  readonly served: { readonly question: ServedRow; readonly sentence: ServedRow };
  readonly shards: number;
  readonly exactScanMs: LatencySummary;
  readonly memoryVectorStore: {
    readonly queries: number;
    readonly addVectorsMs: number;
    readonly latencyMs: LatencySummary;
    readonly recallAt10: number;
    readonly importPath: string;
  };
  /** MemoryVectorStore p50 / HNSW p50 at the chosen ef, same vectors, same run. */
  readonly speedupAtP50: number | undefined;
  readonly speedupAtP95: number | undefined;
  readonly loadAverageAtStart: number;
}

const args = parseSectionArguments();
const dataDir = requireValue(args, 'data-dir');
const questionCount = 240;
const sentenceCount = args.quick ? 100 : 200;
const queryPasses = 3;
const memoryStoreQueries = args.quick ? 20 : 50;

const loadAverageAtStart = loadAverage();
const config = loadConfig({ DATA_DIR: dataDir, LOG_LEVEL: 'silent' }, repositoryRoot);
const glossary = await loadGlossary(config.glossaryFile);
const analyzer = createTextAnalyzer({ glossary });
const embeddings = new LocalHashingEmbeddings({
  analyzer,
  dimensions: config.embeddings.provider === 'local' ? config.embeddings.dimensions : 512,
});
const store = createCorpusIndexStore({ dataDir, embedder: { id: embeddings.embedderId, embeddings }, analyzer, chunker: config.chunker });
analyzer.tokenize('预热 jieba 词典');

fullGc();
const before = readMemory();
let started = performance.now();
const loaded = await store.load();
const loadMs = performance.now() - started;
if (!loaded) throw new Error(`no index in ${dataDir}: run ingest-bench.ts first`);
fullGc();
const after = readMemory();
const chunks = loaded.chunks.length;
const dimensions = loaded.vectorIndex.dimensions;
// The same saved shards, opened again with a fixed ef that the sweep below sets, instead of the served per-query policy.
let sweepEf = 64;
const shardFiles = loaded.manifest.vectors.shards;
const sweepIndex = await loadHnswVectorIndex(path.join(dataDir, 'index', 'builds', loaded.manifest.buildId), shardFiles, dimensions, {
  breadth: () => sweepEf,
});

// The query texts: question-like queries (every turn of the evaluation cases, then generated learner questions), and
// held-out article sentences (another seed), none of them in the synthetic corpus. Embedded as the server embeds them.
const cases = await loadEvaluationCases(path.join(repositoryRoot, 'test', 'eval', 'cases.json'));
const pool = await readSentencePool(path.join(repositoryRoot, 'corpus'));
const queries: SyntheticQuery[] = [
  ...questionQueries(
    cases.flatMap((testCase) => testCase.turns),
    glossary,
    { count: questionCount },
  ).map((query) => ({ text: query.text, kind: 'question' as const })),
  ...syntheticQueries(pool, { count: sentenceCount, seed: 7, questions: [] }),
];
const embeddingTimes: number[] = [];
const queryVectors: number[][] = [];
for (const { text } of queries) {
  const embedStarted = performance.now();
  queryVectors.push(await embeddings.embedQuery(text));
  embeddingTimes.push(performance.now() - embedStarted);
}

// Ground truth: an exact scan of every stored vector (hnswlib keeps them normalised, as cosine space requires).
const matrix = new Float32Array(chunks * dimensions);
for (let label = 0; label < chunks; label += 1) matrix.set(loaded.vectorIndex.vectorAt(label), label * dimensions);
const similarityTo = (query: readonly number[], label: number): number => {
  let dot = 0;
  const offset = label * dimensions;
  for (let index = 0; index < dimensions; index += 1) dot += (query[index] as number) * (matrix[offset + index] as number);
  return dot;
};
const exactScanTimes: number[] = [];
const exact = queryVectors.map((query) => {
  const scanStarted = performance.now();
  const best: { label: number; similarity: number }[] = [];
  for (let label = 0; label < chunks; label += 1) {
    const similarity = similarityTo(query, label);
    if (best.length < K || similarity > (best[best.length - 1] as { similarity: number }).similarity) {
      best.push({ label, similarity });
      best.sort((left, right) => right.similarity - left.similarity);
      if (best.length > K) best.pop();
    }
  }
  exactScanTimes.push(performance.now() - scanStarted);
  return { labels: new Set(best.map((entry) => entry.label)), kthSimilarity: (best[best.length - 1] as { similarity: number }).similarity };
});

/** Recall of a result list for query `index`, tie-aware and by id. */
const recallOf = (index: number, labels: readonly number[]): { tieAware: number; loose: number; byId: number } => {
  const truth = exact[index] as { labels: Set<number>; kthSimilarity: number };
  const query = queryVectors[index] as number[];
  let tieAware = 0;
  let loose = 0;
  let byId = 0;
  for (const label of labels.slice(0, K)) {
    const similarity = similarityTo(query, label);
    if (similarity >= truth.kthSimilarity - TIE_EPSILON) tieAware += 1;
    if (similarity >= truth.kthSimilarity - LOOSE_EPSILON) loose += 1;
    if (truth.labels.has(label)) byId += 1;
  }
  return { tieAware: tieAware / K, loose: loose / K, byId: byId / K };
};

const kindCounts = {
  question: queries.filter((query) => query.kind === 'question').length,
  sentence: queries.filter((query) => query.kind === 'sentence').length,
};

// HNSW through LangChain's HNSWLib store, as hybrid search calls it (docstore lookup included).
const efSweep: EfRow[] = [];
for (const ef of EF_VALUES) {
  sweepEf = ef;
  for (const query of queryVectors.slice(0, 20)) sweepIndex.search(query, K);
  const times: number[] = [];
  let tieAware = 0;
  let loose = 0;
  let byId = 0;
  const byKind = { question: 0, sentence: 0 };
  for (let pass = 0; pass < queryPasses; pass += 1) {
    for (const [index, query] of queryVectors.entries()) {
      const queryStarted = performance.now();
      const hits = sweepIndex.search(query, K);
      times.push(performance.now() - queryStarted);
      if (pass === 0) {
        const recall = recallOf(
          index,
          hits.map((hit) => hit.position),
        );
        tieAware += recall.tieAware;
        loose += recall.loose;
        byId += recall.byId;
        byKind[(queries[index] as SyntheticQuery).kind] += recall.tieAware;
      }
    }
  }
  efSweep.push({
    ef,
    latencyMs: summarize(times),
    recallAt10: tieAware / queryVectors.length,
    idRecallAt10: byId / queryVectors.length,
    looseRecallAt10: loose / queryVectors.length,
    recallByKind: {
      question: byKind.question / Math.max(1, kindCounts.question),
      sentence: byKind.sentence / Math.max(1, kindCounts.sentence),
    },
  });
}
const chosen = efSweep.find((row) => row.recallAt10 >= RECALL_TARGET);

// The served path: the loaded index with the adapter's own plan per query, as hybrid search calls it.
const served = { question: measureServed('question'), sentence: measureServed('sentence') };
function measureServed(kind: SyntheticQuery['kind']): ServedRow {
  const picked = [...queryVectors.entries()].filter(([index]) => (queries[index] as SyntheticQuery).kind === kind);
  for (const [, query] of picked.slice(0, 20)) loaded?.vectorIndex.search(query, K);
  const times: number[] = [];
  let recall = 0;
  let exactCount = 0;
  const efs: number[] = [];
  const adapter = loaded as NonNullable<typeof loaded>;
  for (let pass = 0; pass < queryPasses; pass += 1) {
    for (const [index, query] of picked) {
      const queryStarted = performance.now();
      const hits = adapter.vectorIndex.search(query, K);
      times.push(performance.now() - queryStarted);
      if (pass > 0) continue;
      recall += recallOf(
        index,
        hits.map((hit) => hit.position),
      ).tieAware;
      const plan = adapter.vectorIndex.plan?.(query, K) ?? { method: 'graph' as const, ef: Number.NaN };
      if (plan.method === 'exact') exactCount += 1;
      else efs.push(plan.ef);
    }
  }
  return {
    queries: picked.length,
    recallAt10: recall / Math.max(1, picked.length),
    latencyMs: summarize(times),
    exactShare: exactCount / Math.max(1, picked.length),
    efRange: efs.length > 0 ? [Math.min(...efs), Math.max(...efs)] : undefined,
  };
}

// LangChain's exact in-memory store over the very same (stored, normalised) vectors.
const memoryStore = new MemoryVectorStore(embeddings);
const storedVectors: number[][] = [];
for (let label = 0; label < chunks; label += 1)
  storedVectors.push(Array.from(matrix.subarray(label * dimensions, (label + 1) * dimensions)));
started = performance.now();
await memoryStore.addVectors(
  storedVectors,
  loaded.chunks.map((chunk, position) => new Document({ pageContent: chunk.text, metadata: { chunkId: chunk.chunkId, position } })),
);
const addVectorsMs = performance.now() - started;
const memoryTimes: number[] = [];
let memoryRecall = 0;
for (const [index, query] of queryVectors.slice(0, memoryStoreQueries).entries()) {
  const queryStarted = performance.now();
  const hits = await memoryStore.similaritySearchVectorWithScore(query, K);
  memoryTimes.push(performance.now() - queryStarted);
  memoryRecall += recallOf(
    index,
    hits.map(([document]) => (document.metadata as { position: number }).position),
  ).tieAware;
}
const memoryLatency = summarize(memoryTimes);

const result: RetrievalResult = {
  chunks,
  dimensions,
  queries: queryVectors.length,
  queryKinds: kindCounts,
  queryPasses,
  loadMs,
  memory: {
    before,
    after,
    perChunkRssBytes: (after.rss - before.rss) / chunks,
    perChunkHeapBytes: (after.heapUsed - before.heapUsed) / chunks,
  },
  indexFilesBytes: Object.values(loaded.manifest.files).reduce((sum, file) => sum + file.bytes, 0),
  queryEmbeddingMs: summarize(embeddingTimes),
  efSweep,
  chosenEf: chosen?.ef,
  served,
  shards: shardFiles.length,
  exactScanMs: summarize(exactScanTimes),
  memoryVectorStore: {
    queries: memoryTimes.length,
    addVectorsMs,
    latencyMs: memoryLatency,
    recallAt10: memoryRecall / memoryTimes.length,
    importPath: '@langchain/classic/vectorstores/memory',
  },
  speedupAtP50: chosen ? memoryLatency.p50 / chosen.latencyMs.p50 : undefined,
  speedupAtP95: chosen ? memoryLatency.p95 / chosen.latencyMs.p95 : undefined,
  loadAverageAtStart,
};
await writeSectionResult(args.out, result);

/**
 * `npm run bench:sweep`: the HNSW parameter sweep behind the served settings. Embeds the synthetic corpus once, takes
 * exact top-10 neighbours by a full scan, then for each graph (M × efConstruction × shards) builds it, and for each
 * search ef measures recall@10 and latency separately on question-like queries (evaluation turns and generated learner
 * questions) and on article sentences, questions also by length (nonzero dimensions of the query vector).
 *
 *   npm run bench:sweep -- --chunks=100000 --graphs=16x200,32x100,16x100x2 --ef=64,128,256,512,768
 *                          [--dims=512] [--weights=word:1,concept:1.5,bigram:0.5] [--questions=240] [--sentences=200]
 *
 * A graph `MxEFC` is one index; `MxEFCxS` is S shards (positions dealt round-robin) each searched with the same ef
 * and merged, as the store builds them in parallel. Prints Markdown tables; nothing is written.
 */
import path from 'node:path';
import type hnswlib from 'hnswlib-node';
import { loadConfig } from '../../src/config.js';
import { loadEvaluationCases } from '../../src/evaluation/evaluation-cases.js';
import { createHnswShard } from '../../src/index/hnsw-vector-index.js';
import { chunkIndexText } from '../../src/index/index-text.js';
import { loadGlossary } from '../../src/ingest/glossary.js';
import { chunkDocument } from '../../src/ingest/passage-chunker.js';
import { type FeatureWeights, LocalHashingEmbeddings } from '../../src/providers/local-embeddings.js';
import { createTextAnalyzer } from '../../src/retrieval/text-analyzer.js';
import { formatMs, loadAverage, repositoryRoot, summarize } from './bench-support.js';
import { questionQueries } from './question-queries.js';
import { generateSyntheticCorpus, readSentencePool, syntheticQueries } from './synthetic-corpus.js';
import { exactTopK, recallAt } from './vector-recall.js';

const K = 10;
const values = new Map(
  process.argv
    .slice(2)
    .map((argument) => /^--([\w-]+)=(.*)$/.exec(argument))
    .filter((match): match is RegExpExecArray => match !== null)
    .map((match) => [match[1] as string, match[2] as string]),
);
const chunkCount = Number(values.get('chunks') ?? 100_000);
const dimensions = Number(values.get('dims') ?? 512);
const graphs = (values.get('graphs') ?? '16x200,32x100').split(',').map((spec) => {
  const [m, efConstruction, shards] = spec.split('x').map(Number);
  return { m: m as number, efConstruction: efConstruction as number, shards: shards ?? 1 };
});
const efValues = (values.get('ef') ?? '64,128,256,384,512,768').split(',').map(Number);
const weights = parseWeights(values.get('weights'));

const config = loadConfig({ LOG_LEVEL: 'silent' }, repositoryRoot);
const glossary = await loadGlossary(config.glossaryFile);
const analyzer = createTextAnalyzer({ glossary });
const embeddings = new LocalHashingEmbeddings({ analyzer, dimensions, ...(weights ? { featureWeights: weights } : {}) });
const pool = await readSentencePool(path.join(repositoryRoot, 'corpus'));
const corpus = generateSyntheticCorpus(pool, { targetChunks: chunkCount, chunker: config.chunker });
const texts = corpus.documents.flatMap((document) => chunkDocument(document, config.chunker).map(chunkIndexText));
let started = performance.now();
const vectors = texts.map((text) => embeddings.embedText(text));
const embedMs = performance.now() - started;

const cases = await loadEvaluationCases(path.join(repositoryRoot, 'test', 'eval', 'cases.json'));
const questions = questionQueries(
  cases.flatMap((testCase) => testCase.turns),
  glossary,
  { count: Number(values.get('questions') ?? 240) },
);
const sentences = syntheticQueries(pool, { count: Number(values.get('sentences') ?? 200), seed: 7, questions: [] });
const queries = [
  ...questions.map((query) => ({ text: query.text, kind: 'question' as const })),
  ...sentences.map((query) => ({ text: query.text, kind: 'sentence' as const })),
];
const queryVectors = queries.map((query) => embeddings.embedText(query.text));
const nonzero = queryVectors.map((vector) => vector.reduce((count, value) => count + (value === 0 ? 0 : 1), 0));
const lengthBucket = (features: number): string => (features <= 8 ? '≤8' : features <= 16 ? '9-16' : features <= 32 ? '17-32' : '>32');
started = performance.now();
const truth = queryVectors.map((query) => exactTopK(vectors, query, K));
const exactMs = performance.now() - started;
process.stdout.write(
  `${chunkCount} chunks, ${dimensions} dims${weights ? `, weights ${values.get('weights')}` : ''}: embedded in ${formatMs(embedMs)}, ` +
    `exact top-${K} of ${queries.length} queries (${questions.length} questions, ${sentences.length} sentences) in ${formatMs(exactMs)}; ` +
    `load average ${loadAverage().toFixed(1)}\n\n`,
);

const arrays = vectors.map((vector) => Array.from(vector));
for (const graph of graphs) {
  const shards: hnswlib.HierarchicalNSW[] = [];
  started = performance.now();
  const cpuBefore = process.cpuUsage();
  for (let shard = 0; shard < graph.shards; shard += 1) {
    // Round-robin, as the store deals positions to its shards (shardOf in hnsw-vector-index.ts).
    const index = createHnswShard(dimensions, Math.ceil(chunkCount / graph.shards), graph);
    for (let label = shard; label < chunkCount; label += graph.shards) index.addPoint(arrays[label] as number[], label);
    shards.push(index);
  }
  const buildMs = performance.now() - started;
  const cpu = process.cpuUsage(cpuBefore);
  process.stdout.write(
    `### M=${graph.m}, efConstruction=${graph.efConstruction}, ${graph.shards} shard(s): built in ${formatMs(buildMs)} ` +
      `(${formatMs((cpu.user + cpu.system) / 1000)} CPU; ${Math.round(chunkCount / (buildMs / 1000))} chunks/s on one thread), load average ${loadAverage().toFixed(1)}\n\n`,
  );
  process.stdout.write(
    '| ef | recall@10 questions | p95 questions | recall@10 sentences | p95 sentences | questions by features ≤8 / 9-16 / 17-32 / >32 |\n',
  );
  process.stdout.write('|---:|---:|---:|---:|---:|---|\n');
  for (const ef of efValues) {
    for (const shard of shards) shard.setEf(ef);
    const recall = { question: [] as number[], sentence: [] as number[] };
    const times = { question: [] as number[], sentence: [] as number[] };
    const buckets = new Map<string, number[]>();
    for (const [position, query] of queries.entries()) {
      const vector = arrays.length > 0 ? Array.from(queryVectors[position] as Float32Array) : [];
      const queryStarted = performance.now();
      const merged: { label: number; distance: number }[] = [];
      for (const shard of shards) {
        const found = shard.searchKnn(vector, K);
        found.neighbors.forEach((label, rank) => {
          merged.push({ label, distance: found.distances[rank] as number });
        });
      }
      merged.sort((left, right) => left.distance - right.distance);
      times[query.kind].push(performance.now() - queryStarted);
      const value = recallAt(
        vectors,
        queryVectors[position] as Float32Array,
        merged.slice(0, K).map((hit) => hit.label),
        truth[position] as { kthSimilarity: number },
      );
      recall[query.kind].push(value);
      if (query.kind === 'question') {
        const bucket = lengthBucket(nonzero[position] as number);
        buckets.set(bucket, [...(buckets.get(bucket) ?? []), value]);
      }
    }
    const mean = (list: readonly number[]): string => (list.reduce((sum, value) => sum + value, 0) / Math.max(1, list.length)).toFixed(3);
    const byLength = ['≤8', '9-16', '17-32', '>32'].map(
      (bucket) => `${mean(buckets.get(bucket) ?? [])} (${buckets.get(bucket)?.length ?? 0})`,
    );
    process.stdout.write(
      `| ${ef} | ${mean(recall.question)} | ${formatMs(summarize(times.question).p95)} | ${mean(recall.sentence)} | ` +
        `${formatMs(summarize(times.sentence).p95)} | ${byLength.join(' / ')} |\n`,
    );
  }
  process.stdout.write('\n');
}

function parseWeights(text: string | undefined): FeatureWeights | undefined {
  if (text === undefined) return undefined;
  const entries = Object.fromEntries(
    text
      .split(',')
      .map((pair) => pair.split(':'))
      .map(([name, value]) => [name, Number(value)]),
  );
  return { word: entries.word ?? 1, concept: entries.concept ?? 1.5, bigram: entries.bigram ?? 0.5 };
}

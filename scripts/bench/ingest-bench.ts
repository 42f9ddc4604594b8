/**
 * Benchmark section "ingest": builds the index of a synthetic corpus of 100,000 passages (10,000 with --quick)
 * through the real ingest path — the index store's `build` (chunk, embed with the local embedder in batches while
 * worker threads insert into the HNSW shards, BM25 tokens, atomic save) — and times each phase. Leaves the index in --data-dir for the retrieval section.
 *
 * Run by scripts/bench/run-benchmarks.ts; alone:
 *   node --import tsx scripts/bench/ingest-bench.ts --out=/tmp/ingest.json --data-dir=/tmp/bench-index [--quick]
 */
import path from 'node:path';
import { loadConfig } from '../../src/config.js';
import { createCorpusIndexStore, type IndexProgress } from '../../src/index/corpus-index-store.js';
import { loadGlossary } from '../../src/ingest/glossary.js';
import { LocalHashingEmbeddings } from '../../src/providers/local-embeddings.js';
import { createTextAnalyzer } from '../../src/retrieval/text-analyzer.js';
import {
  fullGc,
  loadAverage,
  parseSectionArguments,
  readMemory,
  readProcessRss,
  repositoryRoot,
  requireValue,
  writeSectionResult,
} from './bench-support.js';
import { generateSyntheticCorpus, readSentencePool } from './synthetic-corpus.js';

export interface IngestResult {
  readonly chunks: number;
  readonly documents: number;
  /** Hash of the generated corpus: the same in every run with the same seed and size. */
  readonly corpusHash: string;
  readonly sentencePool: { readonly sentences: number; readonly headings: number };
  readonly generateMs: number;
  /** Main-thread phases in order (`embedding` includes the BM25 tokens, `lexical` is the postings); HNSW insertion runs on worker threads alongside, `hnswWait` is what is left of it. */
  readonly phasesMs: {
    readonly chunking: number;
    readonly embedding: number;
    readonly lexical: number;
    readonly hnswWait: number;
    readonly saving: number;
  };
  /** CPU time of the whole process (every thread) during the build. */
  readonly cpuMs: number;
  readonly shards: number;
  readonly totalBuildMs: number;
  /** Chunks per second of the embedding phase (local embedder, batches of 256, through the store's build). */
  readonly embeddingChunksPerSecond: number;
  /** Chunks per second of the whole build, save included. */
  readonly endToEndChunksPerSecond: number;
  readonly indexFilesBytes: number;
  /** The graph parameters of the build (from its manifest). */
  readonly hnsw: { readonly m: number; readonly efConstruction: number; readonly dimensions: number };
  readonly peakRssBytes: number | undefined;
  readonly rssBeforeBuildBytes: number;
  readonly loadAverageAtStart: number;
  readonly embedderId: string;
}

const args = parseSectionArguments();
const dataDir = requireValue(args, 'data-dir');
const targetChunks = Number(args.values.get('chunks') ?? (args.quick ? 10_000 : 100_000));

const config = loadConfig({ DATA_DIR: dataDir, LOG_LEVEL: 'silent' }, repositoryRoot);
const glossary = await loadGlossary(config.glossaryFile);
const analyzer = createTextAnalyzer({ glossary });
const embeddings = new LocalHashingEmbeddings({
  analyzer,
  dimensions: config.embeddings.provider === 'local' ? config.embeddings.dimensions : 512,
});
const store = createCorpusIndexStore({ dataDir, embedder: { id: embeddings.embedderId, embeddings }, analyzer, chunker: config.chunker });

const pool = await readSentencePool(path.join(repositoryRoot, 'corpus'));
let started = performance.now();
const corpus = generateSyntheticCorpus(pool, { targetChunks, chunker: config.chunker });
const generateMs = performance.now() - started;
analyzer.tokenize('预热 jieba 词典'); // The dictionary loads on first use; not part of ingest throughput.

fullGc();
const rssBeforeBuild = readMemory().rss;
const loadAverageAtStart = loadAverage();
const lastEvent = new Map<IndexProgress['phase'], number>();
let savingStarted: number | undefined;
const cpuBefore = process.cpuUsage();
started = performance.now();
const index = await store.build(corpus, (progress) => {
  const now = performance.now();
  if (progress.phase === 'saving' && progress.done === 0) savingStarted = now;
  lastEvent.set(progress.phase, now);
});
const finished = performance.now();
const cpu = process.cpuUsage(cpuBefore);

const at = (phase: IndexProgress['phase']): number => lastEvent.get(phase) ?? Number.NaN;
// Phases of the main thread, one after the other; the shards are filled on worker threads from the first embedded batch on.
const phasesMs = {
  chunking: at('chunking') - started,
  embedding: at('embedding') - at('chunking'),
  lexical: at('tokenizing') - at('embedding'),
  hnswWait: at('indexing') - at('tokenizing'),
  saving: finished - (savingStarted ?? Number.NaN),
};
const chunks = index.chunks.length;
const result: IngestResult = {
  chunks,
  documents: corpus.documents.length,
  corpusHash: corpus.corpusHash,
  sentencePool: { sentences: pool.sentences.length, headings: pool.headings.length },
  generateMs,
  phasesMs,
  totalBuildMs: finished - started,
  embeddingChunksPerSecond: chunks / (phasesMs.embedding / 1000),
  endToEndChunksPerSecond: chunks / ((finished - started) / 1000),
  indexFilesBytes: Object.values(index.manifest.files).reduce((sum, file) => sum + file.bytes, 0),
  hnsw: {
    m: index.manifest.vectors.m,
    efConstruction: index.manifest.vectors.efConstruction,
    dimensions: index.manifest.embedder.dimensions,
  },
  cpuMs: (cpu.user + cpu.system) / 1000,
  shards: index.manifest.vectors.shards.length,
  peakRssBytes: readProcessRss('self')?.peakRss,
  rssBeforeBuildBytes: rssBeforeBuild,
  loadAverageAtStart,
  embedderId: index.manifest.embedder.id,
};
if (chunks !== targetChunks) throw new Error(`the synthetic corpus made ${chunks} passages, expected ${targetChunks}`);
await writeSectionResult(args.out, result);

import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createSeededRandom } from '../../scripts/support/seeded-random.js';
import { createColumnCollector, createColumnScan, decodeColumns, encodeColumns } from '../../src/index/column-scan.js';
import { createCorpusIndexStore } from '../../src/index/corpus-index-store.js';
import { createHnswShardBuilder } from '../../src/index/hnsw-shard-builder.js';
import { createHnswShard, wrapHnswShards } from '../../src/index/hnsw-vector-index.js';
import { searchBreadth } from '../../src/index/vector-index.js';
import { loadCorpus } from '../../src/ingest/corpus-loader.js';
import { loadGlossary } from '../../src/ingest/glossary.js';
import { cosineSimilarity, LocalHashingEmbeddings } from '../../src/providers/local-embeddings.js';
import { createTextAnalyzer } from '../../src/retrieval/text-analyzer.js';
import { createTemporaryDirectory, shippedCorpusDir } from '../support/test-runtime.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()!();
});

function randomVectors(count: number, dimensions: number, seed: number): number[][] {
  const random = createSeededRandom(seed);
  return Array.from({ length: count }, () => Array.from({ length: dimensions }, () => random() * 2 - 1));
}

describe('the HNSW adapter of the vector index port', () => {
  it('reports cosine similarities (not distances), closest first, merged over shards', () => {
    const dimensions = 16;
    const vectors = randomVectors(60, dimensions, 3);
    const shards = [0, 1, 2].map(() => createHnswShard(dimensions, 20, { m: 8, efConstruction: 64 }));
    for (const [position, vector] of vectors.entries()) shards[position % 3]!.addPoint(vector, position);
    const index = wrapHnswShards(shards, dimensions, { breadth: () => 200 });
    expect(index.size).toBe(60);
    const query = randomVectors(1, dimensions, 9)[0]!;
    const hits = index.search(query, 5);
    const exact = vectors
      .map((vector, position) => ({ position, similarity: cosineSimilarity(query, vector) }))
      .sort((left, right) => right.similarity - left.similarity)
      .slice(0, 5);
    expect(hits.map((hit) => hit.position)).toEqual(exact.map((hit) => hit.position));
    for (const [rank, hit] of hits.entries()) expect(hit.similarity).toBeCloseTo(exact[rank]!.similarity, 5);
    // A stored vector finds itself at similarity 1, from whichever shard holds it.
    expect(index.search(vectors[44]!, 1)[0]).toMatchObject({ position: 44 });
    expect(index.search(vectors[44]!, 1)[0]!.similarity).toBeCloseTo(1, 5);
    expect(index.search(query, 500)).toHaveLength(60);
    expect(() => index.search([1, 2, 3], 2)).toThrow(RangeError);
  });

  it('searches sparse queries exactly by column, and dense ones through the graph', () => {
    const dimensions = 32;
    const vectors = randomVectors(300, dimensions, 5).map((vector) => {
      const norm = Math.hypot(...vector);
      return vector.map((value) => value / norm);
    });
    const collector = createColumnCollector(vectors.length, dimensions);
    for (const [position, vector] of vectors.entries()) collector.add(position, vector);
    const shard = createHnswShard(dimensions, vectors.length, { m: 4, efConstruction: 8 });
    for (const [position, vector] of vectors.entries()) shard.addPoint(vector, position);
    const exact = createColumnScan(decodeColumns(encodeColumns(collector.finish())));
    // Dense columns: a query of 2 features touches 2 × 300 entries, plus one pass over the 300 scores.
    expect(exact.cost(Array.from({ length: dimensions }, (_, dimension) => (dimension < 2 ? 1 : 0)))).toBe(3 * vectors.length);
    const index = wrapHnswShards([shard], dimensions, { exact, exactBudget: 3 * vectors.length });
    const sparse = Array.from({ length: dimensions }, (_, dimension) => (dimension === 3 ? 0.8 : dimension === 17 ? -0.6 : 0));
    expect(index.plan(sparse, 10)).toEqual({ method: 'exact' });
    const truth = vectors
      .map((vector, position) => ({ position, similarity: cosineSimilarity(sparse, vector) }))
      .sort((left, right) => right.similarity - left.similarity || left.position - right.position)
      .slice(0, 10);
    expect(index.search(sparse, 10).map((hit) => hit.position)).toEqual(truth.map((hit) => hit.position));
    expect(index.plan(vectors[0]!, 10)).toMatchObject({ method: 'graph' });
    expect(index.search(vectors[0]!, 1)[0]!.position).toBe(0);
  });

  it('searches short (sparse) queries wider than long ones, and never below k', () => {
    const long = searchBreadth({ k: 20, shardSize: 50_000, queryFeatures: 200, dimensions: 512 });
    const short = searchBreadth({ k: 20, shardSize: 50_000, queryFeatures: 6, dimensions: 512 });
    expect(short).toBeGreaterThan(long);
    expect(searchBreadth({ k: 20, shardSize: 13, queryFeatures: 6, dimensions: 512 })).toBeGreaterThanOrEqual(64);
    expect(searchBreadth({ k: 5000, shardSize: 13, queryFeatures: 6, dimensions: 512 })).toBe(5000);
  });
});

describe('a sharded build on worker threads', () => {
  it('starts one worker thread per shard', async () => {
    const builder = createHnswShardBuilder({ count: 4, dimensions: 3, shards: 2, graph: { m: 8, efConstruction: 16 }, threads: true });
    expect(builder.threaded).toBe(true);
    await builder.abort();
  });

  it('builds each shard on its own thread and finds what a one-shard build finds', async () => {
    const glossary = await loadGlossary(path.join(shippedCorpusDir, 'glossary.json'));
    const analyzer = createTextAnalyzer({ glossary });
    const embeddings = new LocalHashingEmbeddings({ analyzer });
    const corpus = await loadCorpus(shippedCorpusDir);
    const chunker = { maxChars: 260, minChars: 80, overlapSentences: 0 };
    const open = async (parallel: boolean) => {
      const data = await createTemporaryDirectory('tutor-shards-');
      cleanups.push(data.remove);
      const store = createCorpusIndexStore({
        dataDir: data.dir,
        embedder: { id: embeddings.embedderId, embeddings },
        analyzer,
        chunker,
        embeddingBatchSize: 4,
        // The graphs themselves are compared: at this size every query would otherwise be searched exactly by column.
        exactBudget: 0,
        ...(parallel ? { parallelThreshold: 0, parallelShards: 2 } : {}),
      });
      return { store, dataDir: data.dir };
    };
    const single = await open(false);
    const sharded = await open(true);
    const one = await single.store.build(corpus);
    const two = await sharded.store.build(corpus);
    expect(one.manifest.vectors.shards.map((shard) => shard.file)).toEqual(['hnswlib.index']);
    expect(two.manifest.vectors.shards.map((shard) => shard.file)).toEqual(['hnswlib.index', 'hnswlib-1.index']);
    expect(two.manifest.vectors.shards.reduce((sum, shard) => sum + shard.count, 0)).toBe(two.chunks.length);
    const manifestOnDisk = JSON.parse(
      await readFile(path.join(sharded.dataDir, 'index', 'builds', two.manifest.buildId, 'manifest.json'), 'utf8'),
    );
    expect(Object.keys(manifestOnDisk.files)).toEqual(expect.arrayContaining(['hnswlib.index', 'hnswlib-1.index', 'lexical.bin']));

    const reloaded = (await sharded.store.load())!;
    expect(reloaded.vectorIndex.size).toBe(one.chunks.length);
    for (const question of ['炖牛肉的秘方', '什么是调教', 'What is fine-tuning?']) {
      const vector = await embeddings.embedQuery(question);
      expect(two.vectorIndex.plan?.(vector, 5)).toMatchObject({ method: 'graph' });
      const expected = one.vectorIndex.search(vector, 5);
      expect(two.vectorIndex.search(vector, 5)).toEqual(expected);
      expect(reloaded.vectorIndex.search(vector, 5)).toEqual(expected);
    }
    for (let position = 0; position < one.chunks.length; position += 1) {
      expect(reloaded.vectorIndex.vectorAt(position)).toEqual(one.vectorIndex.vectorAt(position));
    }
  });
});

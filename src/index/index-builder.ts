import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { TutorError } from '../errors/tutor-error.js';
import { attachTranslations } from '../ingest/chunk-translations.js';
import type { ChunkRecord } from '../ingest/chunk-types.js';
import type { LoadedCorpus } from '../ingest/corpus-loader.js';
import { chunkDocument } from '../ingest/passage-chunker.js';
import { createBm25Index } from './bm25-index.js';
import { COLUMNS_FILE, type ColumnCollector, createColumnCollector, createColumnScan, encodeColumns } from './column-scan.js';
import type { CorpusIndex, CorpusIndexStoreOptions, IndexProgress } from './corpus-index-store.js';
import { hashFiles } from './file-checksums.js';
import { createHnswShardBuilder, type HnswShardBuilder } from './hnsw-shard-builder.js';
import { defaultHnswGraphSettings, type HnswVectorIndexOptions, loadHnswVectorIndex } from './hnsw-vector-index.js';
import {
  type BuildDirectory,
  buildDataFiles,
  describeContent,
  type FileDescription,
  FORMAT_VERSION,
  type IndexManifest,
  newBuildId,
} from './index-manifest.js';
import { chunkEmbeddingTexts, chunkIndexText, sumOfUnitVectors } from './index-text.js';
import { encodeLexical, LEXICAL_FILES } from './lexical-file.js';
import { encodePassages, PASSAGE_FILES } from './passage-file.js';

/** Indexes of at least this many chunks are built as shards on worker threads. @default 20000 */
export const DEFAULT_PARALLEL_THRESHOLD = 20_000;
/** Shards of a parallel build: one per core of the 2-core machine the targets are set for. @default 2 */
export const DEFAULT_PARALLEL_SHARDS = 2;
/**
 * Vectors with more than this share of their components set are dense (a neural embedder): an exact scan of their
 * columns costs as much as of the whole matrix, so they are not saved by column and every query goes through the graph.
 */
const DENSE_SHARE = 0.5;

/** The adapter options the store's settings imply. */
export function vectorIndexOptions(options: CorpusIndexStoreOptions): HnswVectorIndexOptions {
  return {
    ...(options.breadth ? { breadth: options.breadth } : {}),
    ...(options.exactBudget === undefined ? {} : { exactBudget: options.exactBudget }),
  };
}

/**
 * Chunks, embeds and indexes a corpus, saves it into a staging folder and makes it current by two renames. Embedding
 * and BM25 tokenising (on this thread) overlap HNSW insertion (one worker thread per shard, for large corpora): each
 * batch of vectors goes to the shards as soon as it is embedded, so both cores work from the first batch on.
 */
export async function buildCorpusIndex(
  corpus: LoadedCorpus,
  options: CorpusIndexStoreOptions,
  directory: BuildDirectory,
  onProgress?: (progress: IndexProgress) => void,
): Promise<CorpusIndex> {
  const chunks: ChunkRecord[] = [];
  corpus.documents.forEach((document, index) => {
    chunks.push(...attachTranslations(document, chunkDocument(document, options.chunker), corpus.translations?.get(document.documentId)));
    onProgress?.({ phase: 'chunking', done: index + 1, total: corpus.documents.length });
  });
  if (chunks.length === 0) throw new TutorError('CORPUS_EMPTY', 'The corpus has documents but no passage with text in them');

  const batchSize = options.embeddingBatchSize ?? 256;
  const graph = options.graph ?? defaultHnswGraphSettings;
  const parallel = chunks.length >= (options.parallelThreshold ?? DEFAULT_PARALLEL_THRESHOLD);
  const shards = parallel ? (options.parallelShards ?? DEFAULT_PARALLEL_SHARDS) : 1;
  const texts = chunks.map(chunkIndexText);
  const buildId = newBuildId();
  const stagingDir = path.join(directory.buildsDir, `.staging-${buildId}`);
  await mkdir(stagingDir, { recursive: true });
  let builder: HnswShardBuilder | undefined;
  try {
    let dimensions = 0;
    // The nonzero components again by column, for exact search of sparse queries (column-scan.ts).
    let columns: ColumnCollector | undefined;
    const passageTokens: string[][] = [];
    for (let start = 0; start < chunks.length; start += batchSize) {
      // A chunk with a rendering is embedded as two texts, combined into one vector (index-text.ts).
      const parts = chunks.slice(start, start + batchSize).map(chunkEmbeddingTexts);
      let embedded: number[][];
      try {
        embedded = await options.embedder.embeddings.embedDocuments(parts.flat());
      } catch (error) {
        throw new TutorError('EMBEDDINGS_FAILED', `The embedder ${options.embedder.id} failed while indexing the corpus`, { cause: error });
      }
      let next = 0;
      const batch = parts.map((texts) => {
        const own = embedded.slice(next, (next += texts.length));
        return own.length === 1 ? (own[0] as number[]) : sumOfUnitVectors(own);
      });
      if (!builder) {
        dimensions = batch[0]?.length ?? 0;
        builder = createHnswShardBuilder({ count: chunks.length, dimensions, shards, graph, threads: parallel });
        if (nonzeroShare(batch, dimensions) <= DENSE_SHARE) columns = createColumnCollector(chunks.length, dimensions);
      }
      builder.add(start, batch);
      // The BM25 tokens right after the embedding: the analyzer still remembers the passages' tokens (text-analyzer.ts).
      for (const [offset, vector] of batch.entries()) {
        columns?.add(start + offset, vector);
        passageTokens.push(options.analyzer.tokenize(texts[start + offset] as string));
      }
      onProgress?.({ phase: 'embedding', done: Math.min(start + batchSize, chunks.length), total: chunks.length });
    }
    const activeBuilder = builder as HnswShardBuilder;
    onProgress?.({ phase: 'tokenizing', done: 0, total: texts.length });
    const lexicalIndex = createBm25Index({ passageTokens });
    onProgress?.({ phase: 'tokenizing', done: texts.length, total: texts.length });
    // The other files are encoded and written while the shard workers finish their last insertions.
    const sparseColumns = columns?.finish();
    const lexical = encodeLexical(lexicalIndex.toCompact());
    const passages = encodePassages(corpus.documents, chunks);
    const contents: Record<string, string | Uint8Array> = {
      [PASSAGE_FILES.texts]: passages.texts,
      [PASSAGE_FILES.documents]: passages.documents,
      [PASSAGE_FILES.chunks]: passages.chunks,
      [LEXICAL_FILES.meta]: lexical.meta,
      [LEXICAL_FILES.ids]: lexical.ids,
      ...(sparseColumns ? { [COLUMNS_FILE]: encodeColumns(sparseColumns) } : {}),
    };
    await Promise.all(Object.entries(contents).map(([name, content]) => writeFile(path.join(stagingDir, name), content)));
    const shardFiles = await activeBuilder.finish(stagingDir);
    onProgress?.({ phase: 'indexing', done: chunks.length, total: chunks.length });
    onProgress?.({ phase: 'saving', done: 0, total: 1 });
    const vectors = { ...graph, shards: shardFiles, columns: sparseColumns !== undefined };
    const names = buildDataFiles(vectors);
    // Files written here are hashed from memory; the shards, written by hnswlib, on the hashing threads meanwhile.
    const shardHashes = hashFiles(
      stagingDir,
      shardFiles.map((shard) => ({ name: shard.file, bytes: shard.count })),
    );
    const descriptions = await Promise.all(
      names.map((name) => {
        const content = contents[name];
        if (content === undefined) return shardHashes.get(name) as Promise<FileDescription>;
        return describeContent(typeof content === 'string' ? Buffer.from(content) : content);
      }),
    );
    const manifest: IndexManifest = {
      formatVersion: FORMAT_VERSION,
      buildId,
      builtAt: new Date().toISOString(),
      corpusHash: corpus.corpusHash,
      embedder: { id: options.embedder.id, dimensions },
      chunker: options.chunker,
      documentCount: corpus.documents.length,
      chunkCount: chunks.length,
      vectors,
      files: Object.fromEntries(names.map((name, index) => [name, descriptions[index] as FileDescription])),
    };
    await writeFile(path.join(stagingDir, 'manifest.json'), JSON.stringify(manifest, null, 2));
    // The shards are read back from the files just written: the workers' copies are gone with the workers, and
    // this way the index served after a build is the one a restart would load.
    const vectorIndex = await loadHnswVectorIndex(stagingDir, shardFiles, dimensions, {
      ...vectorIndexOptions(options),
      ...(sparseColumns ? { exact: createColumnScan(sparseColumns) } : {}),
    });
    // The build becomes visible only by two renames: the folder, then the pointer. A crash before either leaves the
    // previous build current; a reader never sees a half-written one.
    await rename(stagingDir, directory.buildDir(buildId));
    await directory.writePointer(buildId);
    await directory.prune(buildId);
    onProgress?.({ phase: 'saving', done: 1, total: 1 });
    return {
      manifest,
      documents: corpus.documents,
      chunks,
      vectorIndex,
      lexicalIndex,
      chunkPositionById: new Map(chunks.map((chunk, position) => [chunk.chunkId, position])),
    };
  } catch (error) {
    await builder?.abort();
    await rm(stagingDir, { recursive: true, force: true });
    throw error;
  }
}

/** Share of the components of these vectors that are nonzero. */
function nonzeroShare(vectors: readonly (readonly number[])[], dimensions: number): number {
  let nonzero = 0;
  for (const vector of vectors) for (const value of vector) if (value !== 0) nonzero += 1;
  return vectors.length === 0 || dimensions === 0 ? 1 : nonzero / (vectors.length * dimensions);
}

import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { EmbeddingsInterface } from '@langchain/core/embeddings';
import { TutorError } from '../errors/tutor-error.js';
import type { ChunkRecord, CorpusDocument } from '../ingest/chunk-types.js';
import type { LoadedCorpus } from '../ingest/corpus-loader.js';
import type { ChunkerSettings } from '../ingest/passage-chunker.js';
import { type Bm25Index, createBm25IndexFromCompact } from './bm25-index.js';
import { createBuildLock } from './build-lock.js';
import { COLUMNS_FILE, createColumnScan, decodeColumns } from './column-scan.js';
import { verifyFiles } from './file-checksums.js';
import { type HnswGraphSettings, readHnswShard, wrapHnswShards } from './hnsw-vector-index.js';
import { buildCorpusIndex, vectorIndexOptions } from './index-builder.js';
import {
  buildDataFiles,
  checkManifestFreshness,
  createBuildDirectory,
  FORMAT_VERSION,
  type FreshnessVerdict,
  type IndexManifest,
} from './index-manifest.js';
import { decodeLexical, LEXICAL_FILES } from './lexical-file.js';
import { decodePassages, PASSAGE_FILES } from './passage-file.js';
import type { SearchBreadthInput, VectorIndex } from './vector-index.js';

export type { FreshnessVerdict, IndexManifest } from './index-manifest.js';
export { chunkEmbeddingTexts, chunkIndexText } from './index-text.js';

/** An embedder together with the identity that decides whether a saved index still matches it. */
export interface EmbedderDescriptor {
  /** Changes whenever vectors would change: model, dimensions, analyzer version, glossary. */
  readonly id: string;
  readonly embeddings: EmbeddingsInterface;
}

/** A loaded index: immutable once built; a rebuild produces a new one. */
export interface CorpusIndex {
  readonly manifest: IndexManifest;
  readonly documents: readonly CorpusDocument[];
  readonly chunks: readonly ChunkRecord[];
  /** Nearest chunks by embedding (the HNSW adapter of the port; it picks ef and reports similarities). */
  readonly vectorIndex: VectorIndex;
  readonly lexicalIndex: Bm25Index;
  readonly chunkPositionById: ReadonlyMap<string, number>;
}

export interface IndexProgress {
  readonly phase: 'chunking' | 'embedding' | 'tokenizing' | 'indexing' | 'saving';
  readonly done: number;
  readonly total: number;
}

/**
 * What the index needs of a text analyzer: the tokens its BM25 postings are built from. The index owns this port, so it
 * depends on no later stage; the composition root passes retrieval's jieba analyzer (src/retrieval/text-analyzer.ts).
 */
export interface PassageTokenizer {
  /** Content tokens of a passage, as queries will be tokenised. */
  tokenize(text: string): string[];
}

export interface CorpusIndexStoreOptions {
  /** Folder that holds `index/` (git-ignored). */
  readonly dataDir: string;
  readonly embedder: EmbedderDescriptor;
  /** Tokenises passages for the BM25 postings (the same analyzer must tokenise queries). */
  readonly analyzer: PassageTokenizer;
  readonly chunker: ChunkerSettings;
  /** Chunks embedded per call to the embedder. @default 256 */
  readonly embeddingBatchSize?: number;
  /** HNSW graph parameters. @default { m: 16, efConstruction: 40 } */
  readonly graph?: HnswGraphSettings;
  /** Corpora of at least this many chunks are built as shards on worker threads. @default 20000 */
  readonly parallelThreshold?: number;
  /** Shards (and worker threads) of a parallel build. @default 2 */
  readonly parallelShards?: number;
  /** HNSW search breadth per query. @default searchBreadth (vector-index.ts) */
  readonly breadth?: (input: SearchBreadthInput) => number;
  /** Queries cheaper than this many multiply-adds are searched exactly (hnsw-vector-index.ts). @default 2000000 */
  readonly exactBudget?: number;
}

export interface CorpusIndexStore {
  /** Chunks, embeds and indexes the corpus, then saves it atomically and makes it the current build. */
  build(corpus: LoadedCorpus, onProgress?: (progress: IndexProgress) => void): Promise<CorpusIndex>;
  /** The current build, verified against its manifest; undefined when there is none. Throws INDEX_CORRUPT. */
  load(): Promise<CorpusIndex | undefined>;
  /** The manifest of the current build without loading it; undefined when there is none or it is unreadable. */
  readCurrentManifest(): Promise<IndexManifest | undefined>;
  /** Whether the current build matches this corpus, embedder and chunker; says why not. */
  checkFreshness(manifest: IndexManifest | undefined, corpusHash: string): FreshnessVerdict;
  /** Runs `work` while holding the build lock, so two ingests (in any processes) never interleave. */
  withBuildLock<T>(work: () => Promise<T>): Promise<T>;
}

export function createCorpusIndexStore(options: CorpusIndexStoreOptions): CorpusIndexStore {
  const indexRoot = path.join(options.dataDir, 'index');
  const directory = createBuildDirectory(indexRoot);

  async function load(): Promise<CorpusIndex | undefined> {
    const buildId = await directory.readPointer();
    if (buildId === undefined) return undefined;
    const buildDir = directory.buildDir(buildId);
    const corrupt = (why: string, cause?: unknown): TutorError =>
      new TutorError('INDEX_CORRUPT', `The index build ${buildId} is unusable (${why}); run \`npm run ingest\` to rebuild it`, { cause });
    const manifest = await directory.readManifest(buildId);
    if (manifest === undefined) throw corrupt('manifest.json is missing or unreadable');
    if (manifest.formatVersion !== FORMAT_VERSION) throw corrupt(`format ${manifest.formatVersion}, expected ${FORMAT_VERSION}`);
    const shardFiles = manifest.vectors?.shards ?? [];
    if (shardFiles.length === 0) throw corrupt('manifest lists no vector shards');
    const listed = buildDataFiles(manifest.vectors);
    const unlisted = listed.find((name) => manifest.files?.[name] === undefined);
    if (unlisted !== undefined) throw corrupt(`manifest does not list ${unlisted}`);
    try {
      // Every file is checksummed before it is used, on two hashing threads (file-checksums.ts) while this thread reads
      // the files it decodes. A shard goes to hnswlib (which reads it on the thread pool) only once its bytes match, so
      // a corrupt graph is never loaded. Nothing is parsed but small JSON files: the rest are views over the files'
      // bytes (binary-words.ts). Build folders are never written after their rename, so the bytes hashed are the bytes read.
      const verified = verifyFiles(buildDir, listed, manifest);
      const verify = async (name: string): Promise<Buffer> => {
        const [content] = await Promise.all([
          readFile(path.join(buildDir, name)).catch((error: unknown) => {
            throw new Error(`${name} is missing`, { cause: error });
          }),
          verified.get(name),
        ]);
        return content;
      };
      const { dimensions } = manifest.embedder;
      const shards = Promise.all(
        shardFiles.map((shard) => (verified.get(shard.file) as Promise<void>).then(() => readHnswShard(buildDir, shard, dimensions))),
      );
      shards.catch(() => {});
      const [columns, texts, documentsJson, chunksJson, lexicalMeta, lexicalIds] = await Promise.all([
        manifest.vectors.columns ? verify(COLUMNS_FILE) : undefined,
        ...[PASSAGE_FILES.texts, PASSAGE_FILES.documents, PASSAGE_FILES.chunks, LEXICAL_FILES.meta, LEXICAL_FILES.ids].map(verify),
      ]);
      const { documents, chunks } = decodePassages(
        texts as Buffer,
        (documentsJson as Buffer).toString('utf8'),
        (chunksJson as Buffer).toString('utf8'),
      );
      const lexical = createBm25IndexFromCompact(decodeLexical((lexicalMeta as Buffer).toString('utf8'), lexicalIds as Buffer));
      const exact = columns === undefined ? undefined : createColumnScan(decodeColumns(columns));
      if (exact && (exact.size !== chunks.length || exact.dimensions !== dimensions)) {
        throw new Error(`${COLUMNS_FILE} holds ${exact.size} vectors of ${exact.dimensions} dimensions`);
      }
      const vectorIndex = wrapHnswShards(await shards, dimensions, { ...vectorIndexOptions(options), ...(exact ? { exact } : {}) });
      if (chunks.length !== manifest.chunkCount || vectorIndex.size !== chunks.length || lexical.size !== chunks.length) {
        throw new Error(`holds ${vectorIndex.size} vectors and ${lexical.size} lexical entries for ${chunks.length} chunks`);
      }
      return {
        manifest,
        documents,
        chunks,
        vectorIndex,
        lexicalIndex: lexical,
        chunkPositionById: new Map(chunks.map((chunk, position) => [chunk.chunkId, position])),
      };
    } catch (error) {
      throw corrupt((error as Error).message, error);
    }
  }

  async function readCurrentManifest(): Promise<IndexManifest | undefined> {
    const buildId = await directory.readPointer();
    return buildId === undefined ? undefined : directory.readManifest(buildId);
  }

  return {
    build: (corpus, onProgress) => buildCorpusIndex(corpus, options, directory, onProgress),
    load,
    readCurrentManifest,
    checkFreshness: (manifest, corpusHash) =>
      checkManifestFreshness(manifest, { corpusHash, embedderId: options.embedder.id, chunker: options.chunker }),
    withBuildLock: createBuildLock({ indexRoot }),
  };
}

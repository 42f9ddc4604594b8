import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { HNSWLib } from '@langchain/community/vectorstores/hnswlib';
import { Document } from '@langchain/core/documents';
import type { EmbeddingsInterface } from '@langchain/core/embeddings';
import hnswlib from 'hnswlib-node';
import { TutorError } from '../errors/tutor-error.js';
import { attachTranslations } from '../ingest/chunk-translations.js';
import type { ChunkRecord, CorpusDocument } from '../ingest/chunk-types.js';
import type { LoadedCorpus } from '../ingest/corpus-loader.js';
import { type ChunkerSettings, chunkDocument } from '../ingest/passage-chunker.js';
import type { TextAnalyzer } from '../retrieval/text-analyzer.js';
import { type Bm25Data, type Bm25Index, createBm25Index } from './bm25-index.js';

const FORMAT_VERSION = 1;
const DATA_FILES = ['hnswlib.index', 'args.json', 'docstore.json', 'chunks.json', 'documents.json', 'lexical.json'] as const;

/** An embedder together with the identity that decides whether a saved index still matches it. */
export interface EmbedderDescriptor {
  /** Changes whenever vectors would change: model, dimensions, analyzer version, glossary. */
  readonly id: string;
  readonly embeddings: EmbeddingsInterface;
}

/** What an index was built from; compared on load to decide whether it is stale. */
export interface IndexManifest {
  readonly formatVersion: number;
  readonly buildId: string;
  readonly builtAt: string;
  readonly corpusHash: string;
  readonly embedder: { readonly id: string; readonly dimensions: number };
  readonly chunker: ChunkerSettings;
  readonly documentCount: number;
  readonly chunkCount: number;
  /** Size and sha256 of every data file, so a truncated or corrupted file is caught before it is used. */
  readonly files: Readonly<Record<string, { readonly bytes: number; readonly sha256: string }>>;
}

/** A loaded index: immutable once built; a rebuild produces a new one. */
export interface CorpusIndex {
  readonly manifest: IndexManifest;
  readonly documents: readonly CorpusDocument[];
  readonly chunks: readonly ChunkRecord[];
  readonly vectorStore: HNSWLib;
  readonly lexicalIndex: Bm25Index;
  /** Tokens used for the lexical index of each chunk (heading path plus text), by chunk position. */
  readonly chunkPositionById: ReadonlyMap<string, number>;
}

export interface IndexProgress {
  readonly phase: 'chunking' | 'embedding' | 'indexing' | 'saving';
  readonly done: number;
  readonly total: number;
}

export interface CorpusIndexStoreOptions {
  /** Folder that holds `index/` (git-ignored). */
  readonly dataDir: string;
  readonly embedder: EmbedderDescriptor;
  readonly analyzer: TextAnalyzer;
  readonly chunker: ChunkerSettings;
  /** Chunks embedded per call to the embedder. @default 256 */
  readonly embeddingBatchSize?: number;
  /** HNSW search breadth; raised to k when k is larger. @default 64 */
  readonly searchEf?: number;
}

export type FreshnessVerdict = { readonly fresh: true } | { readonly fresh: false; readonly reason: string };

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

/**
 * The text that is tokenised for a chunk: its headings give it context the passage may not repeat, and its aligned
 * rendering (headings too) lets a question in the rendering's language match it.
 */
export function chunkIndexText(chunk: ChunkRecord): string {
  return chunkEmbeddingTexts(chunk).join('\n');
}

/**
 * The texts embedded for a chunk: the original with its headings, then its rendering with its rendered headings when
 * it has one. The chunk's vector is the normalised sum of their unit vectors, so both languages weigh the same in it
 * whatever their lengths (one bag of both let the longer English drown the Chinese: `npm run eval` lost hit@3).
 */
export function chunkEmbeddingTexts(chunk: ChunkRecord): string[] {
  const original = chunk.headingPath.length > 0 ? `${chunk.headingPath.join(' / ')}\n${chunk.text}` : chunk.text;
  const translation = chunk.translation;
  if (translation === undefined) return [original];
  const headings = translation.headingPath === undefined ? '' : `${translation.headingPath.join(' / ')}\n`;
  return [original, `${headings}${translation.text}`];
}

export function createCorpusIndexStore(options: CorpusIndexStoreOptions): CorpusIndexStore {
  const indexRoot = path.join(options.dataDir, 'index');
  const buildsDir = path.join(indexRoot, 'builds');
  const currentPointer = path.join(indexRoot, 'current.json');
  const lockDir = path.join(indexRoot, '.build.lock');
  const batchSize = options.embeddingBatchSize ?? 256;
  const searchEf = options.searchEf ?? 64;

  async function build(corpus: LoadedCorpus, onProgress?: (progress: IndexProgress) => void): Promise<CorpusIndex> {
    const chunks: ChunkRecord[] = [];
    corpus.documents.forEach((document, index) => {
      chunks.push(...attachTranslations(document, chunkDocument(document, options.chunker), corpus.translations?.get(document.documentId)));
      onProgress?.({ phase: 'chunking', done: index + 1, total: corpus.documents.length });
    });
    if (chunks.length === 0) throw new TutorError('CORPUS_EMPTY', 'The corpus has documents but no passage with text in them');

    const texts = chunks.map(chunkIndexText);
    const embeddingTexts = chunks.map(chunkEmbeddingTexts);
    const inputs = embeddingTexts.flat();
    const embedded: number[][] = [];
    for (let start = 0; start < inputs.length; start += batchSize) {
      let batch: number[][];
      try {
        batch = await options.embedder.embeddings.embedDocuments(inputs.slice(start, start + batchSize));
      } catch (error) {
        throw new TutorError('EMBEDDINGS_FAILED', `The embedder ${options.embedder.id} failed while indexing the corpus`, { cause: error });
      }
      embedded.push(...batch);
      onProgress?.({ phase: 'embedding', done: Math.min(start + batchSize, inputs.length), total: inputs.length });
    }
    let next = 0;
    const vectors = embeddingTexts.map((parts) => {
      const own = embedded.slice(next, (next += parts.length));
      return own.length === 1 ? (own[0] as number[]) : sumOfUnitVectors(own);
    });
    const dimensions = vectors[0]?.length ?? 0;

    const hnsw = new hnswlib.HierarchicalNSW('cosine', dimensions);
    hnsw.initIndex(chunks.length, 16, 200, 100);
    const vectorStore = new HNSWLib(options.embedder.embeddings, { space: 'cosine', numDimensions: dimensions, index: hnsw });
    const documentsForStore = chunks.map(
      (chunk, position) => new Document({ pageContent: chunk.text, metadata: { chunkId: chunk.chunkId, position } }),
    );
    const addBatch = 2_000;
    for (let start = 0; start < chunks.length; start += addBatch) {
      await vectorStore.addVectors(vectors.slice(start, start + addBatch), documentsForStore.slice(start, start + addBatch));
      onProgress?.({ phase: 'indexing', done: Math.min(start + addBatch, chunks.length), total: chunks.length });
    }
    const lexicalData: Bm25Data = { passageTokens: texts.map((text) => options.analyzer.tokenize(text)) };
    const lexicalIndex = createBm25Index(lexicalData);

    onProgress?.({ phase: 'saving', done: 0, total: 1 });
    const buildId = `${new Date()
      .toISOString()
      .replace(/[-:.TZ]/g, '')
      .slice(0, 14)}-${randomBytes(4).toString('hex')}`;
    const stagingDir = path.join(buildsDir, `.staging-${buildId}`);
    await mkdir(stagingDir, { recursive: true });
    try {
      await vectorStore.save(stagingDir);
      await writeFile(path.join(stagingDir, 'chunks.json'), JSON.stringify(chunks));
      await writeFile(path.join(stagingDir, 'documents.json'), JSON.stringify(corpus.documents));
      await writeFile(path.join(stagingDir, 'lexical.json'), JSON.stringify(lexicalIndex.toJSON()));
      const files: Record<string, { bytes: number; sha256: string }> = {};
      for (const name of DATA_FILES) files[name] = await describeFile(path.join(stagingDir, name));
      const manifest: IndexManifest = {
        formatVersion: FORMAT_VERSION,
        buildId,
        builtAt: new Date().toISOString(),
        corpusHash: corpus.corpusHash,
        embedder: { id: options.embedder.id, dimensions },
        chunker: options.chunker,
        documentCount: corpus.documents.length,
        chunkCount: chunks.length,
        files,
      };
      await writeFile(path.join(stagingDir, 'manifest.json'), JSON.stringify(manifest, null, 2));
      // The build becomes visible only by two renames: the folder, then the pointer. A crash before either leaves the
      // previous build current; a reader never sees a half-written one.
      await rename(stagingDir, path.join(buildsDir, buildId));
      await writeFileAtomically(currentPointer, JSON.stringify({ buildId }));
      await pruneOldBuilds(buildId);
      onProgress?.({ phase: 'saving', done: 1, total: 1 });
      vectorStore.index.setEf(searchEf);
      return {
        manifest,
        documents: corpus.documents,
        chunks,
        vectorStore,
        lexicalIndex,
        chunkPositionById: new Map(chunks.map((chunk, position) => [chunk.chunkId, position])),
      };
    } catch (error) {
      await rm(stagingDir, { recursive: true, force: true });
      throw error;
    }
  }

  async function readPointer(): Promise<string | undefined> {
    try {
      const pointer = JSON.parse(await readFile(currentPointer, 'utf8')) as { buildId?: unknown };
      return typeof pointer.buildId === 'string' && /^[\w-]+$/.test(pointer.buildId) ? pointer.buildId : undefined;
    } catch {
      return undefined;
    }
  }

  async function readCurrentManifest(): Promise<IndexManifest | undefined> {
    const buildId = await readPointer();
    if (buildId === undefined) return undefined;
    try {
      return JSON.parse(await readFile(path.join(buildsDir, buildId, 'manifest.json'), 'utf8')) as IndexManifest;
    } catch {
      return undefined;
    }
  }

  async function load(): Promise<CorpusIndex | undefined> {
    const buildId = await readPointer();
    if (buildId === undefined) return undefined;
    const buildDir = path.join(buildsDir, buildId);
    const corrupt = (why: string, cause?: unknown): TutorError =>
      new TutorError('INDEX_CORRUPT', `The index build ${buildId} is unusable (${why}); run \`npm run ingest\` to rebuild it`, { cause });
    let manifest: IndexManifest;
    try {
      manifest = JSON.parse(await readFile(path.join(buildDir, 'manifest.json'), 'utf8')) as IndexManifest;
    } catch (error) {
      throw corrupt('manifest.json is missing or unreadable', error);
    }
    if (manifest.formatVersion !== FORMAT_VERSION) throw corrupt(`format ${manifest.formatVersion}, expected ${FORMAT_VERSION}`);
    for (const name of DATA_FILES) {
      const expected = manifest.files?.[name];
      if (!expected) throw corrupt(`manifest does not list ${name}`);
      let actual: { bytes: number; sha256: string };
      try {
        actual = await describeFile(path.join(buildDir, name));
      } catch (error) {
        throw corrupt(`${name} is missing`, error);
      }
      if (actual.bytes !== expected.bytes) throw corrupt(`${name} has ${actual.bytes} bytes, expected ${expected.bytes}`);
      if (actual.sha256 !== expected.sha256) throw corrupt(`${name} does not match its checksum`);
    }
    try {
      const [vectorStore, chunks, documents, lexicalData] = await Promise.all([
        HNSWLib.load(buildDir, options.embedder.embeddings),
        readJson<ChunkRecord[]>(path.join(buildDir, 'chunks.json')),
        readJson<CorpusDocument[]>(path.join(buildDir, 'documents.json')),
        readJson<Bm25Data>(path.join(buildDir, 'lexical.json')),
      ]);
      if (chunks.length !== manifest.chunkCount || vectorStore.index.getCurrentCount() !== chunks.length) {
        throw new Error(`holds ${vectorStore.index.getCurrentCount()} vectors for ${chunks.length} chunks`);
      }
      vectorStore.index.setEf(searchEf);
      return {
        manifest,
        documents,
        chunks,
        vectorStore,
        lexicalIndex: createBm25Index(lexicalData),
        chunkPositionById: new Map(chunks.map((chunk, position) => [chunk.chunkId, position])),
      };
    } catch (error) {
      throw corrupt((error as Error).message, error);
    }
  }

  function checkFreshness(manifest: IndexManifest | undefined, corpusHash: string): FreshnessVerdict {
    if (manifest === undefined) return { fresh: false, reason: 'no index has been built yet' };
    if (manifest.formatVersion !== FORMAT_VERSION) return { fresh: false, reason: 'the index format has changed' };
    if (manifest.corpusHash !== corpusHash) return { fresh: false, reason: 'the corpus has changed since the index was built' };
    if (manifest.embedder?.id !== options.embedder.id) {
      return { fresh: false, reason: `the embedder changed (index: ${manifest.embedder?.id}, configured: ${options.embedder.id})` };
    }
    if (JSON.stringify(manifest.chunker) !== JSON.stringify(options.chunker))
      return { fresh: false, reason: 'the chunker settings changed' };
    return { fresh: true };
  }

  async function pruneOldBuilds(keep: string): Promise<void> {
    // Keep the previous build too: another process may be loading it at this moment.
    const entries = await readdir(buildsDir, { withFileTypes: true });
    const builds = entries
      .filter((entry) => entry.isDirectory() && !entry.name.startsWith('.'))
      .map((entry) => entry.name)
      .sort();
    const stale = builds.filter((name) => name !== keep).slice(0, -1);
    for (const name of stale) await rm(path.join(buildsDir, name), { recursive: true, force: true });
  }

  async function withBuildLock<T>(work: () => Promise<T>): Promise<T> {
    await mkdir(indexRoot, { recursive: true });
    const deadline = Date.now() + 10 * 60_000;
    for (;;) {
      try {
        await mkdir(lockDir);
        await writeFile(path.join(lockDir, 'owner.json'), JSON.stringify({ pid: process.pid, since: new Date().toISOString() }));
        break;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
        if (await lockIsAbandoned()) {
          await rm(lockDir, { recursive: true, force: true });
          continue;
        }
        if (Date.now() > deadline) throw new TutorError('INDEX_BUSY', `Another ingest has held ${lockDir} for too long`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
    try {
      return await work();
    } finally {
      await rm(lockDir, { recursive: true, force: true });
    }
  }

  async function lockIsAbandoned(): Promise<boolean> {
    try {
      const owner = JSON.parse(await readFile(path.join(lockDir, 'owner.json'), 'utf8')) as { pid?: number };
      if (typeof owner.pid !== 'number') return false;
      if (owner.pid === process.pid) return false;
      try {
        process.kill(owner.pid, 0);
        return false;
      } catch {
        return true;
      }
    } catch {
      // The owner file is written right after the folder: give a new lock a moment before calling it abandoned.
      try {
        const info = await stat(lockDir);
        return Date.now() - info.mtimeMs > 5_000;
      } catch {
        return false;
      }
    }
  }

  return { build, load, readCurrentManifest, checkFreshness, withBuildLock };
}

/** The normalised sum of the unit vectors of `vectors` (a zero vector stays out of the sum). */
function sumOfUnitVectors(vectors: readonly number[][]): number[] {
  const sum = new Array<number>(vectors[0]?.length ?? 0).fill(0);
  for (const vector of vectors) {
    const norm = Math.hypot(...vector);
    if (norm === 0) continue;
    for (let index = 0; index < sum.length; index += 1) sum[index] = (sum[index] as number) + (vector[index] as number) / norm;
  }
  const norm = Math.hypot(...sum);
  return norm > 0 ? sum.map((value) => value / norm) : sum;
}

async function describeFile(filePath: string): Promise<{ bytes: number; sha256: string }> {
  const content = await readFile(filePath);
  return { bytes: content.length, sha256: createHash('sha256').update(content).digest('hex') };
}

async function readJson<T>(filePath: string): Promise<T> {
  return JSON.parse(await readFile(filePath, 'utf8')) as T;
}

async function writeFileAtomically(filePath: string, content: string): Promise<void> {
  const temporary = `${filePath}.${process.pid}.${randomBytes(3).toString('hex')}.tmp`;
  await writeFile(temporary, content);
  await rename(temporary, filePath);
}

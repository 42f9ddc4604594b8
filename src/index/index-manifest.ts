import { randomBytes } from 'node:crypto';
import { readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import zlib from 'node:zlib';
import type { ChunkerSettings } from '../ingest/passage-chunker.js';
import { COLUMNS_FILE } from './column-scan.js';
import type { HnswGraphSettings, HnswShardFile } from './hnsw-vector-index.js';
import { LEXICAL_FILES } from './lexical-file.js';
import { PASSAGE_FILES } from './passage-file.js';

/**
 * Version of the saved layout. 2: hnswlib shards (hnswlib.index, hnswlib-1.index, ...) without LangChain HNSWLib's
 * args.json and docstore.json (chunks.json holds the passages), the lexical index as token ids (lexical.bin).
 * 3: documents' text once as UTF-16 (texts.bin) and chunks by column (passage-file.ts), BM25 postings saved
 * (lexical-file.ts), the column copy of the vectors sparse (vectors.csc, only for sparse vectors), CRC-32 checksums
 * instead of sha256.
 */
/** 4: a passage's rendering carries its document's rendered title. */
export const FORMAT_VERSION = 4;

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
  /**
   * The HNSW graph: parameters and one file per shard (positions dealt round-robin); `columns` when the vectors are
   * also saved by column for exact search (column-scan.ts; left out for dense vectors, where it cannot pay).
   */
  readonly vectors: HnswGraphSettings & { readonly shards: readonly HnswShardFile[]; readonly columns: boolean };
  /** Size and CRC-32 of every data file, so a truncated or corrupted file is caught before it is used. */
  readonly files: Readonly<Record<string, FileDescription>>;
}

export interface FileDescription {
  readonly bytes: number;
  /**
   * CRC-32 (zlib's, as 8 hex digits). It guards against truncated, half-written or bit-flipped files, not against
   * tampering (whoever can write a build folder can write its manifest too), and runs about 4 times faster than sha256
   * here: checking a 100,000-chunk build (430 MB) is most of its load time.
   */
  readonly crc32: string;
}

export type FreshnessVerdict = { readonly fresh: true } | { readonly fresh: false; readonly reason: string };

/** The data files of a build, as the builder writes them and the loader checks them against the manifest. */
export function buildDataFiles(vectors: { readonly shards: readonly HnswShardFile[]; readonly columns: boolean }): string[] {
  return [
    ...vectors.shards.map((shard) => shard.file),
    ...(vectors.columns ? [COLUMNS_FILE] : []),
    ...Object.values(PASSAGE_FILES),
    LEXICAL_FILES.meta,
    LEXICAL_FILES.ids,
  ];
}
/** Whether a manifest matches this corpus, embedder and chunker; says why not. */
export function checkManifestFreshness(
  manifest: IndexManifest | undefined,
  expected: { readonly corpusHash: string; readonly embedderId: string; readonly chunker: ChunkerSettings },
): FreshnessVerdict {
  if (manifest === undefined) return { fresh: false, reason: 'no index has been built yet' };
  if (manifest.formatVersion !== FORMAT_VERSION) return { fresh: false, reason: 'the index format has changed' };
  if (manifest.corpusHash !== expected.corpusHash) return { fresh: false, reason: 'the corpus has changed since the index was built' };
  if (manifest.embedder?.id !== expected.embedderId) {
    return { fresh: false, reason: `the embedder changed (index: ${manifest.embedder?.id}, configured: ${expected.embedderId})` };
  }
  if (JSON.stringify(manifest.chunker) !== JSON.stringify(expected.chunker))
    return { fresh: false, reason: 'the chunker settings changed' };
  return { fresh: true };
}

/** A CRC-32 as the manifest writes it: 8 lower-case hex digits. */
export function crc32Hex(value: number): string {
  return (value >>> 0).toString(16).padStart(8, '0');
}

export function describeContent(content: Uint8Array): FileDescription {
  return { bytes: content.length, crc32: crc32Hex(zlib.crc32(content)) };
}

/** A new build id: UTC time to the second and a random suffix, so ids sort by age. */
export function newBuildId(now = new Date()): string {
  return `${now
    .toISOString()
    .replace(/[-:.TZ]/g, '')
    .slice(0, 14)}-${randomBytes(4).toString('hex')}`;
}

/** The `builds/` folders and the `current.json` pointer of an index root. */
export interface BuildDirectory {
  readonly buildsDir: string;
  buildDir(buildId: string): string;
  /** The current build id, or undefined when there is none or the pointer is unreadable. */
  readPointer(): Promise<string | undefined>;
  /** Makes `buildId` current by an atomic rename of the pointer. */
  writePointer(buildId: string): Promise<void>;
  readManifest(buildId: string): Promise<IndexManifest | undefined>;
  /** Removes builds other than `keep` and the newest one before it (another process may be loading that one). */
  prune(keep: string): Promise<void>;
}

export function createBuildDirectory(indexRoot: string): BuildDirectory {
  const buildsDir = path.join(indexRoot, 'builds');
  const pointer = path.join(indexRoot, 'current.json');
  const buildDir = (buildId: string): string => path.join(buildsDir, buildId);
  return {
    buildsDir,
    buildDir,
    async readPointer() {
      try {
        const parsed = JSON.parse(await readFile(pointer, 'utf8')) as { buildId?: unknown };
        return typeof parsed.buildId === 'string' && /^[\w-]+$/.test(parsed.buildId) ? parsed.buildId : undefined;
      } catch {
        return undefined;
      }
    },
    async writePointer(buildId) {
      const temporary = `${pointer}.${process.pid}.${randomBytes(3).toString('hex')}.tmp`;
      await writeFile(temporary, JSON.stringify({ buildId }));
      await rename(temporary, pointer);
    },
    async readManifest(buildId) {
      try {
        return JSON.parse(await readFile(path.join(buildDir(buildId), 'manifest.json'), 'utf8')) as IndexManifest;
      } catch {
        return undefined;
      }
    },
    async prune(keep) {
      const entries = await readdir(buildsDir, { withFileTypes: true });
      const builds = entries
        .filter((entry) => entry.isDirectory() && !entry.name.startsWith('.'))
        .map((entry) => entry.name)
        .sort();
      const stale = builds.filter((name) => name !== keep).slice(0, -1);
      for (const name of stale) await rm(path.join(buildsDir, name), { recursive: true, force: true });
    },
  };
}

import { cp, readdir, readFile, truncate, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createCorpusApp } from '../../src/app/create-app.js';
import { createRecordingLogger, createTemporaryDirectory, shippedCorpusDir, testConfig } from '../support/test-runtime.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()!();
});

async function setup(env: Record<string, string> = {}) {
  const data = await createTemporaryDirectory('tutor-data-');
  const corpus = await createTemporaryDirectory('tutor-corpus-');
  cleanups.push(data.remove, corpus.remove);
  await cp(shippedCorpusDir, corpus.dir, { recursive: true });
  const make = async (extraEnv: Record<string, string> = {}) => {
    const { logger, lines } = createRecordingLogger();
    const config = testConfig({ dataDir: data.dir, corpusDir: corpus.dir, env: { ...env, ...extraEnv } });
    return { runtime: (await createCorpusApp({ config, logger })).corpus, lines };
  };
  return { dataDir: data.dir, corpusDir: corpus.dir, make };
}

async function currentBuildDir(dataDir: string): Promise<string> {
  const pointer = JSON.parse(await readFile(path.join(dataDir, 'index', 'current.json'), 'utf8')) as { buildId: string };
  return path.join(dataDir, 'index', 'builds', pointer.buildId);
}

describe('corpus index store', () => {
  it('builds a real HNSW index with a manifest, then loads it without rebuilding', async () => {
    const { dataDir, make } = await setup();
    const first = await make();
    const built = await first.runtime.ensureIndex();
    expect(built.rebuilt).toBe(true);
    expect(built.reason).toBe('no index has been built yet');
    expect(first.lines.some((line) => line.msg === 'Rebuilding the index: no index has been built yet')).toBe(true);

    const buildDir = await currentBuildDir(dataDir);
    const manifest = JSON.parse(await readFile(path.join(buildDir, 'manifest.json'), 'utf8'));
    expect(manifest.chunkCount).toBe(built.index.chunks.length);
    expect(manifest.embedder.dimensions).toBe(512);
    expect(manifest.embedder.id).toMatch(/^local-hash-v1/);
    expect(Object.keys(manifest.files)).toContain('hnswlib.index');
    expect(manifest.chunker).toEqual({ maxChars: 260, minChars: 80, overlapSentences: 0 });

    const second = await make();
    const loaded = await second.runtime.ensureIndex();
    expect(loaded.rebuilt).toBe(false);
    expect(loaded.index.chunks.map((chunk) => chunk.chunkId)).toEqual(built.index.chunks.map((chunk) => chunk.chunkId));
    const result = await second.runtime.passageSearch.search('炖牛肉的秘方');
    expect(result.passages[0]!.chunk.text).toContain('炖牛肉的秘方');
  });

  it('rebuilds with a log line saying why when the corpus changes', async () => {
    const { corpusDir, make } = await setup();
    await (await make()).runtime.ensureIndex();
    await writeFile(path.join(corpusDir, 'extra.md'), '---\ntitle: 补充\nlanguage: zh\n---\n\n蒸馏是把大模型的知识迁移到小模型的方法。');
    const next = await make();
    const result = await next.runtime.ensureIndex();
    expect(result.rebuilt).toBe(true);
    expect(result.reason).toBe('the corpus has changed since the index was built');
    expect(next.lines.some((line) => line.msg.includes('the corpus has changed'))).toBe(true);
    expect(result.index.chunks.some((chunk) => chunk.text.includes('蒸馏'))).toBe(true);
  });

  it('rebuilds when the embedder or the chunker settings change', async () => {
    const { make } = await setup();
    await (await make()).runtime.ensureIndex();
    const otherEmbedder = await (await make({ LOCAL_EMBEDDING_DIMENSIONS: '256' })).runtime.ensureIndex();
    expect(otherEmbedder.rebuilt).toBe(true);
    expect(otherEmbedder.reason).toMatch(/embedder changed/);
    expect(otherEmbedder.index.manifest.embedder.dimensions).toBe(256);
    const otherChunker = await (
      await make({ LOCAL_EMBEDDING_DIMENSIONS: '256', CHUNK_MAX_CHARS: '150', CHUNK_MIN_CHARS: '40' })
    ).runtime.ensureIndex();
    expect(otherChunker.rebuilt).toBe(true);
    expect(otherChunker.reason).toBe('the chunker settings changed');
  });

  it('detects a truncated index file and rebuilds instead of loading it', async () => {
    const { dataDir, make } = await setup();
    await (await make()).runtime.ensureIndex();
    const buildDir = await currentBuildDir(dataDir);
    await truncate(path.join(buildDir, 'hnswlib.index'), 100);
    const next = await make();
    const result = await next.runtime.ensureIndex();
    expect(result.rebuilt).toBe(true);
    expect(result.reason).toBe('the saved index is corrupt');
    expect(next.lines.some((line) => line.level === 40 && line.msg.includes('hnswlib.index has 100 bytes'))).toBe(true);
    const search = await next.runtime.passageSearch.search('什么是调教');
    expect(search.covered).toBe(true);
  });

  it('leaves the previous build current when a build fails half-way', async () => {
    const { dataDir, corpusDir, make } = await setup();
    await (await make()).runtime.ensureIndex();
    const before = await currentBuildDir(dataDir);
    await writeFile(path.join(corpusDir, 'extra.md'), '新的一段关于调教的文字。');
    const next = await make();
    const failingEmbedder = next.runtime.embedder.embeddings;
    const original = failingEmbedder.embedDocuments.bind(failingEmbedder);
    let calls = 0;
    failingEmbedder.embedDocuments = async (texts: string[]) => {
      calls += 1;
      if (calls === 1) throw new Error('embedder crashed');
      return original(texts);
    };
    await expect(next.runtime.ensureIndex()).rejects.toMatchObject({ code: 'EMBEDDINGS_FAILED' });
    expect(await currentBuildDir(dataDir)).toBe(before);
    const builds = await readdir(path.join(dataDir, 'index', 'builds'));
    expect(builds.filter((name) => name.startsWith('.staging'))).toEqual([]);
    const retried = await next.runtime.ensureIndex();
    expect(retried.rebuilt).toBe(true);
    expect(await currentBuildDir(dataDir)).not.toBe(before);
  });

  it('serialises two ingests of the same data folder', async () => {
    const { make } = await setup();
    const [left, right] = await Promise.all([make(), make()]);
    const order: string[] = [];
    const wrap = (name: string, runtime: typeof left.runtime) =>
      runtime.ensureIndex({ force: true, onProgress: (progress) => order.push(`${name}:${progress.phase}:${progress.done}`) });
    await Promise.all([wrap('a', left.runtime), wrap('b', right.runtime)]);
    // Each build's phases run to completion before the other's start: no interleaving of a and b.
    const firstOwner = order[0]!.split(':')[0];
    const switchIndex = order.findIndex((entry) => !entry.startsWith(`${firstOwner}:`));
    expect(switchIndex).toBeGreaterThan(0);
    expect(order.slice(switchIndex).every((entry) => !entry.startsWith(`${firstOwner}:`))).toBe(true);
  });
});

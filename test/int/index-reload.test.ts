import { cp, mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createCorpusApp } from '../../src/app/create-app.js';
import type { CorpusRuntime } from '../../src/app/create-corpus-runtime.js';
import type { IndexReloadResult } from '../../src/index/index-lifecycle.js';
import { createIndexWatcher } from '../../src/index/index-watcher.js';
import type { ChatResponse, HealthResponse } from '../../src/shared/chat-protocol.js';
import { createRecordingLogger, createTemporaryDirectory, repositoryRoot, shippedCorpusDir, testConfig } from '../support/test-runtime.js';
import { spawnTypeScript, startTutorProcess, type TutorProcess } from '../support/tutor-process.js';

/** A document the shipped corpus does not have: questions about 量化 are "not covered" until it is indexed. */
const QUANTIZATION_DOCUMENT = `---
title: 模型量化简介
language: zh
source: 测试用文档
---

模型量化是把模型权重从16位浮点数压缩成8位或4位整数的技术。量化以后,推理所需的显存明显减少,速度也更快,但精度可能略有下降。

## 量化的代价

量化会带来少量精度损失,所以量化后的模型通常需要在验证集上重新评估。
`;
const QUANTIZATION_QUESTION = '量化是什么？';
const isQuantizationPassage = (chunk: { source: string; title: string }): boolean => chunk.title === '模型量化简介';

interface Workspace {
  readonly corpusDir: string;
  readonly dataDir: string;
  remove(): Promise<void>;
}

/** A private copy of the shipped corpus and an empty data folder, so a test can change the corpus and re-ingest. */
async function createWorkspace(): Promise<Workspace> {
  const folder = await createTemporaryDirectory('tutor-index-reload-');
  const corpusDir = path.join(folder.dir, 'corpus');
  const dataDir = path.join(folder.dir, 'data');
  await cp(shippedCorpusDir, corpusDir, { recursive: true });
  await mkdir(dataDir);
  return { corpusDir, dataDir, remove: folder.remove };
}

/** A runtime as one process has it: the serving node, or `npm run ingest` in another process. */
async function openRuntime(workspace: Workspace, env: Record<string, string> = {}) {
  const { logger, lines } = createRecordingLogger();
  const config = testConfig({ dataDir: workspace.dataDir, corpusDir: workspace.corpusDir, env });
  const runtime = (await createCorpusApp({ config, logger })).corpus;
  return { runtime, lines };
}

async function addQuantizationDocument(workspace: Workspace): Promise<void> {
  await writeFile(path.join(workspace.corpusDir, 'quantization.md'), QUANTIZATION_DOCUMENT);
}

describe('a serving runtime follows index builds made by another process', () => {
  let workspace: Workspace;
  let serving: CorpusRuntime;
  let servingLogs: { level: number; msg: string }[];

  beforeEach(async () => {
    workspace = await createWorkspace();
    ({ runtime: serving, lines: servingLogs } = await openRuntime(workspace));
    await serving.ensureIndex();
  });
  afterEach(() => workspace.remove());

  it('swaps in a complete new build; a search already started keeps the index it started with', async () => {
    const before = await serving.passageSearch.search(QUANTIZATION_QUESTION);
    expect(before.covered).toBe(false);
    const oldIndex = serving.currentIndex();
    const oldChunkCount = oldIndex.chunks.length;

    await addQuantizationDocument(workspace);
    const { runtime: ingest } = await openRuntime(workspace);
    const built = await ingest.ensureIndex({ force: true });

    const startedBeforeSwap = serving.passageSearch.searchWithEvidence(QUANTIZATION_QUESTION);
    const reload = await serving.reloadIfChanged();
    expect(reload).toEqual({
      status: 'reloaded',
      buildId: built.index.manifest.buildId,
      previousBuildId: oldIndex.manifest.buildId,
      chunks: built.index.chunks.length,
    });
    expect(built.index.chunks.length).toBeGreaterThan(oldChunkCount);

    const inFlight = await startedBeforeSwap;
    expect(inFlight.ranked.length).toBeGreaterThan(0);
    expect(inFlight.ranked.some((passage) => isQuantizationPassage(passage.chunk))).toBe(false);

    const after = await serving.passageSearch.search(QUANTIZATION_QUESTION);
    expect(after.covered).toBe(true);
    expect(isQuantizationPassage(after.passages[0]!.chunk)).toBe(true);
    const answer = await serving.offlineAnswerer.answer({ question: QUANTIZATION_QUESTION, history: [] });
    expect(answer.grounded).toBe(true);
    expect(answer.citations.some((citation) => citation.title === '模型量化简介')).toBe(true);
    // The old index object was replaced, not modified: whoever still holds it sees the old build whole.
    expect(oldIndex.chunks).toHaveLength(oldChunkCount);
    expect(serving.currentIndex()).not.toBe(oldIndex);
    expect(
      servingLogs.some(
        (line) => line.msg === `Switched to index build ${built.index.manifest.buildId} (${built.index.chunks.length} chunks)`,
      ),
    ).toBe(true);

    expect(await serving.reloadIfChanged()).toEqual({ status: 'unchanged' });
  });

  it('while a rebuild runs, readers only ever see the old index or the complete new one', async () => {
    const oldIndex = serving.currentIndex();
    await addQuantizationDocument(workspace);
    const { runtime: ingest } = await openRuntime(workspace);
    let building = true;
    const rebuild = ingest.ensureIndex({ force: true }).finally(() => {
      building = false;
    });
    const seen = new Set<string>();
    const results: IndexReloadResult['status'][] = [];
    // Poll as fast as the event loop allows while the other runtime chunks, embeds and saves.
    while (building) {
      results.push((await serving.reloadIfChanged()).status);
      const index = serving.currentIndex();
      seen.add(`${index.manifest.buildId}:${index.chunks.length}:${index.vectorIndex.size}`);
      await new Promise((resolve) => setImmediate(resolve));
    }
    const built = (await rebuild).index;
    results.push((await serving.reloadIfChanged()).status);
    seen.add(
      `${serving.currentIndex().manifest.buildId}:${serving.currentIndex().chunks.length}:${serving.currentIndex().vectorIndex.size}`,
    );

    expect(results.length).toBeGreaterThan(2);
    expect(results.filter((status) => status === 'refused')).toEqual([]);
    expect(results.filter((status) => status === 'reloaded')).toEqual(['reloaded']);
    const complete = (index: typeof oldIndex): string => `${index.manifest.buildId}:${index.chunks.length}:${index.chunks.length}`;
    expect([...seen].every((state) => state === complete(oldIndex) || state === complete(built))).toBe(true);
    expect(serving.currentIndex().manifest.buildId).toBe(built.manifest.buildId);
    expect(servingLogs.filter((line) => line.level >= 40)).toEqual([]);
  });

  it('refuses a corrupt build and a build made with another embedder, keeps serving, and warns once per build', async () => {
    const inUse = serving.currentIndex().manifest.buildId;
    const indexRoot = path.join(workspace.dataDir, 'index');
    // A build folder whose data does not match its manifest (e.g. copied by hand, half-written by another tool).
    const brokenId = '29990101000000-deadbeef';
    await cp(path.join(indexRoot, 'builds', inUse), path.join(indexRoot, 'builds', brokenId), { recursive: true });
    const chunksFile = path.join(indexRoot, 'builds', brokenId, 'chunks.json');
    await writeFile(chunksFile, (await readFile(chunksFile, 'utf8')).slice(0, -40));
    const manifestFile = path.join(indexRoot, 'builds', brokenId, 'manifest.json');
    await writeFile(manifestFile, JSON.stringify({ ...JSON.parse(await readFile(manifestFile, 'utf8')), buildId: brokenId }));
    await writeFile(path.join(indexRoot, 'current.json'), JSON.stringify({ buildId: brokenId }));

    const refused = await serving.reloadIfChanged();
    expect(refused).toMatchObject({ status: 'refused', buildId: brokenId, reason: expect.stringMatching(/chunks\.json/) });
    expect(await serving.reloadIfChanged()).toMatchObject({ status: 'refused', buildId: brokenId });
    expect(serving.currentIndex().manifest.buildId).toBe(inUse);
    expect((await serving.passageSearch.search('微调是什么？')).covered).toBe(true);
    expect(servingLogs.filter((line) => line.level === 40 && line.msg.includes(brokenId))).toHaveLength(1);

    // An ingest run with other embedding settings: its vectors cannot be compared with this node's question vectors.
    const { runtime: otherEmbedder } = await openRuntime(workspace, { LOCAL_EMBEDDING_DIMENSIONS: '256' });
    const mismatched = (await otherEmbedder.ensureIndex({ force: true })).index.manifest.buildId;
    expect(await serving.reloadIfChanged()).toMatchObject({
      status: 'refused',
      buildId: mismatched,
      reason: expect.stringMatching(/embedder/),
    });
    expect(serving.currentIndex().manifest.buildId).toBe(inUse);
    expect(servingLogs.filter((line) => line.level === 40 && line.msg.includes(mismatched))).toHaveLength(1);

    // A good build afterwards is taken.
    const { runtime: ingest } = await openRuntime(workspace);
    const good = (await ingest.ensureIndex({ force: true })).index.manifest.buildId;
    expect(await serving.reloadIfChanged()).toMatchObject({ status: 'reloaded', buildId: good });
  });

  it('the index watcher polls by itself and stops when told', async () => {
    const checks: IndexReloadResult[] = [];
    const { logger } = createRecordingLogger();
    const watcher = createIndexWatcher({ runtime: serving, logger, intervalMs: 30, onCheck: (result) => checks.push(result) });
    watcher.start();
    try {
      await addQuantizationDocument(workspace);
      const { runtime: ingest } = await openRuntime(workspace);
      const built = (await ingest.ensureIndex({ force: true })).index.manifest.buildId;
      await expect.poll(() => serving.currentIndex().manifest.buildId, { timeout: 5_000, interval: 20 }).toBe(built);
      expect(checks.some((result) => result.status === 'reloaded')).toBe(true);
    } finally {
      await watcher.stop();
    }
    const stoppedAt = checks.length;
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(checks.length).toBe(stoppedAt);
  });
});

/** `npm run ingest` as a separate process, exactly as an operator runs it next to serving nodes. */
function runIngest(workspace: Workspace): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawnTypeScript(path.join(repositoryRoot, 'src', 'cli', 'ingest-command.ts'), {
      CORPUS_DIR: workspace.corpusDir,
      DATA_DIR: workspace.dataDir,
    });
    let output = '';
    child.stdout.on('data', (data: Buffer) => (output += data.toString()));
    child.stderr.on('data', (data: Buffer) => (output += data.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.once('error', reject);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

describe('a running tutor process', () => {
  let workspace: Workspace | undefined;
  let node: TutorProcess | undefined;
  afterAll(async () => {
    await node?.close();
    await workspace?.remove();
  });

  it('picks up a new index from `npm run ingest` without a restart, answering throughout', async () => {
    workspace = await createWorkspace();
    await (await openRuntime(workspace)).runtime.ensureIndex();
    node = await startTutorProcess({
      name: 'node',
      env: {
        CORPUS_DIR: workspace.corpusDir,
        DATA_DIR: workspace.dataDir,
        INDEX_WATCH_INTERVAL_MS: '200',
        HTTP_RATE_LIMIT_PER_MINUTE: '100000',
      },
    });
    const baseUrl = node.baseUrl;
    const health = async (): Promise<HealthResponse> => (await (await fetch(`${baseUrl}/api/health`)).json()) as HealthResponse;
    const askQuantization = async (): Promise<ChatResponse> => {
      const response = await fetch(`${baseUrl}/api/chat`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ message: QUANTIZATION_QUESTION }),
      });
      expect(response.status).toBe(200);
      return (await response.json()) as ChatResponse;
    };
    const chunksBefore = (await health()).chunks;
    expect((await askQuantization()).grounded).toBe(false);

    await addQuantizationDocument(workspace);
    // Learners keep asking while the index is rebuilt and swapped.
    let asking = true;
    const statuses: number[] = [];
    const learner = (async () => {
      while (asking) {
        const response = await fetch(`${baseUrl}/api/chat`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ message: '微调和调教有什么区别？' }),
        });
        statuses.push(response.status);
        await response.body?.cancel();
      }
    })();
    try {
      const second = await runIngest(workspace);
      expect(second.code, second.output).toBe(0);
      await expect.poll(async () => (await health()).chunks, { timeout: 10_000, interval: 100 }).not.toBe(chunksBefore);
    } finally {
      asking = false;
      await learner;
    }
    expect((await health()).chunks).toBeGreaterThan(chunksBefore);
    expect(statuses.length).toBeGreaterThan(0);
    expect(statuses.filter((status) => status !== 200)).toEqual([]);
    const answer = await askQuantization();
    expect(answer.grounded).toBe(true);
    expect(answer.citations.some((citation) => citation.title === '模型量化简介')).toBe(true);
    expect(node.logs.some((line) => line.msg.startsWith('Switched to index build'))).toBe(true);
    // SIGTERM stops the watcher with the server: a clean exit.
    expect(await node.close()).toBe(0);
  }, 60_000);
});

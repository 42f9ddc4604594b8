import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createFakeOpenAIServer, type FakeOpenAIServer } from '../support/fake-openai-server.js';
import { createTemporaryDirectory, repositoryRoot } from '../support/test-runtime.js';
import { startTutorProcess, type TutorProcess } from '../support/tutor-process.js';

/**
 * What `npm start` (scripts/start-tutor.mjs, the bundled server) loads before it is ready: offline, none of the model
 * clients, LangChain's agent (`langchain`, LangGraph), the Redis client or langsmith, which were most of a cold start's
 * module loading; with a model configured, the OpenAI client is there. Observed from outside through the process's ESM
 * loader (test/support/record-loaded-modules.mjs).
 */

const NOT_LOADED_OFFLINE = [
  'langchain',
  '@langchain/langgraph',
  '@langchain/openai',
  'openai',
  'langsmith',
  'ioredis',
  '@socket.io/redis-adapter',
];

/** The packages (`@scope/name` or `name`) among loaded module URLs. */
function packagesOf(urls: readonly string[]): Set<string> {
  const names = new Set<string>();
  for (const url of urls) {
    const match = /\/node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(url);
    if (match?.[1]) names.add(match[1]);
  }
  return names;
}

describe('npm start loads only what its mode uses', () => {
  let node: TutorProcess | undefined;
  let fake: FakeOpenAIServer | undefined;
  let removeData: (() => Promise<void>) | undefined;

  afterEach(async () => {
    await node?.close();
    await fake?.close();
    await removeData?.();
  });

  /** Starts `node scripts/start-tutor.mjs` until ready, stops it, and returns the URLs of the modules it loaded. */
  async function loadedModules(env: Record<string, string>): Promise<string[]> {
    const data = await createTemporaryDirectory('tutor-modules-');
    removeData = data.remove;
    const file = path.join(data.dir, 'loaded-modules.txt');
    node = await startTutorProcess({
      name: 'start',
      nodeArgs: ['--import', './test/support/record-loaded-modules.mjs', path.join(repositoryRoot, 'scripts', 'start-tutor.mjs')],
      env: { DATA_DIR: data.dir, INDEX_WATCH_INTERVAL_MS: '0', LOADED_MODULES_FILE: file, ...env },
      readyTimeoutMs: 90_000,
    });
    await node.waitForLog((line) => line.msg.startsWith('Tutor ready'), 90_000);
    expect(await node.close()).toBe(0);
    const urls = (await readFile(file, 'utf8')).split('\n').filter((line) => line !== '');
    // The bundle ran, not the tsx fallback.
    expect(urls, node.output()).toContain(`file://${path.join(repositoryRoot, 'dist', 'server.mjs')}`);
    expect(urls.some((url) => url.endsWith('.ts'))).toBe(false);
    return urls;
  }

  it('offline: no model client, Redis client or langsmith is loaded', { timeout: 120_000 }, async () => {
    const packages = packagesOf(await loadedModules({}));
    expect(packages.has('express')).toBe(true);
    expect(NOT_LOADED_OFFLINE.filter((name) => packages.has(name))).toEqual([]);
  });

  it('LLM mode: the OpenAI client is loaded at start', { timeout: 120_000 }, async () => {
    fake = await createFakeOpenAIServer();
    const packages = packagesOf(await loadedModules({ OPENAI_API_KEY: 'test-key', OPENAI_BASE_URL: fake.url }));
    expect(packages.has('@langchain/openai')).toBe(true);
    expect(packages.has('openai')).toBe(true);
  });
});

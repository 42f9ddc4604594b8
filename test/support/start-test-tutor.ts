import path from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { buildWidgetIfStale } from '../../scripts/build-widget.js';
import { createApp, type TutorApp } from '../../src/app/create-app.js';
import type { CorpusRuntime } from '../../src/app/create-corpus-runtime.js';
import type { TutorConfig } from '../../src/config.js';
import type { TutorServer } from '../../src/server/create-tutor-server.js';
import type { ConversationStore } from '../../src/stores/conversations/conversation-store.js';
import type { TutorAnswerer } from '../../src/tutor/tutor-types.js';
import { createRecordingLogger, createTemporaryDirectory, repositoryRoot, testConfig } from './test-runtime.js';

export interface StartTestTutorOptions {
  /** Corpus to index. @default the shipped corpus/ */
  readonly corpusDir?: string;
  /** Environment overrides, e.g. `{ OPENAI_API_KEY: 'test', OPENAI_BASE_URL: fake.url }`. */
  readonly env?: Record<string, string>;
  /** Replace the configured answerer (wrap it to observe or delay answers). */
  readonly wrapAnswerer?: (answerer: TutorAnswerer, runtime: CorpusRuntime) => TutorAnswerer;
  readonly conversations?: ConversationStore;
}

export interface TestTutor {
  /** e.g. `http://127.0.0.1:40123` */
  readonly baseUrl: string;
  readonly port: number;
  readonly app: TutorApp;
  readonly server: TutorServer;
  readonly runtime: CorpusRuntime;
  readonly config: TutorConfig;
  readonly logLines: { level: number; msg: string; [key: string]: unknown }[];
  close(): Promise<void>;
}

/**
 * The real tutor (HTTP, socket.io, demo page, widget assets), wired by the same composition root as `npm start`, on
 * 127.0.0.1, port 0, over a fresh index in a temporary folder.
 */
export async function startTestTutor(options: StartTestTutorOptions = {}): Promise<TestTutor> {
  await buildWidgetIfStale();
  const data = await createTemporaryDirectory('tutor-server-');
  const config = testConfig({
    dataDir: data.dir,
    ...(options.corpusDir ? { corpusDir: options.corpusDir } : {}),
    env: { LOG_LEVEL: 'debug', ...options.env },
  });
  const { logger, lines } = createRecordingLogger();
  const app = await createApp({
    config,
    logger,
    webAssetsDir: path.join(repositoryRoot, 'dist', 'web'),
    ...(options.wrapAnswerer ? { wrapAnswerer: options.wrapAnswerer } : {}),
    ...(options.conversations ? { conversations: options.conversations } : {}),
  });
  await app.corpus.ensureIndex();
  const port = await app.server.listen(0, '127.0.0.1');
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    port,
    app,
    server: app.server,
    runtime: app.corpus,
    config,
    logLines: lines,
    async close() {
      await app.close();
      await data.remove();
    },
  };
}

/**
 * One test tutor for the whole test file (or `describe` block): started before its first test, closed after its last.
 * Call it at the top level of the file or of the block; the function it returns gives the started tutor inside a test.
 * Options that need something an earlier `beforeAll` starts (a fake model's URL, a corpus folder) are given as a
 * function, called when the tutor starts; hooks registered before this call run before it and are undone after it.
 */
export function useTestTutor(options: StartTestTutorOptions | (() => StartTestTutorOptions) = {}): () => TestTutor {
  let tutor: TestTutor | undefined;
  beforeAll(async () => {
    tutor = await startTestTutor(typeof options === 'function' ? options() : options);
  }, 120_000);
  afterAll(async () => {
    await tutor?.close();
  });
  return () => {
    if (tutor === undefined) throw new Error('The test tutor is not started yet: use it inside a test or a hook');
    return tutor;
  };
}

import path from 'node:path';
import { buildWidgetIfStale } from '../../scripts/build-widget.js';
import type { TutorConfig } from '../../src/config.js';
import type { ConversationStore } from '../../src/conversations/conversation-store.js';
import { type CorpusRuntime, createCorpusRuntime } from '../../src/runtime/create-corpus-runtime.js';
import { createSharedState } from '../../src/runtime/create-shared-state.js';
import { createConfiguredAnswerer } from '../../src/runtime/create-tutor-answerer.js';
import { createConfiguredTutorModes } from '../../src/runtime/create-tutor-modes.js';
import { createTutorServer, type TutorServer } from '../../src/server/create-tutor-server.js';
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
  readonly server: TutorServer;
  readonly runtime: CorpusRuntime;
  readonly config: TutorConfig;
  readonly logLines: { level: number; msg: string; [key: string]: unknown }[];
  close(): Promise<void>;
}

/** The real tutor server (HTTP, socket.io, demo page, widget assets) on 127.0.0.1, port 0, over a fresh index. */
export async function startTestTutor(options: StartTestTutorOptions = {}): Promise<TestTutor> {
  await buildWidgetIfStale();
  const data = await createTemporaryDirectory('tutor-server-');
  const config = testConfig({
    dataDir: data.dir,
    ...(options.corpusDir ? { corpusDir: options.corpusDir } : {}),
    env: { LOG_LEVEL: 'debug', ...options.env },
  });
  const { logger, lines } = createRecordingLogger();
  const runtime = await createCorpusRuntime({ config, logger });
  await runtime.ensureIndex();
  const configured = createConfiguredAnswerer({ config, runtime, logger });
  const answerer = options.wrapAnswerer ? options.wrapAnswerer(configured.answerer, runtime) : configured.answerer;
  const shared = await createSharedState({ config, logger });
  const conversations = options.conversations ?? shared.conversations;
  const server = createTutorServer({
    config,
    logger,
    runtime,
    answerer,
    conversations,
    tutorModes: createConfiguredTutorModes({ config, runtime, shared: { ...shared, conversations } }),
    llmDescription: configured.llmDescription,
    webAssetsDir: path.join(repositoryRoot, 'dist', 'web'),
    ...(shared.rateLimitStore ? { rateLimitStore: shared.rateLimitStore } : {}),
    ...(shared.configureSocketServer ? { configureSocketServer: shared.configureSocketServer } : {}),
  });
  const port = await server.listen(0, '127.0.0.1');
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    port,
    server,
    runtime,
    config,
    logLines: lines,
    async close() {
      await server.close();
      await conversations.close();
      await shared.close();
      await data.remove();
    },
  };
}

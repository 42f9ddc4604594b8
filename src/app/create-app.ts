/**
 * The composition root: the only place that wires the pipeline together. `npm start` (src/main.ts), every CLI command,
 * the benchmarks and the test helpers build the tutor through these two functions, so what is tested is what runs.
 *
 *   config ─► corpus runtime (analyzer, embedder, index lifecycle, search, offline answerer)
 *          ─► stores (memory, or Redis with REDIS_URL)
 *          ─► answerer (offline, or the model with its fallback and budgets)
 *          ─► tutor modes (quiz, progress, feedback) ─► server (REST, SSE, socket.io, demo page)
 */
import type { TutorConfig } from '../config.js';
import { createTutorServer, type TutorServer } from '../server/create-tutor-server.js';
import type { ConversationStore } from '../stores/conversations/conversation-store.js';
import type { Logger } from '../support/logger.js';
import type { TutorModes } from '../tutor/tutor-modes.js';
import type { TutorAnswerer } from '../tutor/tutor-types.js';
import { createConfiguredAnswerer, createModelShared, type ModelObserver } from './create-answerer.js';
import { type CorpusRuntime, createCorpusRuntime } from './create-corpus-runtime.js';
import { createStores, type Stores } from './create-stores.js';
import { createConfiguredTutorModes } from './create-tutor-modes.js';

export interface CorpusAppOptions {
  readonly config: TutorConfig;
  readonly logger: Logger;
  /** Watches the model's answers and calls (the LLM-mode evaluation). @default nobody */
  readonly observeModel?: ModelObserver;
}

/** What the CLI needs: the corpus runtime and the configured answerer, with budgets counted in this process. */
export interface CorpusApp {
  readonly config: TutorConfig;
  readonly corpus: CorpusRuntime;
  readonly answerer: TutorAnswerer;
  /** e.g. `openai:gpt-4o-mini` or `none (offline)`. */
  readonly llmDescription: string;
}

/** The corpus runtime and answerer without any server or shared store (the CLI, evaluation, benchmarks). */
export async function createCorpusApp(options: CorpusAppOptions): Promise<CorpusApp> {
  const corpus = await createCorpusRuntime(options);
  const { answerer, llmDescription } = await createConfiguredAnswerer({
    config: options.config,
    runtime: corpus,
    logger: options.logger,
    model: createModelShared(options.config, undefined, options.observeModel),
  });
  return { config: options.config, corpus, answerer, llmDescription };
}

export interface AppOptions extends CorpusAppOptions {
  /** Wraps the configured answerer (tests observe or delay answers through it). @default the configured answerer */
  readonly wrapAnswerer?: (answerer: TutorAnswerer, corpus: CorpusRuntime) => TutorAnswerer;
  /** A conversation store to use instead of the configured one (tests). @default memory, or Redis with REDIS_URL */
  readonly conversations?: ConversationStore;
  /**
   * Folder of the built widget and demo page assets (`<repository>/dist/web`). Given by the entry point: this module is
   * bundled by `npm start`, where its own location is not the repository's.
   */
  readonly webAssetsDir: string;
}

/** The whole tutor: everything a serving process needs, not yet listening. */
export interface TutorApp extends CorpusApp {
  readonly logger: Logger;
  readonly stores: Stores;
  readonly tutorModes: TutorModes;
  readonly server: TutorServer;
  /** Stops the server (graceful, see TutorServer.close), then closes the stores. Idempotent. */
  close(): Promise<void>;
}

export async function createApp(options: AppOptions): Promise<TutorApp> {
  const { config, logger } = options;
  const corpus = await createCorpusRuntime({ config, logger });
  const connected = await createStores({ config, logger });
  const stores: Stores = options.conversations ? { ...connected, conversations: options.conversations } : connected;
  // One model budget and endpoint memory for every model user of the process (answers, quizzes).
  const model = createModelShared(config, stores.modelAnswerBudget);
  const configured = await createConfiguredAnswerer({ config, runtime: corpus, logger, model });
  const answerer = options.wrapAnswerer ? options.wrapAnswerer(configured.answerer, corpus) : configured.answerer;
  const tutorModes = await createConfiguredTutorModes({ config, runtime: corpus, shared: stores, model });
  const server = createTutorServer({
    config,
    logger,
    runtime: corpus,
    answerer,
    conversations: stores.conversations,
    tutorModes,
    llmDescription: configured.llmDescription,
    webAssetsDir: options.webAssetsDir,
    ...(stores.rateLimitStore ? { rateLimitStore: stores.rateLimitStore } : {}),
    ...(stores.configureSocketServer ? { configureSocketServer: stores.configureSocketServer } : {}),
  });
  let closing: Promise<void> | undefined;
  return {
    config,
    logger,
    corpus,
    answerer,
    llmDescription: configured.llmDescription,
    stores,
    tutorModes,
    server,
    close() {
      closing ??= (async () => {
        await server.close();
        if (options.conversations) await options.conversations.close();
        await stores.close();
      })();
      return closing;
    },
  };
}

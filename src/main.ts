/**
 * `npm start`: the tutor server. It listens at once (health says "starting"), builds or loads the index (progress in
 * the log), then serves the API, socket.io and the demo page. Offline unless OPENAI_API_KEY is set.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createApp } from './app/create-app.js';
import { loadConfig, type TutorConfig } from './config.js';
import { isTutorError } from './errors/tutor-error.js';
import { createIndexWatcher, type IndexWatcher } from './index/index-watcher.js';
import { createLogger } from './support/logger.js';

const repositoryRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

async function main(): Promise<void> {
  let config: TutorConfig;
  try {
    config = loadConfig();
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n`);
    process.exit(1);
  }
  const logger = createLogger({ level: config.logLevel });
  process.on('unhandledRejection', (reason) => logger.error({ err: reason }, 'unhandled rejection'));

  const app = await createApp({ config, logger, webAssetsDir: path.join(repositoryRoot, 'dist', 'web') });
  const { corpus, server } = app;
  let port: number;
  try {
    port = await server.listen(config.port, config.host);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    logger.fatal(
      { err: error },
      code === 'EADDRINUSE' ? `Port ${config.port} is already in use: stop the other server or set PORT` : 'Could not listen',
    );
    await app.stores.close();
    process.exit(1);
  }
  const shownHost = config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host;
  const mode = config.llm ? `LLM mode with ${app.llmDescription}` : 'offline mode: no model, answers composed from the article';
  logger.info(
    { port, llm: app.llmDescription, embeddings: corpus.embedder.id, state: app.stores.description },
    `Tutor listening on http://${shownHost}:${port} (${mode}); preparing the index`,
  );

  // Signals are handled from the moment the port is open: a SIGTERM while the index is still being prepared stops
  // the tutor as cleanly as one after it is ready.
  let indexWatcher: IndexWatcher | undefined;
  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal, inFlight: server.chat.inFlight() }, 'Shutting down: finishing answers in flight');
    // A backstop: the server cuts answers off at the grace period and closes every connection, so this never fires
    // unless a store hangs; a process manager (systemd TimeoutStopSec) must then not have to SIGKILL it.
    setTimeout(() => {
      logger.error({ graceMs: config.shutdownGraceMs }, 'Shutdown did not complete within the grace period plus 1 s; exiting');
      process.exit(1);
    }, config.shutdownGraceMs + 1000).unref();
    void Promise.all([indexWatcher?.stop(), app.close()]).then(
      () => {
        logger.info('Stopped');
        process.exit(0);
      },
      (error: unknown) => {
        logger.error({ err: error }, 'Unclean shutdown');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));

  let lastLogged = 0;
  try {
    const result = await corpus.ensureIndex({
      onProgress: (progress) => {
        const now = Date.now();
        if (now - lastLogged > 1000 || progress.done === progress.total) {
          lastLogged = now;
          logger.info(
            { phase: progress.phase, done: progress.done, total: progress.total },
            `Indexing: ${progress.phase} ${progress.done}/${progress.total}`,
          );
        }
      },
    });
    logger.info(
      { chunks: result.index.chunks.length, rebuilt: result.rebuilt, ms: Math.round(result.elapsedMs) },
      `Tutor ready on http://${shownHost}:${port} (${config.llm ? `LLM ${app.llmDescription}` : 'offline mode'})`,
    );
  } catch (error) {
    if (stopping) return; // the shutdown closed what the build was using; stop() exits.
    logger.fatal({ err: error }, isTutorError(error) ? error.message : 'Could not prepare the index');
    await app.close();
    process.exit(1);
  }

  // Nodes share one index folder: a rebuild by `npm run ingest` is picked up here once it is complete.
  if (stopping) return;
  indexWatcher = createIndexWatcher({ runtime: corpus, logger, intervalMs: config.indexWatchIntervalMs });
  indexWatcher.start();
}

void main();

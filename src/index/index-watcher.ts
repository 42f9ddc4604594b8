import type { Logger } from '../support/logger.js';
import type { IndexLifecycle, IndexReloadResult } from './index-lifecycle.js';

export interface IndexWatcherDeps {
  readonly runtime: Pick<IndexLifecycle, 'reloadIfChanged'>;
  readonly logger: Logger;
  /** Time between two checks of the current-build pointer; 0 turns watching off. */
  readonly intervalMs: number;
  /** Called after each check, e.g. for tests and metrics. */
  readonly onCheck?: (result: IndexReloadResult) => void;
}

export interface IndexWatcher {
  /** Starts polling (no-op when already started or when the interval is 0). */
  start(): void;
  /** Stops polling and waits for a check in progress to end. */
  stop(): Promise<void>;
}

/**
 * Lets a serving node pick up an index rebuilt by `npm run ingest` (on a folder shared by several nodes) without a
 * restart: every `intervalMs` it asks the runtime to follow the current-build pointer. Checks never overlap (the next
 * one is scheduled when the previous ends) and the timer does not keep the process alive.
 */
export function createIndexWatcher(deps: IndexWatcherDeps): IndexWatcher {
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  let started = false;

  const schedule = (): void => {
    if (!started) return;
    timer = setTimeout(() => {
      timer = undefined;
      running = deps.runtime.reloadIfChanged().then(
        (result) => {
          deps.onCheck?.(result);
        },
        (error: unknown) => {
          deps.logger.warn({ err: error }, 'Could not check for a new index build');
        },
      );
      void running.finally(() => {
        running = undefined;
        schedule();
      });
    }, deps.intervalMs);
    timer.unref();
  };

  return {
    start() {
      if (started || deps.intervalMs <= 0) return;
      started = true;
      deps.logger.debug({ intervalMs: deps.intervalMs }, 'Watching for new index builds');
      schedule();
    },
    async stop() {
      started = false;
      if (timer) clearTimeout(timer);
      timer = undefined;
      await running;
    },
  };
}

import cliProgress from 'cli-progress';
import { type Logger, pino } from 'pino';
import { debugOutputEnabled, loadConfig, type TutorConfig } from '../config.js';
import { isTutorError } from '../errors/tutor-error.js';
import type { IndexProgress } from '../index/corpus-index-store.js';

const LEVEL_NAMES: Readonly<Record<number, string>> = { 10: 'trace', 20: 'debug', 30: 'info', 40: 'warn', 50: 'error', 60: 'fatal' };

/** A pino logger that prints `[level] message` lines on stderr: the CLI's output is for people, not log shippers. */
export function createCliLogger(level: string): Logger {
  return pino(
    { level },
    {
      write(line: string) {
        try {
          const record = JSON.parse(line) as { level: number; msg?: string };
          process.stderr.write(`[${LEVEL_NAMES[record.level] ?? record.level}] ${record.msg ?? ''}\n`);
        } catch {
          process.stderr.write(line);
        }
      },
    },
  );
}

export function loadCliConfig(): TutorConfig {
  return loadConfig();
}

/** Runs a command's main function; a TutorError prints its message (no stack) and exits 1. */
export function runCli(main: () => Promise<void>): void {
  main().then(
    () => process.exit(process.exitCode ?? 0),
    (error: unknown) => {
      if (isTutorError(error)) {
        process.stderr.write(`Error (${error.code}): ${error.message}\n`);
        if (debugOutputEnabled()) process.stderr.write(`${String((error as Error).stack)}\n`);
      } else {
        process.stderr.write(`Unexpected error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      }
      process.exit(1);
    },
  );
}

/** A terminal progress bar for index builds; silent when stderr is not a terminal (CI, pipes). */
export function createProgressReporter(): { onProgress: (progress: IndexProgress) => void; stop: () => void } {
  if (!process.stderr.isTTY) return { onProgress: () => undefined, stop: () => undefined };
  const bar = new cliProgress.SingleBar(
    { stream: process.stderr, format: ' {phase} [{bar}] {value}/{total}', hideCursor: true, clearOnComplete: true },
    cliProgress.Presets.shades_classic,
  );
  let phase: string | undefined;
  return {
    onProgress(progress) {
      if (progress.phase !== phase) {
        if (phase !== undefined) bar.stop();
        phase = progress.phase;
        bar.start(progress.total, progress.done, { phase: progress.phase.padEnd(9) });
      } else bar.update(progress.done, { phase: progress.phase.padEnd(9) });
    },
    stop() {
      if (phase !== undefined) bar.stop();
    },
  };
}

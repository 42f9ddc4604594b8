import { type ChildProcess, type ChildProcessByStdio, spawn } from 'node:child_process';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { repositoryRoot, shippedCorpusDir } from './test-runtime.js';

export interface TutorLogLine {
  readonly level: number;
  readonly msg: string;
  readonly [key: string]: unknown;
}

export interface TutorProcess {
  /** e.g. `node-a`, to tell nodes apart in failure messages. */
  readonly name: string;
  /** e.g. `http://127.0.0.1:40123` */
  readonly baseUrl: string;
  readonly port: number;
  readonly pid: number;
  /** Every JSON log line the process has written so far. */
  readonly logs: readonly TutorLogLine[];
  /** Whether the process is still running. */
  alive(): boolean;
  /** Resolves with the first matching log line at position `fromLine` or later (already written or to come). */
  waitForLog(matches: (line: TutorLogLine) => boolean, timeoutMs?: number, fromLine?: number): Promise<TutorLogLine>;
  /** Sends a signal and returns at once (a shutdown test watches what happens meanwhile). */
  signal(signal: NodeJS.Signals): void;
  /** Resolves when the process has exited, with its code and the signal that ended it (null when it exited itself). */
  exited(): Promise<{ readonly code: number | null; readonly signal: NodeJS.Signals | null }>;
  /** The last lines it wrote (stdout and stderr), for failure messages. */
  output(): string;
  /** SIGTERM (graceful shutdown), SIGKILL after 10 s; resolves with the exit code. */
  close(): Promise<number | null>;
}

export interface StartTutorProcessOptions {
  readonly name: string;
  /** Environment of the node, on top of a minimal one (no variable of the test runner's environment leaks in). */
  readonly env: Record<string, string>;
  /** @default 45000 */
  readonly readyTimeoutMs?: number;
  /**
   * The node arguments that start the server, e.g. `['scripts/start-tutor.mjs']` for what `npm start` runs.
   * @default `--import tsx src/main.ts`
   */
  readonly nodeArgs?: readonly string[];
}

const live = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of live) child.kill('SIGKILL');
});

/** The environment every test node gets: offline, loopback only, the shipped corpus and glossary, info logs. */
export function baseTutorEnvironment(): Record<string, string> {
  return {
    NODE_ENV: 'test',
    HOST: '127.0.0.1',
    PORT: '0',
    LOG_LEVEL: 'info',
    CORPUS_DIR: shippedCorpusDir,
    GLOSSARY_FILE: path.join(shippedCorpusDir, 'glossary.json'),
    // Every test learner is 127.0.0.1: the per-address cap on new conversations would otherwise count them all as one.
    CONVERSATIONS_PER_IP_PER_MINUTE: '100000',
  };
}

/**
 * Runs a TypeScript entry point the way `tsx file.ts` does, but as one process (`node --import tsx`): the `tsx` command
 * would put a wrapper process in between, and killing the wrapper with SIGKILL leaves the real server running.
 */
export function spawnTypeScript(entryPoint: string, env: Record<string, string>): ChildProcessByStdio<null, Readable, Readable> {
  return spawnNode(['--import', 'tsx', entryPoint], env);
}

/** `node ...args` in the repository with the test environment; killed when the test process exits. */
function spawnNode(args: readonly string[], env: Record<string, string>): ChildProcessByStdio<null, Readable, Readable> {
  const child = spawn(process.execPath, args, {
    cwd: repositoryRoot,
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? '/tmp', ...baseTutorEnvironment(), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  // Killed when the test process exits, whatever happened to the test that started it.
  live.add(child);
  child.once('exit', () => live.delete(child));
  return child;
}

/**
 * `tsx src/main.ts` (as `npm start` runs it, without the widget build) as a child process. It listens
 * on a port of its own choosing (PORT=0), read from its "Tutor listening" log line; resolves once /api/health says ok.
 */
export async function startTutorProcess(options: StartTutorProcessOptions): Promise<TutorProcess> {
  const child = options.nodeArgs
    ? spawnNode(options.nodeArgs, options.env)
    : spawnTypeScript(path.join(repositoryRoot, 'src', 'main.ts'), options.env);
  const logs: TutorLogLine[] = [];
  const raw: string[] = [];
  const waiters = new Set<{ matches: (line: TutorLogLine) => boolean; resolve: (line: TutorLogLine) => void }>();
  let exitCode: number | null | undefined;
  let exit: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code, signal) => {
      exit = { code, signal };
      exitCode = code ?? (signal ? null : 0);
      resolve(exitCode);
    }),
  );

  let pending = '';
  child.stderr?.on('data', (data: Buffer) => {
    pending += data.toString();
    const lines = pending.split('\n');
    pending = lines.pop() ?? '';
    for (const text of lines) {
      if (text.trim() === '') continue;
      raw.push(text);
      let line: TutorLogLine;
      try {
        line = JSON.parse(text) as TutorLogLine;
      } catch {
        continue;
      }
      logs.push(line);
      for (const waiter of [...waiters]) {
        if (waiter.matches(line)) {
          waiters.delete(waiter);
          waiter.resolve(line);
        }
      }
    }
  });
  child.stdout?.on('data', (data: Buffer) => raw.push(data.toString()));

  const describe = (): string => `${options.name} (pid ${child.pid}) output:\n${raw.slice(-40).join('\n')}`;

  function waitForLog(matches: (line: TutorLogLine) => boolean, timeoutMs = 10_000, fromLine = 0): Promise<TutorLogLine> {
    const found = logs.slice(fromLine).find(matches);
    if (found) return Promise.resolve(found);
    return new Promise((resolve, reject) => {
      const waiter = {
        matches,
        resolve: (line: TutorLogLine) => {
          clearTimeout(timer);
          resolve(line);
        },
      };
      const timer = setTimeout(() => {
        waiters.delete(waiter);
        reject(new Error(`${options.name}: no matching log line within ${timeoutMs} ms; ${describe()}`));
      }, timeoutMs);
      waiters.add(waiter);
    });
  }

  async function close(): Promise<number | null> {
    if (exitCode !== undefined) return exitCode;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    const code = await exited;
    clearTimeout(timer);
    return code;
  }

  try {
    const readyTimeoutMs = options.readyTimeoutMs ?? 45_000;
    const deadline = Date.now() + readyTimeoutMs;
    const listening = await Promise.race([
      waitForLog((line) => line.msg.startsWith('Tutor listening'), readyTimeoutMs),
      exited.then((code) => Promise.reject(new Error(`${options.name} exited with ${code} before listening; ${describe()}`))),
    ]);
    const port = Number(listening.port);
    const baseUrl = `http://127.0.0.1:${port}`;
    for (;;) {
      if (exitCode !== undefined) throw new Error(`${options.name} exited with ${exitCode} while starting; ${describe()}`);
      const status = await fetch(`${baseUrl}/api/health`).then(
        (response) => response.status,
        () => 0,
      );
      if (status === 200) break;
      if (Date.now() > deadline) throw new Error(`${options.name} was not healthy within ${readyTimeoutMs} ms; ${describe()}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    return {
      name: options.name,
      baseUrl,
      port,
      pid: child.pid as number,
      logs,
      alive: () => exitCode === undefined,
      waitForLog,
      signal: (signal) => void child.kill(signal),
      exited: async () => {
        await exited;
        return exit as { code: number | null; signal: NodeJS.Signals | null };
      },
      output: describe,
      close,
    };
  } catch (error) {
    child.kill('SIGKILL');
    await exited;
    throw error;
  }
}

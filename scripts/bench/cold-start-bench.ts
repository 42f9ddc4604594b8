/**
 * Benchmark section "cold start": with an index of the shipped corpus already in --data-dir, starts the tutor as a
 * learner would and times it from spawn until `GET /api/health` says ok. Two commands, interleaved run by run so that
 * both see the same machine load: `tsx src/main.ts` and `npm start` (which first makes sure the widget is built).
 * First, in this fresh process, it times the first build of the shipped corpus in an empty data folder: chunks,
 * embeddings, the index files and the dictionary lexicon (CC-CEDICT subset and pinyin keys), derived and saved.
 *
 * Run by scripts/bench/run-benchmarks.ts; alone:
 *   node --import tsx scripts/bench/cold-start-bench.ts --out=/tmp/cold.json --data-dir=/tmp/bench-shipped [--quick]
 */
import { spawn } from 'node:child_process';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { createCorpusApp } from '../../src/app/create-app.js';
import { loadConfig } from '../../src/config.js';
import { findFreePort } from '../support/free-port.js';
import {
  childEnvironment,
  loadAverage,
  median,
  parseSectionArguments,
  repositoryRoot,
  requireValue,
  waitForHealthy,
  writeSectionResult,
} from './bench-support.js';

export interface ColdStartRun {
  /** Spawn to the first ok from /api/health. */
  readonly readyMs: number;
  /** Spawn to the server's "listening" log line (modules loaded, runtime created), when it was seen. */
  readonly listeningMs: number | undefined;
  /** Whether `npm start` rebuilt the widget in this run (it says so on stdout). */
  readonly widgetBuilt: boolean;
  /** Whether `npm start` re-bundled the server in this run (src/ changed since the last bundle). */
  readonly serverBundled: boolean;
}

export interface ColdStartCommandResult {
  readonly label: string;
  readonly command: string;
  readonly runs: readonly ColdStartRun[];
  readonly medianReadyMs: number;
  readonly minReadyMs: number;
  readonly maxReadyMs: number;
}

/** The first build of the shipped corpus in an empty DATA_DIR, the lexicon derived and saved with it. */
export interface FirstBuildResult {
  readonly chunks: number;
  /** `ensureIndex` in a fresh process (modules already loaded), wall time. */
  readonly wallMs: number;
  /** CPU time of the process (every thread) during that build. */
  readonly cpuMs: number;
  /** Whether the build derived and saved the lexicon (false: it failed, and the figure is of the index alone). */
  readonly derivedLexicon: boolean;
}

export interface ColdStartResult {
  readonly chunks: number;
  readonly firstBuild?: FirstBuildResult;
  readonly commands: readonly ColdStartCommandResult[];
  readonly loadAverageAtStart: number;
}

const args = parseSectionArguments();
const dataDir = requireValue(args, 'data-dir');
const runsPerCommand = args.quick ? 2 : 5;

const loadAverageAtStart = loadAverage();
const firstBuild = await timeFirstBuild();
// The index must be present: build it now if an earlier section did not (not timed).
const config = loadConfig({ DATA_DIR: dataDir, LOG_LEVEL: 'silent' }, repositoryRoot);
const { index } = await (await createCorpusApp({ config, logger: pino({ level: 'silent' }) })).corpus.ensureIndex();

const tsxBinary = path.join(repositoryRoot, 'node_modules', '.bin', 'tsx');
const commands = [
  { label: 'tsx src/main.ts', command: tsxBinary, args: ['src/main.ts'] },
  { label: 'npm start', command: 'npm', args: ['start'] },
];
const runs = new Map<string, ColdStartRun[]>(commands.map((entry) => [entry.label, []]));
for (let round = 0; round < runsPerCommand; round += 1) {
  for (const entry of commands) runs.get(entry.label)?.push(await startOnce(entry.command, entry.args));
}

const result: ColdStartResult = {
  chunks: index.chunks.length,
  firstBuild,
  commands: commands.map((entry) => {
    const measured = runs.get(entry.label) ?? [];
    const ready = measured.map((run) => run.readyMs);
    return {
      label: entry.label,
      command: [path.relative(repositoryRoot, entry.command) || entry.command, ...entry.args].join(' '),
      runs: measured,
      medianReadyMs: median(ready),
      minReadyMs: Math.min(...ready),
      maxReadyMs: Math.max(...ready),
    };
  }),
  loadAverageAtStart,
};
await writeSectionResult(args.out, result);
process.exit(0);

/** Builds the shipped corpus in a new empty data folder and times it (wall and process CPU). */
async function timeFirstBuild(): Promise<FirstBuildResult> {
  const emptyDataDir = await mkdtemp(path.join(os.tmpdir(), 'tutor-first-build-'));
  try {
    const freshConfig = loadConfig({ DATA_DIR: emptyDataDir, LOG_LEVEL: 'silent' }, repositoryRoot);
    const corpus = (await createCorpusApp({ config: freshConfig, logger: pino({ level: 'silent' }) })).corpus;
    const cpuBefore = process.cpuUsage();
    const started = performance.now();
    const built = await corpus.ensureIndex();
    const wallMs = performance.now() - started;
    const cpu = process.cpuUsage(cpuBefore);
    // The folder was empty: a lexicon in it now was derived and saved by this build.
    const derivedLexicon = (await readdir(path.join(emptyDataDir, 'lexicon')).catch(() => [])).some((name) => name.endsWith('.json'));
    return { chunks: built.index.chunks.length, wallMs, cpuMs: (cpu.user + cpu.system) / 1000, derivedLexicon };
  } finally {
    await rm(emptyDataDir, { recursive: true, force: true });
  }
}

/** One start: spawn in its own process group, wait for health, then stop the whole group (npm, sh, tsx, node). */
async function startOnce(command: string, commandArgs: readonly string[]): Promise<ColdStartRun> {
  const port = await findFreePort();
  const started = performance.now();
  const child = spawn(command, commandArgs, {
    cwd: repositoryRoot,
    env: childEnvironment(process.env, { PORT: String(port), DATA_DIR: dataDir, LOG_LEVEL: 'info' }),
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let listeningMs: number | undefined;
  let widgetBuilt = false;
  let serverBundled = false;
  const output: string[] = [];
  child.stdout?.on('data', (data: Buffer) => {
    const text = data.toString();
    output.push(text);
    if (text.includes('Building the widget')) widgetBuilt = true;
    if (text.includes('Bundling the server')) serverBundled = true;
  });
  child.stderr?.on('data', (data: Buffer) => {
    const text = data.toString();
    output.push(text);
    if (listeningMs === undefined && text.includes('Tutor listening')) listeningMs = performance.now() - started;
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  try {
    const ready = await waitForHealthy(`http://127.0.0.1:${port}`, {
      timeoutMs: 60_000,
      intervalMs: 5,
      isAlive: () => child.exitCode === null,
    });
    return { readyMs: ready - started, listeningMs, widgetBuilt, serverBundled };
  } catch (error) {
    process.stderr.write(`${command} ${commandArgs.join(' ')} output:\n${output.join('').slice(-4000)}\n`);
    throw error;
  } finally {
    if (child.exitCode === null && child.pid !== undefined) {
      process.kill(-child.pid, 'SIGTERM');
      const timer = setTimeout(() => child.pid !== undefined && child.exitCode === null && process.kill(-child.pid, 'SIGKILL'), 15_000);
      await exited;
      clearTimeout(timer);
    }
  }
}

import { readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/** Shared helpers of the benchmark sections: statistics, memory readings, arguments and result files. */

export const repositoryRoot = path.resolve(import.meta.dirname, '../..');

export interface LatencySummary {
  readonly count: number;
  readonly mean: number;
  readonly p50: number;
  readonly p95: number;
  readonly p99: number;
  readonly max: number;
}

/** Nearest-rank percentile of already sorted values (p in 0..100). */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length)));
  return sorted[rank - 1] as number;
}

export function summarize(samples: readonly number[]): LatencySummary {
  const sorted = [...samples].sort((left, right) => left - right);
  const mean = sorted.reduce((sum, value) => sum + value, 0) / Math.max(1, sorted.length);
  return {
    count: sorted.length,
    mean,
    p50: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    p99: percentile(sorted, 99),
    max: sorted[sorted.length - 1] ?? Number.NaN,
  };
}

export function median(values: readonly number[]): number {
  return percentile(
    [...values].sort((left, right) => left - right),
    50,
  );
}

let collectGarbage: (() => void) | undefined;

/** A full garbage collection, so memory readings hold only what is still referenced. */
export function fullGc(): void {
  if (!collectGarbage) {
    setFlagsFromString('--expose-gc');
    collectGarbage = runInNewContext('gc') as () => void;
  }
  collectGarbage();
  collectGarbage();
}

export interface MemoryReading {
  /** Resident set size of the process. */
  readonly rss: number;
  readonly heapUsed: number;
  /** Memory of C++ objects bound to JS (hnswlib's index is allocated natively and shows in rss, not here). */
  readonly external: number;
  readonly arrayBuffers: number;
}

export function readMemory(): MemoryReading {
  const usage = process.memoryUsage();
  return { rss: usage.rss, heapUsed: usage.heapUsed, external: usage.external, arrayBuffers: usage.arrayBuffers };
}

/** Peak and current resident set size of a process from /proc (Linux), in bytes; undefined elsewhere or when gone. */
export function readProcessRss(pid: number | 'self'): { rss: number; peakRss: number } | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const field = (name: string): number => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? Number.NaN) * 1024;
    return { rss: field('VmRSS'), peakRss: field('VmHWM') };
  } catch {
    return undefined;
  }
}

export interface MachineFacts {
  readonly cpus: number;
  readonly cpuModel: string;
  readonly memoryBytes: number;
  readonly node: string;
  readonly platform: string;
  readonly date: string;
}

export function machineFacts(): MachineFacts {
  return {
    cpus: os.availableParallelism(),
    cpuModel: os.cpus()[0]?.model.trim() ?? 'unknown',
    memoryBytes: os.totalmem(),
    node: process.version,
    platform: `${os.type()} ${os.release()} ${os.arch()}`,
    date: new Date().toISOString(),
  };
}

/** 1-minute load average: other work on the machine (tests of other engineers) inflates every latency here. */
export function loadAverage(): number {
  return os.loadavg()[0] ?? 0;
}

export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes)) return 'n/a';
  const sign = bytes < 0 ? '-' : '';
  const value = Math.abs(bytes);
  if (value >= 1024 ** 3) return `${sign}${(value / 1024 ** 3).toFixed(2)} GiB`;
  if (value >= 1024 ** 2) return `${sign}${(value / 1024 ** 2).toFixed(1)} MiB`;
  if (value >= 1024) return `${sign}${(value / 1024).toFixed(1)} KiB`;
  return `${sign}${value.toFixed(0)} B`;
}

export function formatMs(ms: number): string {
  if (!Number.isFinite(ms)) return 'n/a';
  if (ms >= 10_000) return `${(ms / 1000).toFixed(1)} s`;
  if (ms >= 100) return `${ms.toFixed(0)} ms`;
  if (ms >= 10) return `${ms.toFixed(1)} ms`;
  return `${ms.toFixed(2)} ms`;
}

/** Options every section takes from the orchestrator. */
export interface SectionArguments {
  readonly quick: boolean;
  /** Where the section writes its JSON result. */
  readonly out: string;
  /** Named values, e.g. `--data-dir=/tmp/x`. */
  readonly values: ReadonlyMap<string, string>;
}

export function parseSectionArguments(argv: readonly string[] = process.argv.slice(2)): SectionArguments {
  const values = new Map<string, string>();
  for (const argument of argv) {
    const match = /^--([\w-]+)(?:=(.*))?$/.exec(argument);
    if (match) values.set(match[1] as string, match[2] ?? 'true');
  }
  const out = values.get('out');
  if (out === undefined) throw new Error('a benchmark section needs --out=<result.json>');
  return { quick: values.get('quick') === 'true', out, values };
}

export function requireValue(args: SectionArguments, name: string): string {
  const value = args.values.get(name);
  if (value === undefined) throw new Error(`this benchmark section needs --${name}=...`);
  return value;
}

export async function writeSectionResult(out: string, result: unknown): Promise<void> {
  await writeFile(out, `${JSON.stringify(result, null, 2)}\n`);
}

/** Polls `GET /api/health` until it says ok; resolves with the time it did, rejects after `timeoutMs`. */
export async function waitForHealthy(
  baseUrl: string,
  options: { timeoutMs: number; intervalMs?: number; isAlive?: () => boolean },
): Promise<number> {
  const deadline = performance.now() + options.timeoutMs;
  for (;;) {
    try {
      const response = await fetch(`${baseUrl}/api/health`, { signal: AbortSignal.timeout(1000) });
      if (response.ok && ((await response.json()) as { status?: string }).status === 'ok') return performance.now();
    } catch {
      // Not listening yet.
    }
    if (options.isAlive && !options.isAlive()) throw new Error(`the server at ${baseUrl} exited before it was ready`);
    if (performance.now() > deadline) throw new Error(`${baseUrl}/api/health was not ok within ${options.timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, options.intervalMs ?? 10));
  }
}

/**
 * The environment for a tutor child process: offline (no OpenAI key, no Redis), quiet logs, loopback only, plus the
 * given settings. PATH and the like are passed through so that `npm` and `tsx` resolve.
 */
export function childEnvironment(inherited: NodeJS.ProcessEnv, settings: Record<string, string>): NodeJS.ProcessEnv {
  const environment: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(inherited)) {
    if (/^(OPENAI_|REDIS_URL$|EMBEDDINGS$|PORT$|HOST$|DATA_DIR$|CORPUS_DIR$|GLOSSARY_FILE$|LOG_LEVEL$|NODE_OPTIONS$)/.test(name)) continue;
    environment[name] = value;
  }
  return { ...environment, HOST: '127.0.0.1', LOG_LEVEL: 'warn', ...settings };
}

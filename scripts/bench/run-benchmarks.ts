/**
 * `npm run bench`: the performance benchmarks of the tutor, printed and written to docs/BENCHMARKS.md (only the
 * section between `<!-- bench:start -->` and `<!-- bench:end -->`; everything else in that file is kept).
 *
 *   npm run bench                      full run: 100,000-chunk synthetic index, 1/50/500 socket.io clients
 *   npm run bench -- --quick           10,000 chunks and fewer samples; prints, does not touch the docs
 *   npm run bench -- --quick --write   the same, and writes the docs
 *   npm run bench -- --only=ingest,retrieval,serving,cold-start   some sections only
 *   npm run bench -- --no-write        print only
 *   npm run bench -- --results=/tmp/bench.json          also keep the raw figures (JSON)
 *   npm run bench -- --render=/tmp/bench.json           rewrite the docs section from kept figures, without measuring
 *
 * Sections run one after the other, each in its own Node process (so that memory readings and latencies of one do not
 * carry into the next): ingest (builds the synthetic index), retrieval (queries it), serving, cold start. Everything
 * is on 127.0.0.1; temporary indexes go to the OS temp folder and are removed at the end.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { formatMs, machineFacts, repositoryRoot } from './bench-support.js';
import { type BenchmarkResults, judgeTargets, renderBenchmarkSection, writeBenchmarkSection } from './benchmark-report.js';
import type { ColdStartResult } from './cold-start-bench.js';
import type { IngestResult } from './ingest-bench.js';
import type { RetrievalResult } from './retrieval-bench.js';
import type { ServingResult } from './serving-bench.js';

const SECTIONS = ['ingest', 'retrieval', 'serving', 'cold-start', 'llm-overhead'] as const;
type SectionName = (typeof SECTIONS)[number];

const argv = process.argv.slice(2);
const quick = argv.includes('--quick');
const onlyArgument = argv.find((argument) => argument.startsWith('--only='));
const selected = new Set<SectionName>(
  onlyArgument === undefined
    ? SECTIONS
    : onlyArgument
        .slice('--only='.length)
        .split(',')
        .map((name) => {
          if (!(SECTIONS as readonly string[]).includes(name)) throw new Error(`unknown section ${name}; sections: ${SECTIONS.join(', ')}`);
          return name as SectionName;
        }),
);
if (selected.has('retrieval')) selected.add('ingest'); // Retrieval queries the index that ingest builds.
// The docs section shows ingest, retrieval, serving and cold start; a run of llm-overhead alone leaves it as it is.
const rendersDocs = ['ingest', 'retrieval', 'serving', 'cold-start'].some((name) => selected.has(name as SectionName));
const write = rendersDocs && (argv.includes('--write') || (!quick && !argv.includes('--no-write')));
const docsFile = path.join(repositoryRoot, 'docs', 'BENCHMARKS.md');

const resultsFile = argv.find((argument) => argument.startsWith('--results='))?.slice('--results='.length);
const renderFile = argv.find((argument) => argument.startsWith('--render='))?.slice('--render='.length);
if (renderFile !== undefined) {
  const kept = JSON.parse(await readFile(renderFile, 'utf8')) as BenchmarkResults;
  const section = renderBenchmarkSection(kept);
  process.stdout.write(`${section}\n`);
  if (!argv.includes('--no-write')) {
    await writeBenchmarkSection(docsFile, section);
    process.stdout.write(`\nWrote the bench section of ${path.relative(repositoryRoot, docsFile)} from ${renderFile}.\n`);
  }
  process.exit(0);
}

const workDir = await mkdtemp(path.join(os.tmpdir(), 'tutor-bench-'));
const syntheticDataDir = path.join(workDir, 'synthetic-index');
const shippedDataDir = path.join(workDir, 'shipped-index');
const started = performance.now();
const measuringArguments = argv.filter((argument) => !argument.startsWith('--results='));
const results: { -readonly [K in keyof BenchmarkResults]: BenchmarkResults[K] } = {
  machine: machineFacts(),
  command: ['npm run bench', ...(measuringArguments.length > 0 ? ['--', ...measuringArguments] : [])].join(' '),
  quick,
  wallMs: 0,
};

try {
  if (selected.has('ingest')) {
    log(`ingest: building the index of a ${quick ? '10,000' : '100,000'}-chunk synthetic corpus (the longest section)`);
    results.ingest = await runSection<IngestResult>('ingest-bench.ts', syntheticDataDir);
    log(
      `ingest: ${Math.round(results.ingest.embeddingChunksPerSecond)} chunks/s embedding, build ${formatMs(results.ingest.totalBuildMs)}`,
    );
  }
  if (selected.has('retrieval')) {
    log('retrieval: HNSW ef sweep, exact search, MemoryVectorStore');
    results.retrieval = await runSection<RetrievalResult>('retrieval-bench.ts', syntheticDataDir);
    log(`retrieval: chosen ef ${results.retrieval.chosenEf}, speed-up ${results.retrieval.speedupAtP50?.toFixed(0)}x at p50`);
  }
  await rm(syntheticDataDir, { recursive: true, force: true });
  if (selected.has('serving')) {
    log('serving: in-process answers, then 1, 50 and 500 socket.io clients');
    results.serving = await runSection<ServingResult>('serving-bench.ts', shippedDataDir);
  }
  if (selected.has('cold-start')) {
    log('cold start: tsx src/main.ts and npm start until /api/health is ok');
    results.coldStart = await runSection<ColdStartResult>('cold-start-bench.ts', shippedDataDir);
  }
  if (selected.has('llm-overhead')) await runSection('llm-overhead-bench.ts', shippedDataDir); // prints; see docs/BENCHMARKS.md
} finally {
  await rm(workDir, { recursive: true, force: true });
}
results.wallMs = performance.now() - started;

if (resultsFile !== undefined) await writeFile(resultsFile, `${JSON.stringify(results, null, 2)}\n`);
const section = renderBenchmarkSection(results);
process.stdout.write(`\n${section}\n\n`);
const verdicts = judgeTargets(results);
for (const verdict of verdicts) process.stdout.write(`${verdict.met ? 'met    ' : 'not met'} ${verdict.target}: ${verdict.measured}\n`);
if (write) {
  await writeBenchmarkSection(docsFile, section);
  process.stdout.write(`\nWrote the bench section of ${path.relative(repositoryRoot, docsFile)}.\n`);
} else {
  process.stdout.write(
    `\nNot written to ${path.relative(repositoryRoot, docsFile)} (${!rendersDocs ? 'no section of it was run' : quick ? 'quick run; add --write' : '--no-write'}).\n`,
  );
}

/** Runs one section in its own Node process (tsx loader) and reads the JSON it writes. */
async function runSection<T>(file: string, dataDir: string): Promise<T> {
  const out = path.join(workDir, `${file.replace(/\.ts$/, '')}.json`);
  const sectionStarted = performance.now();
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      path.join(repositoryRoot, 'scripts', 'bench', file),
      `--out=${out}`,
      `--data-dir=${dataDir}`,
      ...(quick ? ['--quick'] : []),
    ],
    { cwd: repositoryRoot, stdio: ['ignore', 'inherit', 'inherit'] },
  );
  const code = await new Promise<number | null>((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (exitCode) => resolve(exitCode));
  });
  if (code !== 0) throw new Error(`benchmark section ${file} failed (exit code ${code})`);
  log(`${file} done in ${formatMs(performance.now() - sectionStarted)}`);
  return JSON.parse(await readFile(out, 'utf8')) as T;
}

function log(message: string): void {
  process.stderr.write(`[bench] ${message}\n`);
}

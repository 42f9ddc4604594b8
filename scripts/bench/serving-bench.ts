/**
 * Benchmark section "serving" (offline mode, shipped corpus): in-process answer latency of the offline tutor (distinct
 * questions, the evaluation conversations, and the same again from the search cache), then the real server
 * (`src/main.ts` in a child process on 127.0.0.1) under 1, 50 and 500 concurrent socket.io clients, each asking
 * distinct questions.
 *
 * Run by scripts/bench/run-benchmarks.ts; alone:
 *   node --import tsx scripts/bench/serving-bench.ts --out=/tmp/serving.json --data-dir=/tmp/bench-shipped [--quick]
 */
import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import { pino } from 'pino';
import { createCorpusApp } from '../../src/app/create-app.js';
import { loadConfig } from '../../src/config.js';
import { loadEvaluationCases } from '../../src/evaluation/evaluation-cases.js';
import { createHybridPassageSearch } from '../../src/retrieval/hybrid-passage-search.js';
import type { ConversationTurn } from '../../src/tutor/tutor-types.js';
import { findFreePort } from '../support/free-port.js';
import {
  childEnvironment,
  type LatencySummary,
  loadAverage,
  parseSectionArguments,
  readProcessRss,
  repositoryRoot,
  requireValue,
  summarize,
  waitForHealthy,
  writeSectionResult,
} from './bench-support.js';
import { createLearnerQuestions } from './learner-questions.js';
import { type LoadLevelResult, runLoadLevel, type ScriptedQuestion } from './socket-load.js';

export interface ServingResult {
  readonly chunks: number;
  readonly inProcess: {
    /** Distinct questions, each asked once in a fresh conversation: hybrid search's result cache does not help. */
    readonly distinct: { readonly questions: number; readonly answerMs: LatencySummary; readonly groundedShare: number };
    /** The evaluation conversations (follow-ups answered with their history), first time asked. */
    readonly conversations: { readonly questions: number; readonly answerMs: LatencySummary };
    /** The same conversations asked again: searches come from the result cache. */
    readonly repeated: { readonly questions: number; readonly passes: number; readonly answerMs: LatencySummary };
    /** Hybrid search alone (embed, HNSW, BM25, fusion, coverage) with its result cache off, distinct questions. */
    readonly uncachedSearchMs: LatencySummary;
  };
  readonly socket: {
    readonly server: string;
    readonly serverReadyMs: number;
    readonly serverIdleRssBytes: number | undefined;
    readonly levels: readonly LoadLevelResult[];
    readonly serverPeakRssBytes: number | undefined;
  };
  readonly loadAverageAtStart: number;
}

const args = parseSectionArguments();
const dataDir = requireValue(args, 'data-dir');
const distinctCount = args.quick ? 100 : 300;
const repeatPasses = args.quick ? 1 : 3;
const levels = args.quick
  ? [
      { clients: 1, asksPerClient: 10 },
      { clients: 50, asksPerClient: 2 },
      { clients: 500, asksPerClient: 1 },
    ]
  : [
      // At most 30 asks per connection per minute (SOCKET_ASKS_PER_MINUTE default): the bench keeps the defaults.
      { clients: 1, asksPerClient: 25 },
      { clients: 50, asksPerClient: 5 },
      { clients: 500, asksPerClient: 3 },
    ];

const loadAverageAtStart = loadAverage();
const config = loadConfig({ DATA_DIR: dataDir, LOG_LEVEL: 'silent' }, repositoryRoot);
const runtime = (await createCorpusApp({ config, logger: pino({ level: 'silent' }) })).corpus;
const { index } = await runtime.ensureIndex();
// A serving process checks its follow-up suggestions in idle turns once the index is ready (about 0.1 s of CPU on the
// shipped corpus); the answers below come in a tight loop that leaves no idle turn, so the bench lets that finish first,
// as a server does before its first learners arrive.
await runtime.whenWarm();
const cases = await loadEvaluationCases(path.join(repositoryRoot, 'test', 'eval', 'cases.json'));
const question = createLearnerQuestions(runtime.analyzer.glossary);
// Question numbers: 0-99 warm up, then the in-process set, then the socket clients' questions.
const WARM_UP = 100;
const socketQuestionBase = WARM_UP + distinctCount;

for (let n = 0; n < WARM_UP; n += 1) await runtime.offlineAnswerer.answer({ question: question(n), history: [] });

const distinctTimes: number[] = [];
let grounded = 0;
for (let n = WARM_UP; n < WARM_UP + distinctCount; n += 1) {
  const started = performance.now();
  const answer = await runtime.offlineAnswerer.answer({ question: question(n), history: [] });
  distinctTimes.push(performance.now() - started);
  if (answer.grounded) grounded += 1;
}

const uncachedSearch = createHybridPassageSearch({
  getIndex: () => runtime.currentIndex(),
  analyzer: runtime.analyzer,
  embeddings: runtime.embedder.embeddings,
  settings: { coverageThreshold: config.retrieval.coverageThreshold, resultCacheSize: 0 },
});
const searchTimes: number[] = [];
for (let n = WARM_UP; n < WARM_UP + distinctCount; n += 1) {
  const started = performance.now();
  await uncachedSearch.search(question(n));
  searchTimes.push(performance.now() - started);
}

/** Answers every evaluation conversation once; returns the time of each answer. */
async function answerConversations(): Promise<number[]> {
  const times: number[] = [];
  for (const testCase of cases) {
    const history: ConversationTurn[] = [];
    for (const turn of testCase.turns) {
      const started = performance.now();
      const answer = await runtime.offlineAnswerer.answer({ question: turn, history });
      times.push(performance.now() - started);
      history.push({
        question: turn,
        searchedFor: answer.searchedFor,
        answer: answer.answer,
        citedChunkIds: answer.citations.map((citation) => citation.chunkId),
        language: answer.language,
      });
    }
  }
  return times;
}
const conversationTimes = await answerConversations();
const repeatedTimes: number[] = [];
for (let pass = 0; pass < repeatPasses; pass += 1) repeatedTimes.push(...(await answerConversations()));

// Over the network: the real server in its own process, so clients and server do not share an event loop.
const port = await findFreePort();
const baseUrl = `http://127.0.0.1:${port}`;
const server = spawn(process.execPath, ['--import', 'tsx', path.join('src', 'main.ts')], {
  cwd: repositoryRoot,
  // Every simulated client shares the loopback address: lift the per-address connection cap, keep every other default.
  env: childEnvironment(process.env, { PORT: String(port), DATA_DIR: dataDir, SOCKET_CONNECTIONS_PER_IP: '100000' }),
  stdio: ['ignore', 'ignore', 'pipe'],
});
const serverLog: string[] = [];
server.stderr?.on('data', (data: Buffer) => void serverLog.push(data.toString()));
const levelsRun: LoadLevelResult[] = [];
let serverReadyMs = Number.NaN;
let serverIdleRss: number | undefined;
let serverPeakRss: number | undefined;
try {
  const spawned = performance.now();
  serverReadyMs = (await waitForHealthy(baseUrl, { timeoutMs: 60_000, isAlive: () => server.exitCode === null })) - spawned;
  serverIdleRss = readProcessRss(server.pid as number)?.rss;
  // Every ask is a distinct question (follow-ups in the same conversation), numbered after the in-process ones.
  let nextQuestion = socketQuestionBase;
  for (const level of levels) {
    const first = nextQuestion;
    nextQuestion += level.clients * level.asksPerClient;
    const script = (client: number): ScriptedQuestion[] =>
      Array.from({ length: level.asksPerClient }, (_unused, ask) => ({
        message: question(first + client * level.asksPerClient + ask),
        // Every third question starts a new conversation; the others follow up in the same one.
        newConversation: ask % 3 === 0,
      }));
    levelsRun.push(await runLoadLevel({ baseUrl, serverPid: server.pid as number, ...level, script, answerTimeoutMs: 60_000 }));
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  serverPeakRss = readProcessRss(server.pid as number)?.peakRss;
} catch (error) {
  process.stderr.write(`server log:\n${serverLog.join('').slice(-4000)}\n`);
  throw error;
} finally {
  await stop(server);
}

const result: ServingResult = {
  chunks: index.chunks.length,
  inProcess: {
    distinct: { questions: distinctTimes.length, answerMs: summarize(distinctTimes), groundedShare: grounded / distinctTimes.length },
    conversations: { questions: conversationTimes.length, answerMs: summarize(conversationTimes) },
    repeated: { questions: repeatedTimes.length, passes: repeatPasses, answerMs: summarize(repeatedTimes) },
    uncachedSearchMs: summarize(searchTimes),
  },
  socket: {
    server: 'node --import tsx src/main.ts (offline mode)',
    serverReadyMs,
    serverIdleRssBytes: serverIdleRss,
    levels: levelsRun,
    serverPeakRssBytes: serverPeakRss,
  },
  loadAverageAtStart,
};
await writeSectionResult(args.out, result);
process.exit(0);

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
  await exited;
  clearTimeout(timer);
}

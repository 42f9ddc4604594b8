/**
 * Benchmark section "llm-overhead": what the tutor's own LLM pipeline adds to the model's latency, as the learner sees it.
 * The real tutor server (createApp, the same composition root as `npm start`, listening on 127.0.0.1 in this process)
 * answers in LLM mode against the fake OpenAI server with a fixed time to first token (`FIRST_TOKEN_MS`); a real
 * socket.io client (WebSocket transport, as the widget uses) asks distinct learner questions one after the other, each in
 * a new conversation, once per answer strategy. Per question: the time from emitting `ask` to the first `answer:delta`
 * holding a word, on the client, minus the model's own time to first token (request received to first content delta
 * written, measured by the fake). Everything between is ours: socket.io, the chat service, budgets, fallback wrapper,
 * search, prompt budget, the strategy (LangChain agent or chain), the OpenAI client and HTTP, reasoning filter, leak
 * check, citation guard. Target: p95 <= 15 ms.
 *
 * The machine is shared: each run of `QUESTIONS` questions prints its load average, and the section repeats the run
 * (`RUNS`) and reports the best and the median run; the verdict is the median run's. Both strategies' servers are up
 * together and their runs alternate (agent run 1, retrieve-then-generate run 1, agent run 2...), so that the two are
 * compared under the load of the same minutes.
 *
 * Run by scripts/bench/run-benchmarks.ts (`npm run bench -- --only=llm-overhead`); alone:
 *   node --import tsx scripts/bench/llm-overhead-bench.ts --out=/tmp/llm.json --data-dir=/tmp/bench-llm [--quick] [--runs=3]
 */
import path from 'node:path';
import { PerformanceObserver } from 'node:perf_hooks';
import { pino } from 'pino';
import { io, type Socket } from 'socket.io-client';
import { createApp } from '../../src/app/create-app.js';
import { loadConfig } from '../../src/config.js';
import type { ChatResponse, ClientToServerEvents, ServerToClientEvents } from '../../src/shared/chat-protocol.js';
import { createFakeOpenAIServer, type FakeOpenAIServer, scripted } from '../../test/support/fake-openai-server.js';
import {
  type LatencySummary,
  loadAverage,
  median,
  parseSectionArguments,
  repositoryRoot,
  requireValue,
  summarize,
  writeSectionResult,
} from './bench-support.js';
import { createLearnerQuestions } from './learner-questions.js';

type StrategyName = 'agent' | 'retrieve-then-generate';

/** One run: `questions` distinct questions through the socket. */
export interface OverheadRun {
  /** Ask to first streamed word, as the socket.io client received it. */
  readonly firstWordMs: LatencySummary;
  /** The model's time to first token, as the fake measured it. */
  readonly modelFirstTokenMs: LatencySummary;
  /** First word minus the model's first token: the pipeline's own share. */
  readonly overheadMs: LatencySummary;
  /**
   * CPU time of this process per answer (user + system, all threads): the tutor's whole answer, the fake's and the
   * client's share included. Unlike the latencies it barely moves with the machine's load, so runs compare across loads.
   */
  readonly cpuMsPerAnswer: number;
  /** 1-minute load average at the end of the run. */
  readonly loadAverage: number;
  /**
   * Garbage-collection pauses that fell where they delay the first word: between `ask` and the request reaching the
   * model, or between the model's first token and the client's first word (not in the model's own wait). A scavenge
   * takes milliseconds, so the few answers it lands in make up much of the tail: the p95 is read with this beside it.
   */
  readonly gcInWindow: { readonly answers: number; readonly pauseMs: number };
}

/** One answer strategy's runs (LLM_TOOLS=on: the agent; off: retrieve-then-generate). */
export interface StrategyOverhead {
  readonly strategy: StrategyName;
  readonly runs: readonly OverheadRun[];
  /** The run with the lowest overhead p95, and the run whose overhead p95 is the median of all runs. */
  readonly best: OverheadRun;
  readonly median: OverheadRun;
  /** The median run's overhead p95 is within the target. */
  readonly met: boolean;
}

export interface LlmOverheadResult {
  readonly path: string;
  readonly questions: number;
  readonly warmUp: number;
  readonly firstTokenMs: number;
  readonly targetP95Ms: number;
  readonly strategies: readonly StrategyOverhead[];
  readonly loadAverageAtStart: number;
}

const FIRST_TOKEN_MS = 40;
const TARGET_P95_MS = 15;
/** Answers before each strategy's first run (module loading, JIT, the first connections), not counted. */
const WARM_UP = 5;
const ANSWER_TEXT = '微调是在预训练模型的基础上针对特定任务的进一步训练 [1]。它调整模型的权重 [2]。';
const args = parseSectionArguments();
const dataDir = requireValue(args, 'data-dir');
const questionCount = args.quick ? 50 : 200;
const runCount = Number(args.values.get('runs') ?? (args.quick ? 1 : 3));
if (!Number.isInteger(runCount) || runCount < 1) throw new Error('--runs must be a positive integer');
const loadAverageAtStart = loadAverage();

const cpuMs = (usage: NodeJS.CpuUsage): number => (usage.user + usage.system) / 1000;

/** Every GC pause of this process (`performance.now()` clock), for the share that lands in the overhead windows. */
const gcPauses: Array<{ readonly start: number; readonly end: number }> = [];
const gcObserver = new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) gcPauses.push({ start: entry.startTime, end: entry.startTime + entry.duration });
});
gcObserver.observe({ entryTypes: ['gc'] });
/** Milliseconds of GC pause overlapping the windows [from, to). */
const gcPauseWithin = (windows: ReadonlyArray<readonly [number, number]>): number =>
  gcPauses.reduce(
    (sum, pause) =>
      sum + windows.reduce((inner, [from, to]) => inner + Math.max(0, Math.min(pause.end, to) - Math.max(pause.start, from)), 0),
    0,
  );

type TutorSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

/** Asks one question in a new conversation; resolves with when the first word and the answer arrived. */
function askOnce(socket: TutorSocket, message: string): Promise<{ askedAt: number; firstWordAt: number; done: ChatResponse }> {
  return new Promise((resolve, reject) => {
    let messageId: string | undefined;
    let firstWordAt: number | undefined;
    const cleanup = (): void => {
      socket.off('answer:delta', onDelta);
      socket.off('answer:done', onDone);
      socket.off('answer:error', onError);
    };
    // One ask at a time on this socket: every delta until `done` is this answer's (checked against the id at the end).
    const onDelta = (event: { messageId: string; text: string }): void => {
      if (firstWordAt === undefined && event.text.trim() !== '') firstWordAt = performance.now();
    };
    const onDone = (event: ChatResponse & { messageId: string }): void => {
      cleanup();
      if (messageId !== undefined && event.messageId !== messageId) reject(new Error('an answer to another ask arrived'));
      else if (firstWordAt === undefined) reject(new Error('the answer streamed no word'));
      else resolve({ askedAt, firstWordAt, done: event });
    };
    const onError = (event: { code: string; message: string }): void => {
      cleanup();
      reject(new Error(`answer:error ${event.code}: ${event.message}`));
    };
    socket.on('answer:delta', onDelta);
    socket.on('answer:done', onDone);
    socket.on('answer:error', onError);
    const askedAt = performance.now();
    socket.emit('ask', { message }, (ack) => {
      if ('error' in ack) {
        cleanup();
        reject(new Error(`ask refused: ${ack.error.code}: ${ack.error.message}`));
      } else {
        messageId = ack.messageId;
      }
    });
  });
}

interface StrategySession {
  readonly strategy: StrategyName;
  /** One run of `questionCount` questions, printed as it ends. */
  measureRun(run: number): Promise<OverheadRun>;
  close(): Promise<void>;
}

/** The tutor server in this process for one strategy, a socket to it, warmed up; questions from `firstQuestion` on. */
async function openSession(
  fake: FakeOpenAIServer,
  tools: 'on' | 'off',
  strategy: StrategyName,
  firstQuestion: number,
): Promise<StrategySession> {
  const config = loadConfig(
    {
      NODE_ENV: 'production',
      DATA_DIR: dataDir,
      LOG_LEVEL: 'silent',
      OPENAI_API_KEY: 'bench-key',
      OPENAI_BASE_URL: fake.url,
      LLM_TOOLS: tools,
      // The bench asks far faster than a learner: lift the per-socket, per-address and model-use limits.
      LLM_ANSWERS_PER_HOUR: String((questionCount * runCount + WARM_UP) * 2),
      SOCKET_ASKS_PER_MINUTE: '100000',
      CONVERSATIONS_PER_IP: '100000',
      CONVERSATIONS_PER_IP_PER_MINUTE: '100000',
    },
    repositoryRoot,
  );
  const app = await createApp({ config, logger: pino({ level: 'silent' }), webAssetsDir: path.join(repositoryRoot, 'dist', 'web') });
  await app.corpus.ensureIndex();
  const port = await app.server.listen(0, '127.0.0.1');
  const socket: TutorSocket = io(`http://127.0.0.1:${port}`, { transports: ['websocket'], reconnection: false, forceNew: true });
  const close = async (): Promise<void> => {
    socket.close();
    await app.close();
  };
  const question = createLearnerQuestions(app.corpus.analyzer.glossary);
  let next = firstQuestion;
  const answerOne = async () => {
    fake.enqueue(scripted.text(ANSWER_TEXT, { initialDelayMs: FIRST_TOKEN_MS, pieces: 6 }));
    const requestsBefore = fake.chatRequests.length;
    const asked = await askOnce(socket, question(next));
    next += 1;
    const request = fake.chatRequests[requestsBefore];
    if (asked.done.mode !== 'llm' || request?.timing.firstContentMs === undefined) {
      throw new Error(`"${question(next - 1)}" was not answered by the model (${asked.done.mode})`);
    }
    return {
      firstWordMs: asked.firstWordAt - asked.askedAt,
      modelMs: request.timing.firstContentMs - request.timing.receivedMs,
      windows: [
        [asked.askedAt, request.timing.receivedMs],
        [request.timing.firstContentMs, asked.firstWordAt],
      ] as const,
    };
  };
  try {
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve);
      socket.once('connect_error', reject);
    });
    for (let index = 0; index < WARM_UP; index += 1) await answerOne();
  } catch (error) {
    await close();
    throw error;
  }
  const measureRun = async (run: number): Promise<OverheadRun> => {
    const firstWord: number[] = [];
    const modelFirstToken: number[] = [];
    const overhead: number[] = [];
    const windows: Array<ReadonlyArray<readonly [number, number]>> = [];
    const cpuBefore = process.cpuUsage();
    for (let index = 0; index < questionCount; index += 1) {
      const { firstWordMs, modelMs, windows: answerWindows } = await answerOne();
      windows.push(answerWindows);
      firstWord.push(firstWordMs);
      modelFirstToken.push(modelMs);
      overhead.push(firstWordMs - modelMs);
    }
    // GC entries reach the observer a task later: read them once the run is over.
    await new Promise((resolve) => setImmediate(resolve));
    const pauses = windows.map(gcPauseWithin).filter((pause) => pause > 0);
    const gcInWindow = { answers: pauses.length, pauseMs: pauses.reduce((sum, pause) => sum + pause, 0) };
    const result: OverheadRun = {
      firstWordMs: summarize(firstWord),
      modelFirstTokenMs: summarize(modelFirstToken),
      overheadMs: summarize(overhead),
      cpuMsPerAnswer: cpuMs(process.cpuUsage(cpuBefore)) / questionCount,
      loadAverage: loadAverage(),
      gcInWindow,
    };
    process.stdout.write(
      `llm-overhead (${strategy}) run ${run}/${runCount}: ${questionCount} questions over socket.io; model first token p50 ` +
        `${result.modelFirstTokenMs.p50.toFixed(1)} ms; first word p50 ${result.firstWordMs.p50.toFixed(1)} ms; overhead p50 ` +
        `${result.overheadMs.p50.toFixed(1)} ms, p95 ${result.overheadMs.p95.toFixed(1)} ms; CPU ${result.cpuMsPerAnswer.toFixed(1)} ms per answer; ` +
        `GC pause in the window of ${gcInWindow.answers} answers (${gcInWindow.pauseMs.toFixed(1)} ms in all); ` +
        `load average ${result.loadAverage.toFixed(1)}\n`,
    );
    return result;
  };
  return { strategy, measureRun, close };
}

const fake = await createFakeOpenAIServer({ chunkDelayMs: 2 });
const sessions: StrategySession[] = [];
try {
  // Both servers are up at once and the strategies alternate run by run, so that each pair of runs shares the machine's
  // load of the same minutes (on a shared machine the load drifts within a section).
  for (const [tools, strategy] of [
    ['on', 'agent'],
    ['off', 'retrieve-then-generate'],
  ] as const) {
    sessions.push(await openSession(fake, tools, strategy, sessions.length * (WARM_UP + questionCount * runCount)));
  }
  const runsOf = new Map<StrategyName, OverheadRun[]>(sessions.map((session) => [session.strategy, []]));
  for (let run = 1; run <= runCount; run += 1) {
    for (const session of sessions) runsOf.get(session.strategy)?.push(await session.measureRun(run));
  }
  const strategies: StrategyOverhead[] = [];
  for (const { strategy } of sessions) {
    const runs = runsOf.get(strategy) ?? [];
    const byP95 = [...runs].sort((left, right) => left.overheadMs.p95 - right.overheadMs.p95);
    const medianP95 = median(runs.map((run) => run.overheadMs.p95));
    const medianRun = byP95.find((run) => run.overheadMs.p95 === medianP95) ?? (byP95[0] as OverheadRun);
    const best = byP95[0] as OverheadRun;
    const met = medianRun.overheadMs.p95 <= TARGET_P95_MS;
    strategies.push({ strategy, runs, best, median: medianRun, met });
    const describe = (run: OverheadRun): string =>
      `p50 ${run.overheadMs.p50.toFixed(1)} ms, p95 ${run.overheadMs.p95.toFixed(1)} ms (load ${run.loadAverage.toFixed(1)})`;
    process.stdout.write(
      `llm-overhead (${strategy}): best run ${describe(best)}; median run ${describe(medianRun)}\n` +
        `${met ? 'met    ' : 'not met'} LLM pipeline overhead p95 <= ${TARGET_P95_MS} ms (${strategy}, median of ${runCount} runs): ` +
        `${medianRun.overheadMs.p95.toFixed(1)} ms\n`,
    );
  }
  const result: LlmOverheadResult = {
    path: 'socket.io client (WebSocket) -> tutor server in this process -> fake OpenAI server in this process, all on 127.0.0.1',
    questions: questionCount,
    warmUp: WARM_UP,
    firstTokenMs: FIRST_TOKEN_MS,
    targetP95Ms: TARGET_P95_MS,
    strategies,
    loadAverageAtStart,
  };
  await writeSectionResult(args.out, result);
} finally {
  for (const session of sessions) await session.close();
  await fake.close();
  gcObserver.disconnect();
}

/**
 * `npm run load [-- options]`: N concurrent socket.io clients (default 500) against a tutor on loopback, each asking
 * three questions in one conversation (the second a follow-up), reporting answer latency (p50/p95/p99), failures and
 * the server's peak memory and CPU.
 *
 * By default it starts its own offline server (`node --import tsx src/main.ts`, a free port on 127.0.0.1, a fresh
 * DATA_DIR, no OPENAI_API_KEY), runs the clients from this process (so the server has its own core), then stops the
 * server with SIGTERM and checks it exits 0. With `--url` it targets a running server instead (loopback only; give
 * `--pid` to read its memory). The run is bounded by `--max-seconds` and always stops by itself.
 *
 * Question mix (deterministic for a given `--seed`): about half the clients open with one of a few popular
 * questions (a class asking the same thing), about 40% with a question made from a glossary term and a template
 * (hundreds of distinct questions), about 10% with an off-topic question made unique by the client number (never
 * cached, answered "not covered"). The second question is a follow-up resolved against the first ("那调教呢？",
 * "Can you give an example?"); the third is another glossary question.
 *
 * Options: --clients 500 --ramp-ms 5000 --think-ms 1000-3000 --answer-timeout-ms 15000 --max-seconds 180
 *          --seed 1 --url http://127.0.0.1:3000 --pid 1234 --transport websocket|polling --json
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { setMaxListeners } from 'node:events';
import { readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { io, type Socket } from 'socket.io-client';
import type { AskAck, ChatResponse, ClientToServerEvents, ErrorBody, ServerToClientEvents } from '../../src/shared/chat-protocol.js';
import { findFreePort } from '../support/free-port.js';
import { createSeededRandom } from '../support/seeded-random.js';

type ClientSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

const repositoryRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

interface LoadOptions {
  readonly clients: number;
  readonly rampMs: number;
  readonly thinkMs: readonly [number, number];
  readonly answerTimeoutMs: number;
  readonly maxSeconds: number;
  readonly seed: number;
  readonly url?: string;
  readonly pid?: number;
  readonly transport: 'websocket' | 'polling';
  readonly json: boolean;
}

function readOptions(): LoadOptions {
  const { values } = parseArgs({
    options: {
      clients: { type: 'string', default: '500' },
      'ramp-ms': { type: 'string', default: '5000' },
      'think-ms': { type: 'string', default: '1000-3000' },
      'answer-timeout-ms': { type: 'string', default: '15000' },
      'max-seconds': { type: 'string', default: '180' },
      seed: { type: 'string', default: '1' },
      url: { type: 'string' },
      pid: { type: 'string' },
      transport: { type: 'string', default: 'websocket' },
      json: { type: 'boolean', default: false },
    },
    strict: true,
  });
  const positive = (name: string, raw: string | undefined, min = 0): number => {
    const value = Number(raw);
    if (!Number.isFinite(value) || value < min) throw new Error(`--${name} must be a number >= ${min} (got ${JSON.stringify(raw)})`);
    return value;
  };
  const think = /^(\d+)(?:-(\d+))?$/.exec(values['think-ms'] ?? '');
  if (!think) throw new Error('--think-ms must be a number of milliseconds or a range such as 1000-3000');
  const thinkLow = Number(think[1]);
  const thinkHigh = think[2] === undefined ? thinkLow : Number(think[2]);
  if (values.url !== undefined) {
    const host = new URL(values.url).hostname;
    if (!['127.0.0.1', 'localhost', '[::1]', '::1'].includes(host)) throw new Error('--url must point at this machine (loopback only)');
  }
  if (values.transport !== 'websocket' && values.transport !== 'polling') throw new Error('--transport must be websocket or polling');
  return {
    clients: Math.floor(positive('clients', values.clients, 1)),
    rampMs: positive('ramp-ms', values['ramp-ms']),
    thinkMs: [Math.min(thinkLow, thinkHigh), Math.max(thinkLow, thinkHigh)],
    answerTimeoutMs: positive('answer-timeout-ms', values['answer-timeout-ms'], 1),
    maxSeconds: positive('max-seconds', values['max-seconds'], 1),
    seed: Math.floor(positive('seed', values.seed)),
    ...(values.url === undefined ? {} : { url: values.url.replace(/\/$/, '') }),
    ...(values.pid === undefined ? {} : { pid: Math.floor(positive('pid', values.pid, 1)) }),
    transport: values.transport,
    json: values.json ?? false,
  };
}

type QuestionKind = 'popular' | 'glossary' | 'off-topic' | 'follow-up';

interface PlannedQuestion {
  readonly text: string;
  readonly kind: QuestionKind;
}

const POPULAR: readonly string[] = [
  '微调和调教有什么区别？',
  '微调是什么？',
  '什么是调教？',
  'What is the difference between fine-tuning and tuning?',
  'What is fine-tuning?',
  '过拟合是什么？',
  'Why does fine-tuning need less data than training from scratch?',
  '烹饪的例子说明了什么？',
];

const FOLLOW_UPS: Readonly<Record<'zh' | 'en', readonly string[]>> = {
  zh: ['那调教呢？', '能举个例子吗？', '为什么？', '那微调呢？'],
  en: ['What about tuning?', 'Can you give an example?', 'Why?', 'And fine-tuning?'],
};

function loadGlossaryTerms(): { zh: string; gloss: string }[] {
  const glossary = JSON.parse(readFileSync(path.join(repositoryRoot, 'corpus', 'glossary.json'), 'utf8')) as {
    terms: { zh: string; gloss: string }[];
  };
  return glossary.terms.filter((term) => term.zh.length >= 2);
}

/** Three questions per client: an opener, a follow-up to it, and one more question in the same conversation. */
function planQuestions(clients: number, seed: number): PlannedQuestion[][] {
  const random = createSeededRandom(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  const terms = loadGlossaryTerms();
  const glossaryQuestion = (): PlannedQuestion => {
    const term = pick(terms);
    const text = pick([
      `${term.zh}是什么意思？`,
      `文章是怎么讲${term.zh}的？`,
      `${term.zh}和微调有什么关系？`,
      `What does the article say about ${term.gloss}?`,
      `How does the article explain ${term.gloss}?`,
      `Why does ${term.gloss} matter?`,
    ]);
    return { text, kind: 'glossary' };
  };
  return Array.from({ length: clients }, (_unused, client) => {
    const roll = random();
    const opener: PlannedQuestion =
      roll < 0.5
        ? { text: pick(POPULAR), kind: 'popular' }
        : roll < 0.9
          ? glossaryQuestion()
          : { text: `What is the capital of country number ${client}, and who won the match ${seed}-${client}?`, kind: 'off-topic' };
    const language = /[\u3400-\u9fff]/u.test(opener.text) ? 'zh' : 'en';
    return [opener, { text: pick(FOLLOW_UPS[language]), kind: 'follow-up' }, glossaryQuestion()];
  });
}

interface AskResult {
  readonly kind: QuestionKind;
  readonly ok: boolean;
  readonly latencyMs: number;
  /** Until the acknowledgement (the server has accepted the question). */
  readonly ackMs?: number;
  readonly firstDeltaMs?: number;
  /** Error code, or TIMEOUT / DISCONNECTED / ABORTED. */
  readonly failure?: string;
  readonly mode?: ChatResponse['mode'];
  readonly grounded?: boolean;
}

function askOnce(
  socket: ClientSocket,
  message: string,
  conversationId: string | undefined,
  timeoutMs: number,
  stop: AbortSignal,
): Promise<{ result: Omit<AskResult, 'kind'>; conversationId?: string }> {
  return new Promise((resolve) => {
    const started = performance.now();
    let messageId: string | undefined;
    let ackMs: number | undefined;
    let firstDeltaMs: number | undefined;
    const early: ((ChatResponse & { messageId: string }) | ({ messageId: string } & ErrorBody))[] = [];
    const finish = (result: Omit<AskResult, 'kind' | 'latencyMs'>, id?: string): void => {
      cleanup();
      resolve({
        result: {
          ...result,
          latencyMs: performance.now() - started,
          ...(ackMs === undefined ? {} : { ackMs }),
          ...(firstDeltaMs === undefined ? {} : { firstDeltaMs }),
        },
        ...(id === undefined ? {} : { conversationId: id }),
      });
    };
    const onDelta = (event: { messageId: string }): void => {
      if (firstDeltaMs === undefined && (messageId === undefined || event.messageId === messageId))
        firstDeltaMs = performance.now() - started;
    };
    const onDone = (event: ChatResponse & { messageId: string }): void => {
      if (messageId === undefined) return void early.push(event);
      if (event.messageId === messageId) finish({ ok: true, mode: event.mode, grounded: event.grounded }, event.conversationId);
    };
    const onError = (event: { messageId: string } & ErrorBody): void => {
      if (messageId === undefined) return void early.push(event);
      if (event.messageId === messageId) finish({ ok: false, failure: event.code });
    };
    const onDisconnect = (): void => finish({ ok: false, failure: 'DISCONNECTED' });
    const onStop = (): void => finish({ ok: false, failure: 'ABORTED' });
    const timer = setTimeout(() => finish({ ok: false, failure: 'TIMEOUT' }), timeoutMs);
    const cleanup = (): void => {
      clearTimeout(timer);
      socket.off('answer:delta', onDelta);
      socket.off('answer:done', onDone);
      socket.off('answer:error', onError);
      socket.off('disconnect', onDisconnect);
      stop.removeEventListener('abort', onStop);
    };
    socket.on('answer:delta', onDelta);
    socket.on('answer:done', onDone);
    socket.on('answer:error', onError);
    socket.on('disconnect', onDisconnect);
    stop.addEventListener('abort', onStop, { once: true });
    const request = conversationId === undefined ? { message } : { message, conversationId };
    socket.emit('ask', request, (ack: AskAck) => {
      ackMs = performance.now() - started;
      if ('error' in ack) return finish({ ok: false, failure: ack.error.code });
      messageId = ack.messageId;
      for (const event of early.splice(0)) {
        if ('answer' in event) onDone(event);
        else onError(event);
      }
    });
  });
}

function connect(url: string, transport: LoadOptions['transport'], timeoutMs: number): Promise<ClientSocket> {
  const socket: ClientSocket = io(url, { transports: [transport], reconnection: false, forceNew: true, timeout: timeoutMs });
  return new Promise((resolve, reject) => {
    socket.once('connect', () => resolve(socket));
    socket.once('connect_error', (error) => {
      socket.close();
      reject(error);
    });
  });
}

const sleep = (ms: number, stop: AbortSignal): Promise<void> =>
  new Promise((resolve) => {
    if (stop.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      stop.removeEventListener('abort', done);
      resolve();
    }
    stop.addEventListener('abort', done, { once: true });
  });

interface ServerHandle {
  readonly url: string;
  readonly pid: number | undefined;
  /** SIGTERM, then the exit code and how long the graceful stop took; undefined for a server this script did not start. */
  stop(): Promise<{ exitCode: number | null; ms: number } | undefined>;
}

async function startOwnServer(): Promise<ServerHandle> {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'tutor-load-'));
  const port = await findFreePort();
  // Every simulated learner shares the loopback address, so the per-address connection cap is lifted for this server.
  const environment: NodeJS.ProcessEnv = {
    ...process.env,
    PORT: String(port),
    HOST: '127.0.0.1',
    DATA_DIR: dataDir,
    LOG_LEVEL: 'warn',
    NODE_ENV: 'production',
    SOCKET_CONNECTIONS_PER_IP: '100000',
  };
  // Offline mode: the target is the tutor's own answer path, not a provider.
  delete environment.OPENAI_API_KEY;
  delete environment.REDIS_URL;
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: repositoryRoot,
    env: environment,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => void (output = (output + chunk.toString()).slice(-4000)));
  child.stderr?.on('data', (chunk: Buffer) => void (output = (output + chunk.toString()).slice(-4000)));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const url = `http://127.0.0.1:${port}`;
  const readyBy = Date.now() + 90_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`The server exited with ${child.exitCode} before it was ready:\n${output}`);
    const healthy = await fetch(`${url}/api/health`).then(
      (response) => response.status === 200,
      () => false,
    );
    if (healthy) break;
    if (Date.now() > readyBy) {
      child.kill('SIGKILL');
      throw new Error(`The server was not ready within 90 s:\n${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return {
    url,
    pid: child.pid,
    async stop() {
      const started = performance.now();
      child.kill('SIGTERM');
      const killer = setTimeout(() => child.kill('SIGKILL'), 20_000);
      const exitCode = await exited;
      clearTimeout(killer);
      await rm(dataDir, { recursive: true, force: true });
      return { exitCode, ms: performance.now() - started };
    },
  };
}

/** Resident memory of a process, from /proc: current and peak (VmHWM), in MiB. */
async function readMemory(pid: number): Promise<{ rssMiB: number; peakMiB: number } | undefined> {
  try {
    const status = await readFile(`/proc/${pid}/status`, 'utf8');
    const field = (name: string): number => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? Number.NaN) / 1024;
    return { rssMiB: field('VmRSS'), peakMiB: field('VmHWM') };
  } catch {
    return undefined;
  }
}

/** CPU seconds (user + system) a process has used, from /proc/<pid>/stat. */
async function readCpuSeconds(pid: number): Promise<number | undefined> {
  try {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return undefined;
  }
}

function percentile(sorted: readonly number[], share: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(share * sorted.length) - 1))] as number;
}

async function main(): Promise<void> {
  const options = readOptions();
  const log = (text: string): void => void (options.json ? process.stderr : process.stdout).write(`${text}\n`);
  const server: ServerHandle =
    options.url === undefined ? await startOwnServer() : { url: options.url, pid: options.pid, stop: async () => undefined };
  const plan = planQuestions(options.clients, options.seed);
  const stopController = new AbortController();
  // Every waiting client listens for the hard stop.
  setMaxListeners(0, stopController.signal);
  const hardStop = setTimeout(() => stopController.abort(), options.maxSeconds * 1000);
  const loopDelay = monitorEventLoopDelay({ resolution: 20 });
  loopDelay.enable();

  let memoryBefore: { rssMiB: number; peakMiB: number } | undefined;
  let peakRssMiB = 0;
  let sampler: NodeJS.Timeout | undefined;
  const cpuBefore = server.pid === undefined ? undefined : await readCpuSeconds(server.pid);
  if (server.pid !== undefined) {
    const pid = server.pid;
    memoryBefore = await readMemory(pid);
    sampler = setInterval(() => void readMemory(pid).then((memory) => void (peakRssMiB = Math.max(peakRssMiB, memory?.rssMiB ?? 0))), 250);
  }

  log(
    `load: ${options.clients} clients x 3 questions against ${server.url} (ramp ${options.rampMs} ms, think ${options.thinkMs.join('-')} ms, ${options.transport})`,
  );
  const random = createSeededRandom(options.seed + 7);
  const results: AskResult[] = [];
  let connectFailures = 0;
  let concurrentNow = 0;
  let concurrentPeak = 0;
  const started = performance.now();
  // A learner keeps the widget open after their questions: every connection stays up until all clients are done, so
  // the server holds N connections at the peak.
  let allAsked!: () => void;
  const everyoneDone = new Promise<void>((resolve) => (allAsked = resolve));
  let clientsLeft = plan.length;
  const stopped = new Promise<void>((resolve) => stopController.signal.addEventListener('abort', () => resolve(), { once: true }));

  const clientFinished = (): void => {
    clientsLeft -= 1;
    if (clientsLeft === 0) allAsked();
  };
  const runClient = async (questions: readonly PlannedQuestion[], client: number): Promise<void> => {
    const thinkTimes = questions.map(() => options.thinkMs[0] + random() * (options.thinkMs[1] - options.thinkMs[0]));
    await sleep((client * options.rampMs) / options.clients, stopController.signal);
    if (stopController.signal.aborted) {
      for (const question of questions) results.push({ kind: question.kind, ok: false, latencyMs: 0, failure: 'ABORTED' });
      return clientFinished();
    }
    let socket: ClientSocket;
    try {
      socket = await connect(server.url, options.transport, options.answerTimeoutMs);
    } catch {
      connectFailures += 1;
      for (const question of questions) results.push({ kind: question.kind, ok: false, latencyMs: 0, failure: 'CONNECT_FAILED' });
      return clientFinished();
    }
    concurrentPeak = Math.max(concurrentPeak, (concurrentNow += 1));
    try {
      let conversationId: string | undefined;
      for (const [turn, question] of questions.entries()) {
        if (turn > 0) await sleep(thinkTimes[turn] as number, stopController.signal);
        if (stopController.signal.aborted) {
          results.push({ kind: question.kind, ok: false, latencyMs: 0, failure: 'ABORTED' });
          continue;
        }
        const outcome = await askOnce(socket, question.text, conversationId, options.answerTimeoutMs, stopController.signal);
        results.push({ kind: question.kind, ...outcome.result });
        conversationId ??= outcome.conversationId;
      }
    } finally {
      clientFinished();
      await Promise.race([everyoneDone, stopped]);
      concurrentNow -= 1;
      socket.close();
    }
  };
  await Promise.all(plan.map((questions, client) => runClient(questions, client)));
  const elapsedMs = performance.now() - started;
  clearTimeout(hardStop);
  loopDelay.disable();
  if (sampler) clearInterval(sampler);

  const memoryAfter = server.pid === undefined ? undefined : await readMemory(server.pid);
  const cpuAfter = server.pid === undefined ? undefined : await readCpuSeconds(server.pid);
  const shutdown = await server.stop();

  const answered = results.filter((result) => result.ok);
  const latencies = answered.map((result) => result.latencyMs).sort((left, right) => left - right);
  const firstDeltas = answered
    .flatMap((result) => (result.firstDeltaMs === undefined ? [] : [result.firstDeltaMs]))
    .sort((left, right) => left - right);
  const acks = answered.flatMap((result) => (result.ackMs === undefined ? [] : [result.ackMs])).sort((left, right) => left - right);
  const failures = results.filter((result) => !result.ok);
  const failuresByCode: Record<string, number> = {};
  for (const failure of failures) failuresByCode[failure.failure ?? 'UNKNOWN'] = (failuresByCode[failure.failure ?? 'UNKNOWN'] ?? 0) + 1;
  const byKind: Record<string, { asked: number; p95Ms: number }> = {};
  for (const kind of ['popular', 'glossary', 'off-topic', 'follow-up'] as const) {
    const ofKind = answered
      .filter((result) => result.kind === kind)
      .map((result) => result.latencyMs)
      .sort((left, right) => left - right);
    byKind[kind] = { asked: results.filter((result) => result.kind === kind).length, p95Ms: round(percentile(ofKind, 0.95)) };
  }
  const distinctQuestions = new Set(plan.flat().map((question) => question.text)).size;
  const report = {
    clients: options.clients,
    questionsAsked: results.length,
    distinctQuestions,
    answered: answered.length,
    failures: failures.length,
    failuresByCode,
    connectFailures,
    concurrentClientsPeak: concurrentPeak,
    latencyMs: {
      p50: round(percentile(latencies, 0.5)),
      p95: round(percentile(latencies, 0.95)),
      p99: round(percentile(latencies, 0.99)),
      max: round(latencies.at(-1) ?? Number.NaN),
    },
    ackMs: { p50: round(percentile(acks, 0.5)), p95: round(percentile(acks, 0.95)) },
    firstDeltaMs: { p50: round(percentile(firstDeltas, 0.5)), p95: round(percentile(firstDeltas, 0.95)) },
    byKind,
    grounded: answered.filter((result) => result.grounded).length,
    modes: Object.fromEntries(
      [...new Set(answered.map((result) => result.mode))].map((mode) => [mode, answered.filter((result) => result.mode === mode).length]),
    ),
    elapsedSeconds: round(elapsedMs / 1000),
    answersPerSecond: round(answered.length / (elapsedMs / 1000)),
    server:
      server.pid === undefined
        ? undefined
        : {
            rssBeforeMiB: round(memoryBefore?.rssMiB ?? Number.NaN),
            peakRssMiB: round(Math.max(peakRssMiB, memoryAfter?.rssMiB ?? 0)),
            peakRssSinceStartMiB: round(memoryAfter?.peakMiB ?? Number.NaN),
            rssAfterMiB: round(memoryAfter?.rssMiB ?? Number.NaN),
            cpuSeconds: cpuBefore === undefined || cpuAfter === undefined ? undefined : round(cpuAfter - cpuBefore),
          },
    clientEventLoopDelayP99Ms: round(loopDelay.percentile(99) / 1e6),
    shutdown: shutdown === undefined ? undefined : { exitCode: shutdown.exitCode, ms: round(shutdown.ms) },
    settings: {
      rampMs: options.rampMs,
      thinkMs: options.thinkMs,
      transport: options.transport,
      seed: options.seed,
      answerTimeoutMs: options.answerTimeoutMs,
    },
  };

  if (options.json) {
    process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  } else {
    log(
      `answered ${report.answered}/${report.questionsAsked} (${report.distinctQuestions} distinct questions) in ${report.elapsedSeconds} s, ${report.answersPerSecond} answers/s`,
    );
    log(
      `latency ms: p50 ${report.latencyMs.p50}  p95 ${report.latencyMs.p95}  p99 ${report.latencyMs.p99}  max ${report.latencyMs.max}  (ack p95 ${report.ackMs.p95}, first delta p95 ${report.firstDeltaMs.p95})`,
    );
    log(
      `p95 by question kind: ${Object.entries(byKind)
        .map(([kind, value]) => `${kind} ${value.p95Ms} ms (${value.asked})`)
        .join(', ')}`,
    );
    log(
      `failures: ${report.failures}${report.failures > 0 ? ` ${JSON.stringify(failuresByCode)}` : ''}; modes ${JSON.stringify(report.modes)}; grounded ${report.grounded}`,
    );
    if (report.server) {
      log(
        `server: RSS ${report.server.rssBeforeMiB} MiB before, peak ${report.server.peakRssMiB} MiB during the run (VmHWM ${report.server.peakRssSinceStartMiB} MiB since start, index build included), ${report.server.rssAfterMiB} MiB after; ${report.server.cpuSeconds} CPU s`,
      );
    }
    log(`client event-loop delay p99 ${report.clientEventLoopDelayP99Ms} ms; peak concurrent clients ${report.concurrentClientsPeak}`);
    if (report.shutdown) log(`server stopped on SIGTERM in ${report.shutdown.ms} ms, exit code ${report.shutdown.exitCode}`);
  }
  process.exitCode = report.failures === 0 && (report.shutdown === undefined || report.shutdown.exitCode === 0) ? 0 : 1;
  // Every client is closed by now; should a client library still hold the event loop, do not wait for it.
  setTimeout(() => process.exit(), 2_000).unref();
}

function round(value: number): number {
  return Math.round(value * 10) / 10;
}

main().catch((error: unknown) => {
  process.stderr.write(`load test failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});

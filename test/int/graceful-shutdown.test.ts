import { type ChildProcessByStdio, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { createFakeOpenAIServer, type FakeOpenAIServer, scripted } from '../support/fake-openai-server.js';
import { ask, connectTutorSocket, type TutorClientSocket } from '../support/socket-client.js';
import { repositoryRoot, shippedCorpusDir } from '../support/test-runtime.js';

/**
 * Graceful shutdown of the real server process: `tsx src/main.ts` as `npm start` runs it, in LLM mode against a fake
 * OpenAI server that streams slowly. On SIGTERM the server stops accepting connections and questions, finishes the
 * answer in flight, closes the sockets and exits 0.
 */

interface LogLine {
  readonly level: number;
  readonly msg: string;
  readonly [key: string]: unknown;
}

describe('graceful shutdown on SIGTERM', () => {
  let child: ChildProcessByStdio<null, Readable, Readable> | undefined;
  let fake: FakeOpenAIServer | undefined;
  let dataDir: string | undefined;
  const sockets: TutorClientSocket[] = [];

  afterEach(async () => {
    for (const socket of sockets) socket.close();
    // Whatever happened, nothing of the server outlives the test (tsx runs it in a child of its own: kill the group).
    if (child?.pid !== undefined && child.exitCode === null && child.signalCode === null) {
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        // Already gone.
      }
    }
    await fake?.close();
    if (dataDir !== undefined) await rm(dataDir, { recursive: true, force: true });
  });

  it('finishes the answer in flight, refuses new connections and questions, closes sockets and exits 0', { timeout: 60_000 }, async () => {
    fake = await createFakeOpenAIServer();
    dataDir = await mkdtemp(path.join(tmpdir(), 'tutor-shutdown-'));
    const answerText = '微调是在预训练模型的基础上，针对特定任务进行的进一步训练 [1]。它调整模型的参数，使模型更好地完成特定任务 [1]。';
    // About 2.4 s of streaming: long enough to send SIGTERM in the middle of it.
    fake.enqueue(scripted.text(answerText, { pieces: 24, chunkDelayMs: 100 }));

    const lines: LogLine[] = [];
    let output = '';
    child = spawn(path.join(repositoryRoot, 'node_modules', '.bin', 'tsx'), ['src/main.ts'], {
      cwd: repositoryRoot,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        PATH: process.env.PATH ?? '/usr/bin:/bin',
        HOME: process.env.HOME ?? '/tmp',
        NODE_ENV: 'production',
        HOST: '127.0.0.1',
        PORT: '0',
        LOG_LEVEL: 'info',
        DATA_DIR: dataDir,
        CORPUS_DIR: shippedCorpusDir,
        GLOSSARY_FILE: path.join(shippedCorpusDir, 'glossary.json'),
        OPENAI_API_KEY: 'test-key',
        OPENAI_BASE_URL: fake.url,
        ANSWER_TIMEOUT_MS: '15000',
        SHUTDOWN_GRACE_MS: '10000',
        INDEX_WATCH_INTERVAL_MS: '0',
      },
    });
    let pending = '';
    const onData = (chunk: Buffer): void => {
      output = (output + chunk.toString()).slice(-8000);
      pending += chunk.toString();
      const complete = pending.split('\n');
      pending = complete.pop() ?? '';
      for (const line of complete) {
        try {
          lines.push(JSON.parse(line) as LogLine);
        } catch {
          // Not a log line (e.g. a warning from Node).
        }
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
      child!.once('exit', (code, signal) => resolve({ code, signal })),
    );

    // Ready: it logs its port first, then "Tutor ready" once the index is built.
    await expect.poll(() => lines.some((line) => line.msg.startsWith('Tutor ready')), { timeout: 45_000, interval: 100 }).toBe(true);
    const port = lines.find((line) => typeof line.port === 'number')?.port as number;
    const baseUrl = `http://127.0.0.1:${port}`;
    expect((await fetch(`${baseUrl}/api/health`)).status, output).toBe(200);

    const asker = await connectTutorSocket(baseUrl);
    const idle = await connectTutorSocket(baseUrl);
    sockets.push(asker, idle);
    const idleDisconnected = new Promise<string>((resolve) => idle.once('disconnect', (reason) => resolve(reason)));
    const firstDelta = new Promise<void>((resolve) => asker.once('answer:delta', () => resolve()));
    const inFlight = ask(asker, { message: '微调是什么？' }, 20_000);
    await firstDelta;

    const signalledAt = Date.now();
    child.kill('SIGTERM');
    await expect.poll(() => lines.some((line) => line.msg.startsWith('Shutting down')), { timeout: 5_000, interval: 20 }).toBe(true);

    // New connections are refused at once...
    await expect(fetch(`${baseUrl}/api/health`)).rejects.toThrow();
    await expect(connectTutorSocket(baseUrl)).rejects.toThrow();
    // ...and so are new questions on connections already open.
    const refused = await ask(idle, { message: '什么是调教？' });
    expect(refused.ack).toEqual({ error: { code: 'NOT_READY', message: expect.stringMatching(/restarting/) } });

    // The answer in flight is finished and delivered whole.
    const outcome = await inFlight;
    expect(outcome.done?.mode).toBe('llm');
    expect(outcome.done?.answer).toBe(answerText);
    expect(outcome.deltas.join('')).toBe(answerText);
    expect(Date.now() - signalledAt).toBeGreaterThan(1_000); // it really was mid-stream

    // Then the sockets are closed and the process exits 0, well within the grace period.
    expect(await idleDisconnected).toMatch(/io server disconnect|transport close/);
    const exit = await exited;
    expect(exit, output).toEqual({ code: 0, signal: null });
    expect(Date.now() - signalledAt).toBeLessThan(8_000);
    expect(lines.some((line) => line.msg === 'Stopped')).toBe(true);
    expect(lines.filter((line) => line.level >= 50).map((line) => line.msg)).toEqual([]);
  });

  it('cuts off at the grace period a model that stalls after its headers: SSE ends with error, sockets close, exit 0 within grace + 1 s', {
    timeout: 60_000,
  }, async () => {
    fake = await createFakeOpenAIServer();
    dataDir = await mkdtemp(path.join(tmpdir(), 'tutor-shutdown-'));
    // Headers and one chunk, then silence: the answer would run into ANSWER_TIMEOUT (20 s), well past the grace.
    fake.enqueue(
      scripted.hang({ sendHeaders: true, chunksBeforeHang: ['微调'] }),
      scripted.hang({ sendHeaders: true, chunksBeforeHang: ['调教'] }),
    );
    const lines: LogLine[] = [];
    let output = '';
    child = spawn(path.join(repositoryRoot, 'node_modules', '.bin', 'tsx'), ['src/main.ts'], {
      cwd: repositoryRoot,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        PATH: process.env.PATH ?? '/usr/bin:/bin',
        HOME: process.env.HOME ?? '/tmp',
        NODE_ENV: 'production',
        HOST: '127.0.0.1',
        PORT: '0',
        LOG_LEVEL: 'info',
        DATA_DIR: dataDir,
        CORPUS_DIR: shippedCorpusDir,
        GLOSSARY_FILE: path.join(shippedCorpusDir, 'glossary.json'),
        OPENAI_API_KEY: 'test-key',
        OPENAI_BASE_URL: fake.url,
        ANSWER_TIMEOUT_MS: '20000',
        SHUTDOWN_GRACE_MS: '1000',
        INDEX_WATCH_INTERVAL_MS: '0',
      },
    });
    let pending = '';
    const onData = (chunk: Buffer): void => {
      output = (output + chunk.toString()).slice(-8000);
      pending += chunk.toString();
      const complete = pending.split('\n');
      pending = complete.pop() ?? '';
      for (const line of complete) {
        try {
          lines.push(JSON.parse(line) as LogLine);
        } catch {
          // Not a log line.
        }
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
      child!.once('exit', (code, signal) => resolve({ code, signal })),
    );
    await expect.poll(() => lines.some((line) => line.msg.startsWith('Tutor ready')), { timeout: 45_000, interval: 100 }).toBe(true);
    const port = lines.find((line) => typeof line.port === 'number')?.port as number;
    const baseUrl = `http://127.0.0.1:${port}`;

    // One answer over SSE, one over socket.io, both stalled in the model.
    const sse = await fetch(`${baseUrl}/api/chat`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'text/event-stream' },
      body: JSON.stringify({ message: '微调是什么？' }),
    });
    const sseText = sse.text();
    const socket = await connectTutorSocket(baseUrl);
    sockets.push(socket);
    const disconnected = new Promise<string>((resolve) => socket.once('disconnect', (reason) => resolve(reason)));
    const socketAnswer = ask(socket, { message: '什么是调教？' }, 30_000);
    await expect.poll(() => fake!.chatRequests.length, { timeout: 10_000, interval: 20 }).toBe(2);

    const signalledAt = Date.now();
    child.kill('SIGTERM');
    const exit = await exited;
    const elapsed = Date.now() - signalledAt;
    expect(exit, output).toEqual({ code: 0, signal: null });
    expect(elapsed).toBeLessThan(1_000 + 1_000);
    // The SSE stream ended with an error event (restarting), not a done; the socket got answer:error, then closed.
    const events = await sseText;
    expect(events).toMatch(/event: error\ndata: \{"code":"NOT_READY"/);
    expect(events).not.toMatch(/event: done/);
    expect((await socketAnswer).error?.code).toBe('NOT_READY');
    expect(await disconnected).toMatch(/io server disconnect|transport close/);
    expect(lines.some((line) => /grace period over/.test(line.msg))).toBe(true);
    expect(lines.filter((line) => line.level >= 50).map((line) => line.msg)).toEqual([]);
  });
});

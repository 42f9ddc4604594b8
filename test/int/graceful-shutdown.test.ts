import { afterEach, describe, expect, it } from 'vitest';
import { createFakeOpenAIServer, type FakeOpenAIServer, type ScriptedResponse, scripted } from '../support/fake-openai-server.js';
import { ask, connectTutorSocket, type TutorClientSocket } from '../support/socket-client.js';
import { createTemporaryDirectory } from '../support/test-runtime.js';
import { startTutorProcess, type TutorProcess } from '../support/tutor-process.js';

/**
 * Graceful shutdown of the real server process (src/main.ts, the code `npm start` bundles), in LLM mode against a fake
 * OpenAI server that streams slowly. On SIGTERM the server stops accepting connections and questions, finishes the
 * answer in flight, closes the sockets and exits 0.
 */

describe('graceful shutdown on SIGTERM', () => {
  let node: TutorProcess | undefined;
  let fake: FakeOpenAIServer | undefined;
  let removeData: (() => Promise<void>) | undefined;
  const sockets: TutorClientSocket[] = [];

  afterEach(async () => {
    for (const socket of sockets) socket.close();
    // Whatever happened, nothing of the server outlives the test.
    await node?.close();
    await fake?.close();
    await removeData?.();
  });

  /** The server in production mode, with the given answer deadline and grace period, and a fake model that will answer so. */
  async function startServer(
    env: { ANSWER_TIMEOUT_MS: string; SHUTDOWN_GRACE_MS: string },
    ...model: ScriptedResponse[]
  ): Promise<TutorProcess> {
    fake = await createFakeOpenAIServer();
    fake.enqueue(...model);
    const data = await createTemporaryDirectory('tutor-shutdown-');
    removeData = data.remove;
    node = await startTutorProcess({
      name: 'shutdown',
      env: {
        NODE_ENV: 'production',
        DATA_DIR: data.dir,
        OPENAI_API_KEY: 'test-key',
        OPENAI_BASE_URL: fake.url,
        INDEX_WATCH_INTERVAL_MS: '0',
        ...env,
      },
    });
    await node.waitForLog((line) => line.msg.startsWith('Tutor ready'), 45_000);
    return node;
  }

  it('finishes the answer in flight, refuses new connections and questions, closes sockets and exits 0', { timeout: 60_000 }, async () => {
    const answerText = '微调是在预训练模型的基础上，针对特定任务进行的进一步训练 [1]。它调整模型的参数，使模型更好地完成特定任务 [1]。';
    // About 2.4 s of streaming: long enough to send SIGTERM in the middle of it.
    const server = await startServer(
      { ANSWER_TIMEOUT_MS: '15000', SHUTDOWN_GRACE_MS: '10000' },
      scripted.text(answerText, { pieces: 24, chunkDelayMs: 100 }),
    );
    const baseUrl = server.baseUrl;
    expect((await fetch(`${baseUrl}/api/health`)).status, server.output()).toBe(200);

    const asker = await connectTutorSocket(baseUrl);
    const idle = await connectTutorSocket(baseUrl);
    sockets.push(asker, idle);
    const idleDisconnected = new Promise<string>((resolve) => idle.once('disconnect', (reason) => resolve(reason)));
    const firstDelta = new Promise<void>((resolve) => asker.once('answer:delta', () => resolve()));
    const inFlight = ask(asker, { message: '微调是什么？' }, 20_000);
    await firstDelta;

    const signalledAt = Date.now();
    server.signal('SIGTERM');
    await server.waitForLog((line) => line.msg.startsWith('Shutting down'), 5_000);

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
    const exit = await server.exited();
    expect(exit, server.output()).toEqual({ code: 0, signal: null });
    expect(Date.now() - signalledAt).toBeLessThan(8_000);
    expect(server.logs.some((line) => line.msg === 'Stopped')).toBe(true);
    expect(server.logs.filter((line) => line.level >= 50).map((line) => line.msg)).toEqual([]);
  });

  it('cuts off at the grace period a model that stalls after its headers: SSE ends with error, sockets close, exit 0 within grace + 1 s', {
    timeout: 60_000,
  }, async () => {
    // Headers and one chunk, then silence: the answer would run into ANSWER_TIMEOUT (20 s), well past the grace.
    const server = await startServer(
      { ANSWER_TIMEOUT_MS: '20000', SHUTDOWN_GRACE_MS: '1000' },
      scripted.hang({ sendHeaders: true, chunksBeforeHang: ['微调'] }),
      scripted.hang({ sendHeaders: true, chunksBeforeHang: ['调教'] }),
    );
    const baseUrl = server.baseUrl;

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
    server.signal('SIGTERM');
    const exit = await server.exited();
    const elapsed = Date.now() - signalledAt;
    expect(exit, server.output()).toEqual({ code: 0, signal: null });
    expect(elapsed).toBeLessThan(1_000 + 1_000);
    // The SSE stream ended with an error event (restarting), not a done; the socket got answer:error, then closed.
    const events = await sseText;
    expect(events).toMatch(/event: error\ndata: \{"code":"NOT_READY"/);
    expect(events).not.toMatch(/event: done/);
    expect((await socketAnswer).error?.code).toBe('NOT_READY');
    expect(await disconnected).toMatch(/io server disconnect|transport close/);
    expect(server.logs.some((line) => /grace period over/.test(line.msg))).toBe(true);
    expect(server.logs.filter((line) => line.level >= 50).map((line) => line.msg)).toEqual([]);
  });
});

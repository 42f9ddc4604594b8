import { createServer, request as httpRequest, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFakeOpenAIServer, type FakeOpenAIServer, type ScriptedResponse, scripted } from '../support/fake-openai-server.js';
import { type AskOutcome, ask, connectTutorSocket, type TutorClientSocket } from '../support/socket-client.js';
import { startTestTutor, type TestTutor } from '../support/start-test-tutor.js';

/**
 * Provider faults against the local fake OpenAI-compatible server: a 500, a 429 with Retry-After (short and long), a
 * hang, a connection reset mid-stream, a malformed SSE chunk, a tool call with broken JSON, and a dropped connection.
 * Each faulty answer ends within ANSWER_TIMEOUT_MS, in a fallback answer or a clear error, while another
 * conversation asks meanwhile and gets its model answers as usual.
 *
 * A small proxy in front of two fake servers sends the faulty conversation's requests (marked in the question) to one
 * scripted with the fault, and everything else to one that answers normally, so the two conversations never take each
 * other's scripted responses.
 */

const ANSWER_TIMEOUT_MS = 3_000;
/**
 * Routes a learner's model requests to the faulty endpoint. Stopwords only, so the tutor reads the question as the same
 * question without it (a name-like marker such as `ZX-FAULT` would make the question one about something the article
 * never names, and so not covered).
 */
const FAULT_MARKER = 'please please please';

interface ModelRouter {
  readonly url: string;
  /** The fake the faulty conversation's requests go to; `drop` makes the proxy cut their connections instead. */
  faulty: FakeOpenAIServer | 'drop';
  close(): Promise<void>;
}

async function createModelRouter(healthy: FakeOpenAIServer, faulty: FakeOpenAIServer): Promise<ModelRouter> {
  const sockets = new Set<Socket>();
  const router: { faulty: FakeOpenAIServer | 'drop' } = { faulty };
  const server: Server = createServer((incoming: IncomingMessage, outgoing: ServerResponse) => {
    const chunks: Buffer[] = [];
    incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
    incoming.on('end', () => {
      const body = Buffer.concat(chunks);
      const isFaulty = body.includes(FAULT_MARKER);
      if (isFaulty && router.faulty === 'drop') {
        // Accept the request, say nothing for a while, then cut the connection.
        setTimeout(() => outgoing.socket?.destroy(), 400);
        return;
      }
      const target = new URL(isFaulty ? (router.faulty as FakeOpenAIServer).url : healthy.url);
      const upstream = httpRequest(
        {
          host: target.hostname,
          port: target.port,
          method: incoming.method,
          path: incoming.url,
          headers: { ...incoming.headers, host: target.host, 'content-length': String(body.length) },
        },
        (response) => {
          outgoing.writeHead(response.statusCode ?? 502, response.headers);
          outgoing.flushHeaders();
          response.pipe(outgoing);
          // The fake cut its connection: cut ours, so the tutor sees the same fault.
          response.on('aborted', () => outgoing.socket?.destroy());
          response.on('error', () => outgoing.socket?.destroy());
        },
      );
      upstream.on('error', () => outgoing.socket?.destroy());
      // The tutor gave up (timeout or abort): let the fake know, so a hang ends there too.
      outgoing.on('close', () => upstream.destroy());
      upstream.end(body);
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`,
    get faulty() {
      return router.faulty;
    },
    set faulty(value) {
      router.faulty = value;
    },
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

interface FaultCase {
  readonly name: string;
  /** Responses for the faulty conversation's model requests (first attempt, then the retry). */
  readonly responses: readonly ScriptedResponse[] | 'drop';
  readonly expectMode: 'offline-fallback' | 'llm';
  /** Model requests the faulty answer makes: 1 when the fault forbids a retry (or leaves no time), else 2. */
  readonly requests: number;
  /** The faulty answer takes at least this long (the fault is slow on purpose, so the other conversation overlaps it). */
  readonly atLeastMs?: number;
}

const slowly = { initialDelayMs: 400 } as const;

const FAULTS: readonly FaultCase[] = [
  {
    name: 'HTTP 500 twice',
    responses: [
      { ...scripted.httpError(500, 'upstream exploded'), ...slowly },
      { ...scripted.httpError(500), ...slowly },
    ],
    expectMode: 'offline-fallback',
    requests: 2,
    atLeastMs: 800,
  },
  {
    name: '429 with Retry-After: 1, then an answer',
    responses: [scripted.rateLimit(1), scripted.text('调教更广义 [1]。')],
    expectMode: 'llm',
    requests: 2,
    atLeastMs: 950,
  },
  {
    name: '429 asking to wait 30 s (longer than the budget)',
    responses: [{ ...scripted.rateLimit(30), ...slowly }],
    expectMode: 'offline-fallback',
    requests: 1,
  },
  {
    name: 'a hang after the headers and a first chunk',
    responses: [scripted.hang({ sendHeaders: true, chunksBeforeHang: ['微调是'] })],
    expectMode: 'offline-fallback',
    requests: 1,
    atLeastMs: 2_000,
  },
  {
    name: 'a connection reset mid-stream, twice',
    responses: [
      { ...scripted.streamCut(['微调是', '在预训练', '模型的基础上']), chunkDelayMs: 120 },
      { ...scripted.streamCut(['微调']), chunkDelayMs: 120 },
    ],
    expectMode: 'offline-fallback',
    requests: 2,
  },
  {
    name: 'a malformed SSE chunk, twice',
    responses: [
      { ...scripted.malformedChunk(['微调', '是']), chunkDelayMs: 150 },
      { ...scripted.malformedChunk(['微调']), chunkDelayMs: 150 },
    ],
    expectMode: 'offline-fallback',
    requests: 2,
  },
  {
    name: 'a tool call with broken JSON arguments, twice',
    responses: [
      { ...scripted.toolCall('search_article', '{query: 微调}'), ...slowly },
      { ...scripted.toolCall('search_article', '{"query": [微调 超参}'), ...slowly },
    ],
    expectMode: 'offline-fallback',
    requests: 2,
  },
  {
    name: 'the endpoint dropping the connection before any response, twice',
    responses: 'drop',
    expectMode: 'offline-fallback',
    requests: 0,
    atLeastMs: 800,
  },
];

describe('LLM provider faults: bounded, answered, and isolated from other conversations', () => {
  let healthy: FakeOpenAIServer;
  let spare: FakeOpenAIServer;
  let router: ModelRouter;
  let tutor: TestTutor;
  let faultySocket: TutorClientSocket;
  let otherSocket: TutorClientSocket;

  beforeAll(async () => {
    healthy = await createFakeOpenAIServer({ chunkDelayMs: 5 });
    spare = await createFakeOpenAIServer();
    router = await createModelRouter(healthy, spare);
    tutor = await startTestTutor({
      env: {
        OPENAI_API_KEY: 'test-key',
        OPENAI_BASE_URL: router.url,
        ANSWER_TIMEOUT_MS: String(ANSWER_TIMEOUT_MS),
        LLM_RETRY_DELAY_MS: '50',
        CONVERSATION_ASKS_PER_MINUTE: '100',
        SOCKET_ASKS_PER_MINUTE: '100',
      },
    });
    [faultySocket, otherSocket] = await Promise.all([connectTutorSocket(tutor.baseUrl), connectTutorSocket(tutor.baseUrl)]);
  });
  afterAll(async () => {
    faultySocket.close();
    otherSocket.close();
    await tutor.close();
    await router.close();
    await healthy.close();
    await spare.close();
  });

  it.each(FAULTS)('$name', async (fault) => {
    const faulty = await createFakeOpenAIServer({ chunkDelayMs: 5 });
    router.faulty = fault.responses === 'drop' ? 'drop' : faulty;
    if (fault.responses !== 'drop') faulty.enqueue(...fault.responses);
    try {
      const started = Date.now();
      const faultyAnswer = ask(faultySocket, { message: `微调是什么？ ${FAULT_MARKER}` }, ANSWER_TIMEOUT_MS + 3_000).then((outcome) => ({
        outcome,
        ms: Date.now() - started,
      }));

      // Meanwhile, another learner's conversation: two model answers, as fast as usual.
      await new Promise((resolve) => setTimeout(resolve, 50));
      const healthyBefore = healthy.chatRequests.length;
      healthy.enqueue(scripted.text('调教更广义，它包括微调在内的任何参数调整 [1]。'), scripted.text('超参数的调整也属于调教 [1]。'));
      const otherTimes: number[] = [];
      const others: AskOutcome[] = [];
      let conversationId: string | undefined;
      for (const message of ['调教是什么？', '那超参数呢？']) {
        const askedAt = Date.now();
        const outcome = await ask(otherSocket, conversationId === undefined ? { message } : { message, conversationId });
        otherTimes.push(Date.now() - askedAt);
        others.push(outcome);
        conversationId ??= outcome.done?.conversationId;
      }
      const { outcome, ms } = await faultyAnswer;

      expect(others.map((other) => other.done?.mode)).toEqual(['llm', 'llm']);
      expect(healthy.chatRequests.length - healthyBefore).toBe(2);
      for (const time of otherTimes) expect(time).toBeLessThan(1_000);
      // The other conversation was served while the faulty answer was still in progress.
      expect(otherTimes.reduce((sum, time) => sum + time, 0) + 50).toBeLessThan(ms);

      expect(outcome.error, JSON.stringify(outcome.error)).toBeUndefined();
      expect(outcome.done?.mode).toBe(fault.expectMode);
      expect(ms).toBeLessThan(ANSWER_TIMEOUT_MS + 300);
      if (fault.atLeastMs !== undefined) expect(ms).toBeGreaterThanOrEqual(fault.atLeastMs);
      expect(faulty.chatRequests).toHaveLength(fault.requests);
      // Whatever was streamed before the fault was taken back: the learner's text is the final answer.
      expect(outcome.deltas.join('')).toBe(outcome.done?.answer);
      if (fault.expectMode === 'offline-fallback') {
        expect(outcome.done?.notice).toBe('语言模型暂时不可用，以下回答直接引自文章。');
        expect(outcome.done?.grounded).toBe(true);
        expect(outcome.done?.citations.length).toBeGreaterThan(0);
      }
    } finally {
      await faulty.close();
    }
  });

  it('ends a hung model answer over REST server-sent events within the timeout too', async () => {
    const faulty = await createFakeOpenAIServer();
    router.faulty = faulty;
    faulty.enqueue(scripted.hang());
    try {
      const started = Date.now();
      const response = await fetch(`${tutor.baseUrl}/api/chat`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'text/event-stream' },
        body: JSON.stringify({ message: `什么是调教？ ${FAULT_MARKER}` }),
      });
      const text = await response.text();
      expect(Date.now() - started).toBeLessThan(ANSWER_TIMEOUT_MS + 300);
      const done = /event: done\ndata: (.+)/.exec(text);
      expect(done).not.toBeNull();
      expect((JSON.parse(done![1]!) as { mode: string }).mode).toBe('offline-fallback');
    } finally {
      await faulty.close();
    }
  });

  it('ends with a clear ANSWER_TIMEOUT error when even the fallback cannot finish in time, and the conversation is usable after', async () => {
    // A model that hangs and an offline answerer that is slow: nothing can answer within the deadline.
    const slowTutor = await startTestTutor({
      env: { OPENAI_API_KEY: 'test-key', OPENAI_BASE_URL: router.url, ANSWER_TIMEOUT_MS: '1000', LLM_RETRY_DELAY_MS: '50' },
      wrapAnswerer: (answerer, runtime) => {
        const offline = runtime.offlineAnswerer.answer.bind(runtime.offlineAnswerer);
        (runtime.offlineAnswerer as { answer: typeof offline }).answer = async (input) => {
          await new Promise((resolve) => setTimeout(resolve, 1_500));
          return offline(input);
        };
        return answerer;
      },
    });
    const faulty = await createFakeOpenAIServer();
    router.faulty = faulty;
    faulty.enqueue(scripted.hang());
    const socket = await connectTutorSocket(slowTutor.baseUrl);
    try {
      const started = Date.now();
      const outcome = await ask(socket, { message: `微调是什么？ ${FAULT_MARKER}` }, 5_000);
      expect(Date.now() - started).toBeLessThan(1_400);
      expect(outcome.error).toEqual({
        messageId: (outcome.ack as { messageId: string }).messageId,
        code: 'ANSWER_TIMEOUT',
        message: expect.stringMatching(/took too long/),
      });
      expect(socket.connected).toBe(true);
      // The deadline released the conversation: the next question in it is answered.
      faulty.enqueue(scripted.text('调教更广义 [1]。'));
      const conversationId = (outcome.ack as { conversationId: string }).conversationId;
      const next = await ask(socket, { message: `那调教呢？ ${FAULT_MARKER}`, conversationId }, 5_000);
      expect(next.done?.mode).toBe('llm');
      expect(next.done?.conversationId).toBe(conversationId);
    } finally {
      socket.close();
      await slowTutor.close();
      await faulty.close();
    }
  });
});

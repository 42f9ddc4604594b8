import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCorpusApp } from '../../src/app/create-app.js';
import type { ChatResponse, ConversationResponse } from '../../src/shared/chat-protocol.js';
import type { ModelAnswerBudget } from '../../src/stores/model-budget/model-answer-budget.js';
import { createRedisModelAnswerBudget } from '../../src/stores/model-budget/redis-model-answer-budget.js';
import { connectRedis } from '../../src/stores/redis/redis-connection.js';
import { postChat as postJsonChat } from '../support/http-client.js';
import { findFreePort, startRedisServer, type TestRedisServer } from '../support/redis-server.js';
import { ask, connectTutorSocket, type TutorClientSocket } from '../support/socket-client.js';
import { createRecordingLogger, createTemporaryDirectory, testConfig } from '../support/test-runtime.js';
import { startTutorProcess, type TutorProcess } from '../support/tutor-process.js';

/**
 * Two real tutor processes sharing one real redis-server and one index folder, as behind a load balancer: a learner's
 * requests may land on either node.
 */
const HTTP_LIMIT = 8;
/** Where @socket.io/redis-adapter nodes ask each other (fetchSockets, serverSideEmit) for the main namespace. */
const SOCKET_IO_REQUEST_CHANNEL = 'tutor:socket.io-request#/#';
const HISTORY_TURNS = 3;
const TTL_MINUTES = 5;

/** Each test is a different client behind the proxy (TRUST_PROXY), so rate limits never leak between tests. */
function postChat(node: TutorProcess, client: string, body: unknown): Promise<Response> {
  return postJsonChat(node.baseUrl, body, { 'x-forwarded-for': client });
}

async function chat(node: TutorProcess, client: string, body: unknown): Promise<ChatResponse> {
  const response = await postChat(node, client, body);
  const text = await response.text();
  expect(response.status, `${node.name}: ${text}`).toBe(200);
  return JSON.parse(text) as ChatResponse;
}

/** The `r` (remaining) parameter of the draft-8 RateLimit header, e.g. `"60-in-1min"; r=7; t=60`. */
function remaining(response: Response): number {
  return Number(/\br=(\d+)/.exec(response.headers.get('ratelimit') ?? '')?.[1] ?? Number.NaN);
}

/** Any warning about Redis: an outage must produce exactly one, however many requests run into it. */
const isOutageWarning = (line: { level: number; msg: string }): boolean => line.level >= 40 && /redis/i.test(line.msg);
const isRecovery = (line: { level: number; msg: string }): boolean => /^Redis at .* is reachable again/.test(line.msg);

describe('several tutor nodes sharing Redis', () => {
  let redis: TestRedisServer;
  let data: Awaited<ReturnType<typeof createTemporaryDirectory>>;
  let nodeA: TutorProcess;
  let nodeB: TutorProcess;
  /** A node whose Redis is not running yet when it starts (e.g. started before Redis by an orchestrator). */
  let lateRedis: TestRedisServer;
  let nodeC: TutorProcess;
  let inspector: Redis;
  const sockets: TutorClientSocket[] = [];

  beforeAll(async () => {
    redis = await startRedisServer();
    data = await createTemporaryDirectory('tutor-multi-node-');
    // The index is built once (as `npm run ingest` does) into the folder both nodes read.
    const runtime = (await createCorpusApp({ config: testConfig({ dataDir: data.dir }), logger: createRecordingLogger().logger })).corpus;
    await runtime.ensureIndex();
    const env = {
      DATA_DIR: data.dir,
      REDIS_URL: redis.url,
      TRUST_PROXY: 'loopback',
      HTTP_RATE_LIMIT_PER_MINUTE: String(HTTP_LIMIT),
      HISTORY_TURNS: String(HISTORY_TURNS),
      CONVERSATION_TTL_MINUTES: String(TTL_MINUTES),
    };
    lateRedis = await startRedisServer();
    await lateRedis.stop();
    const started = await Promise.allSettled([
      startTutorProcess({ name: 'node-a', env }),
      startTutorProcess({ name: 'node-b', env }),
      startTutorProcess({ name: 'node-c', env: { ...env, REDIS_URL: lateRedis.url } }),
    ]);
    // Keep every node that did start, so afterAll stops it even when another failed to.
    [nodeA, nodeB, nodeC] = started.map((result) => (result.status === 'fulfilled' ? result.value : undefined)) as [
      TutorProcess,
      TutorProcess,
      TutorProcess,
    ];
    for (const result of started) if (result.status === 'rejected') throw result.reason;
    inspector = new Redis(redis.url, { lazyConnect: true, enableOfflineQueue: false, maxRetriesPerRequest: 0, retryStrategy: () => null });
    await inspector.connect();
  }, 60_000);

  afterAll(async () => {
    for (const socket of sockets) socket.close();
    inspector?.disconnect();
    await Promise.allSettled([nodeA?.close(), nodeB?.close(), nodeC?.close()]);
    await Promise.allSettled([redis?.close(), lateRedis?.close()]);
    await data?.remove();
  });

  it('continues on node B a conversation started on node A, with its history (the follow-up is resolved)', async () => {
    const first = await chat(nodeA, '198.51.100.1', { message: '微调是什么？' });
    expect(first.grounded).toBe(true);
    const second = await chat(nodeB, '198.51.100.1', { message: '那调教呢？', conversationId: first.conversationId });
    expect(second.conversationId).toBe(first.conversationId);
    expect(second.searchedFor).toBe('调教是什么？');
    expect(second.citations.some((citation) => citation.text.includes('调教这个词通常更广义'))).toBe(true);

    const history = (await (await fetch(`${nodeA.baseUrl}/api/conversations/${first.conversationId}`)).json()) as ConversationResponse;
    expect(history.turns.map((turn) => turn.question)).toEqual(['微调是什么？', '那调教呢？']);

    // The same over socket.io: started on B, continued on A.
    const onB = await connectTutorSocket(nodeB.baseUrl);
    const onA = await connectTutorSocket(nodeA.baseUrl);
    sockets.push(onA, onB);
    const opened = await ask(onB, { message: '微调是什么？' });
    expect(opened.done?.grounded).toBe(true);
    const continued = await ask(onA, { message: '那调教呢？', conversationId: opened.done?.conversationId });
    expect(continued.done?.conversationId).toBe(opened.done?.conversationId);
    expect(continued.done?.searchedFor).toBe('调教是什么？');
    // A healthy cluster logs no errors.
    for (const node of [nodeA, nodeB])
      expect(
        node.logs.filter((line) => line.level >= 50),
        node.name,
      ).toEqual([]);
  });

  it('keeps conversations in Redis under the tutor: prefix, with the idle TTL and at most HISTORY_TURNS turns', async () => {
    const questions = ['微调是什么？', '什么是调教？', '微调和调教有什么区别？', '微调需要多少数据？'];
    let conversationId: string | undefined;
    for (const [position, message] of questions.entries()) {
      const node = position % 2 === 0 ? nodeA : nodeB;
      const response = await chat(node, '198.51.100.2', conversationId === undefined ? { message } : { message, conversationId });
      conversationId = response.conversationId;
    }
    const id = conversationId as string;
    expect(id).toMatch(/^[A-Za-z0-9_-]{22}$/);
    const history = (await (await fetch(`${nodeB.baseUrl}/api/conversations/${id}`)).json()) as ConversationResponse;
    expect(history.turns.map((turn) => turn.question)).toEqual(questions.slice(-HISTORY_TURNS));

    const keys = await inspector.keys('*');
    expect(keys.length).toBeGreaterThan(0);
    for (const key of keys) expect(key.startsWith('tutor:')).toBe(true);
    const conversationKeys = keys.filter((key) => key.includes(id)).sort();
    expect(conversationKeys).toEqual([`tutor:conversation:{${id}}`, `tutor:conversation:{${id}}:turns`]);
    expect(await inspector.llen(`tutor:conversation:{${id}}:turns`)).toBe(HISTORY_TURNS);
    for (const key of conversationKeys) {
      const ttl = await inspector.pttl(key);
      expect(ttl).toBeGreaterThan(TTL_MINUTES * 60_000 - 30_000);
      expect(ttl).toBeLessThanOrEqual(TTL_MINUTES * 60_000);
    }

    // Both nodes' socket.io servers listen on the Redis adapter's request channel.
    expect(await inspector.pubsub('NUMSUB', SOCKET_IO_REQUEST_CHANNEL), String(await inspector.client('LIST'))).toEqual([
      SOCKET_IO_REQUEST_CHANNEL,
      2,
    ]);

    // An id Redis does not know is refused on either node, never created on the fly.
    const unknown = await postChat(nodeB, '198.51.100.2', { message: '你好', conversationId: 'A'.repeat(22) });
    expect(unknown.status).toBe(404);
  });

  it('applies one HTTP rate limit across both nodes', async () => {
    const client = '203.0.113.9';
    const left: number[] = [];
    for (let request = 0; request < HTTP_LIMIT; request += 1) {
      const response = await postChat(request % 2 === 0 ? nodeA : nodeB, client, { message: '什么是调教？' });
      expect(response.status).toBe(200);
      await response.body?.cancel();
      left.push(remaining(response));
    }
    expect(left).toEqual(Array.from({ length: HTTP_LIMIT }, (_, index) => HTTP_LIMIT - index - 1));
    for (const node of [nodeA, nodeB]) {
      const refused = await postChat(node, client, { message: '什么是调教？' });
      expect(refused.status).toBe(429);
      expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('RATE_LIMITED');
    }
    // Another learner is not affected.
    expect((await postChat(nodeB, '203.0.113.10', { message: '什么是调教？' })).status).toBe(200);
  });

  it('counts model answers per conversation across nodes (LLM budget), and per node while Redis is down', async () => {
    const { logger } = createRecordingLogger();
    // Two nodes' connections and budgets, as createSharedState makes them; a short window to see it slide.
    const connections = await Promise.all([connectRedis({ url: redis.url, logger }), connectRedis({ url: redis.url, logger })]);
    const unreachable = await connectRedis({ url: `redis://127.0.0.1:${await findFreePort()}`, logger, initialWaitMs: 100 });
    try {
      const [onA, onB, offline] = [...connections, unreachable].map((connection) =>
        createRedisModelAnswerBudget({
          client: connection.client,
          answersPerWindow: 3,
          windowMs: 2_000,
          runCommand: (command) => connection.health.run(command),
        }),
      ) as [ModelAnswerBudget, ModelAnswerBudget, ModelAnswerBudget];
      const conversation = 'Q29udmVyc2F0aW9uQnVkZ2V0';
      expect([await onA.tryConsume(conversation), await onB.tryConsume(conversation), await onA.tryConsume(conversation)]).toEqual([
        true,
        true,
        true,
      ]);
      expect([await onB.tryConsume(conversation), await onA.tryConsume(conversation)]).toEqual([false, false]);
      expect(await onB.tryConsume('AnotherConversationId1')).toBe(true);
      const ttl = await inspector.pttl(`tutor:model-answers:${conversation}`);
      expect(ttl).toBeGreaterThan(0);
      expect(ttl).toBeLessThanOrEqual(2_000);
      await new Promise((resolve) => setTimeout(resolve, 2_100));
      expect(await onB.tryConsume(conversation)).toBe(true);

      // Without Redis the budget still holds, counted by the node itself.
      const offlineTakes = [];
      for (let take = 0; take < 4; take += 1) offlineTakes.push(await offline.tryConsume(conversation));
      expect(offlineTakes).toEqual([true, true, true, false]);
    } finally {
      await Promise.all([...connections, unreachable].map((connection) => connection.close()));
    }
  });

  it('keeps answering without history while Redis is down, warns once, and recovers when Redis is back', async () => {
    const before = await chat(nodeA, '198.51.100.3', { message: '微调是什么？' });
    const logsBefore = new Map([nodeA, nodeB].map((node) => [node, node.logs.length]));
    await redis.stop();

    // Answers still come, on both nodes and both transports; the follow-up now has no history to resolve against.
    const fresh = await chat(nodeA, '198.51.100.3', { message: '微调是什么？' });
    expect(fresh.grounded).toBe(true);
    expect(fresh.citations.length).toBeGreaterThan(0);
    const followUp = await chat(nodeB, '198.51.100.3', { message: '那调教呢？', conversationId: before.conversationId });
    expect(followUp.conversationId).toBe(before.conversationId);
    expect(followUp.searchedFor).not.toBe('调教是什么？');
    expect(followUp.answer.length).toBeGreaterThan(0);
    const socket = await connectTutorSocket(nodeB.baseUrl);
    sockets.push(socket);
    const overSocket = await ask(socket, { message: '什么是调教？' });
    expect(overSocket.done?.grounded).toBe(true);
    for (let round = 0; round < 3; round += 1) {
      await chat(nodeA, '198.51.100.3', { message: '什么是调教？' });
      await chat(nodeB, '198.51.100.3', { message: '什么是调教？' });
    }
    await new Promise((resolve) => setTimeout(resolve, 200)); // the last request log lines are written after the response
    for (const node of [nodeA, nodeB]) {
      expect(node.alive()).toBe(true);
      // One warning for the whole outage, and nothing else at warn level or above: not one per request.
      const warnings = node.logs.slice(logsBefore.get(node)).filter((line) => line.level >= 40);
      expect(
        warnings.map((line) => line.msg),
        node.name,
      ).toHaveLength(1);
      expect(warnings[0]?.msg).toMatch(/^Redis at redis:\/\/127\.0\.0\.1:\d+\/? is unreachable: answering without conversation history/);
    }
    // Reading a stored conversation is the one thing that cannot work: it says so instead of showing an empty one.
    const unavailable = await fetch(`${nodeA.baseUrl}/api/conversations/${before.conversationId}`);
    expect(unavailable.status).toBe(503);
    expect(((await unavailable.json()) as { error: { code: string } }).error.code).toBe('STORE_UNAVAILABLE');

    await redis.start();
    await Promise.all([nodeA.waitForLog(isRecovery, 15_000), nodeB.waitForLog(isRecovery, 15_000)]);
    const again = await chat(nodeB, '198.51.100.4', { message: '微调是什么？' });
    const resolved = await chat(nodeA, '198.51.100.4', { message: '那调教呢？', conversationId: again.conversationId });
    expect(resolved.searchedFor).toBe('调教是什么？');
    const reconnected = await ask(socket, { message: '那微调呢？', conversationId: resolved.conversationId });
    expect(reconnected.done?.searchedFor).toBe('微调是什么？');
    // The socket.io adapters subscribed again to the restarted (empty) Redis.
    const restarted = new Redis(redis.url, { maxRetriesPerRequest: 0, retryStrategy: () => null });
    try {
      const deadline = Date.now() + 5_000;
      let subscribers = 0;
      while (subscribers < 2 && Date.now() < deadline) {
        subscribers = ((await restarted.pubsub('NUMSUB', SOCKET_IO_REQUEST_CHANNEL)) as [string, number])[1];
        if (subscribers < 2) await new Promise((resolve) => setTimeout(resolve, 100));
      }
      expect(subscribers).toBe(2);
    } finally {
      restarted.disconnect();
    }
    for (const node of [nodeA, nodeB]) {
      expect(node.logs.filter(isOutageWarning), node.name).toHaveLength(1);
      expect(node.logs.filter(isRecovery), node.name).toHaveLength(1);
    }
  });

  it('does not make learners wait on a hung Redis: one command timeout, then answers at once until it answers again', async () => {
    const logsBefore = nodeA.logs.length;
    redis.pause();
    const timings: number[] = [];
    try {
      for (let request = 0; request < 4; request += 1) {
        const started = performance.now();
        const answer = await chat(nodeA, '198.51.100.5', { message: '什么是调教？' });
        timings.push(performance.now() - started);
        expect(answer.grounded).toBe(true);
      }
    } finally {
      redis.resume();
    }
    // The first request finds out (one 1 s command timeout); the next ones do not wait for Redis at all.
    expect(timings[0]).toBeLessThan(2_500);
    // (Waiting for Redis would cost at least the 1 s command timeout.)
    for (const timing of timings.slice(1)) expect(timing).toBeLessThan(900);
    expect(nodeA.logs.slice(logsBefore).filter(isOutageWarning)).toHaveLength(1);

    // A background probe notices that Redis answers again.
    await nodeA.waitForLog(isRecovery, 10_000, logsBefore);
    const opened = await chat(nodeA, '198.51.100.5', { message: '微调是什么？' });
    const resolved = await chat(nodeB, '198.51.100.5', { message: '那调教呢？', conversationId: opened.conversationId });
    expect(resolved.searchedFor).toBe('调教是什么？');
  });

  it('starts and answers while its Redis is not up yet, then shares state once Redis comes', async () => {
    const answer = await chat(nodeC, '198.51.100.6', { message: '微调是什么？' });
    expect(answer.grounded).toBe(true);
    expect(nodeC.logs.filter(isOutageWarning).map((line) => line.msg)).toEqual([expect.stringMatching(/is not reachable yet/)]);

    await lateRedis.start();
    await nodeC.waitForLog(isRecovery, 10_000);
    const opened = await chat(nodeC, '198.51.100.6', { message: '微调是什么？' });
    const resolved = await chat(nodeC, '198.51.100.6', { message: '那调教呢？', conversationId: opened.conversationId });
    expect(resolved.searchedFor).toBe('调教是什么？');
    const keys = new Redis(lateRedis.url, { maxRetriesPerRequest: 0, retryStrategy: () => null });
    try {
      expect(await keys.llen(`tutor:conversation:{${opened.conversationId}}:turns`)).toBe(2);
    } finally {
      keys.disconnect();
    }

    // A node shuts down cleanly and promptly even while its Redis is gone.
    await lateRedis.stop();
    const stopping = performance.now();
    expect(await nodeC.close()).toBe(0);
    expect(performance.now() - stopping).toBeLessThan(5_000);
    expect(nodeC.logs.at(-1)?.msg).toBe('Stopped');
  });
});

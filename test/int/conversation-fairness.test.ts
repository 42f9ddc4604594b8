import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChatResponse, ConversationResponse } from '../../src/shared/chat-protocol.js';
import {
  type ConversationStore,
  createInMemoryConversationStore,
  type StoredTurn,
} from '../../src/stores/conversations/conversation-store.js';
import { createRedisConversationStore } from '../../src/stores/conversations/redis-conversation-store.js';
import { startRedisServer, type TestRedisServer } from '../support/redis-server.js';
import { startTestTutor } from '../support/start-test-tutor.js';
import { createRecordingLogger } from '../support/test-runtime.js';

/**
 * One address must not be able to wipe out other learners' conversations (issue 13, defect 2), and the transcript is
 * kept whole for display (issue 14): the same rules for the in-memory store and the Redis store (real redis-server).
 */

const turn = (index: number): StoredTurn => ({
  messageId: `m${index}`,
  question: `问题 ${index}`,
  response: {
    answer: `回答 ${index}`,
    citations: [],
    followUps: [],
    grounded: false,
    searchedFor: `问题 ${index}`,
    mode: 'offline',
    language: 'zh',
  },
  language: 'zh',
  createdAt: new Date().toISOString(),
});
const id = (name: string): string => `${name}`.padEnd(22, 'x');

let redisServer: TestRedisServer;
let redis: Redis;
beforeAll(async () => {
  redisServer = await startRedisServer();
  redis = new Redis(redisServer.url, { lazyConnect: false, maxRetriesPerRequest: 1 });
});
afterAll(async () => {
  redis?.disconnect();
  await redisServer?.close();
});

const stores: [string, (limits: { maxConversations: number; maxPerOwner: number; maxTurns: number }) => Promise<ConversationStore>][] = [
  ['memory', async (limits) => createInMemoryConversationStore({ ...limits, ttlMs: 60_000 })],
  [
    'redis',
    async (limits) => {
      await redis.flushall();
      return createRedisConversationStore({ client: redis, logger: createRecordingLogger().logger, ttlMs: 60_000, ...limits });
    },
  ],
];

describe.each(stores)('%s conversation store', (_name, createStore) => {
  it('when full, evicts from the address that holds more than its share, never a learner within the limits', async () => {
    const store = await createStore({ maxConversations: 20, maxPerOwner: 1000, maxTurns: 10 });
    await store.create(id('learnerA'), { owner: 'learner-a' });
    await store.appendTurn(id('learnerA'), turn(1));
    await store.create(id('learnerB'), { owner: 'learner-b' });
    for (let index = 0; index < 200; index += 1) await store.create(id(`flood${index}`), { owner: 'flooder' });
    expect((await store.get(id('learnerA')))?.turns).toHaveLength(1);
    expect(await store.get(id('learnerB'))).toBeDefined();
    // The flooder keeps only what is left of the store, its newest.
    expect(await store.get(id('flood199'))).toBeDefined();
    expect(await store.get(id('flood0'))).toBeUndefined();
    // A new learner still gets in, and again at the flooder's expense.
    await store.create(id('learnerC'), { owner: 'learner-c' });
    expect(await store.get(id('learnerC'))).toBeDefined();
    expect(await store.get(id('learnerA'))).toBeDefined();
  });

  it('evicts the idle conversations of an address over its share before its active ones', async () => {
    const store = await createStore({ maxConversations: 6, maxPerOwner: 1000, maxTurns: 10 });
    for (let index = 0; index < 5; index += 1) await store.create(id(`big${index}`), { owner: 'big' });
    await store.create(id('small'), { owner: 'small' });
    await new Promise((resolve) => setTimeout(resolve, 5));
    await store.appendTurn(id('big0'), turn(1)); // big0 is the oldest but active again
    await store.create(id('small2'), { owner: 'small' });
    expect(await store.get(id('big0'))).toBeDefined();
    expect(await store.get(id('big1'))).toBeUndefined();
    expect(await store.get(id('small'))).toBeDefined();
  });

  it('lets one address hold at most maxPerOwner conversations: its own least recently active go first', async () => {
    const store = await createStore({ maxConversations: 100, maxPerOwner: 5, maxTurns: 10 });
    await store.create(id('other'), { owner: 'other' });
    for (let index = 0; index < 8; index += 1) await store.create(id(`own${index}`), { owner: 'busy' });
    const kept = await Promise.all(Array.from({ length: 8 }, async (_, index) => (await store.get(id(`own${index}`))) !== undefined));
    expect(kept).toEqual([false, false, false, true, true, true, true, true]);
    expect(await store.get(id('other'))).toBeDefined();
  });

  it('keeps the whole transcript up to maxTurns (200 by default in the server), oldest first', async () => {
    const store = await createStore({ maxConversations: 100, maxPerOwner: 100, maxTurns: 200 });
    await store.create(id('long'), { owner: 'learner' });
    for (let index = 0; index < 205; index += 1) await store.appendTurn(id('long'), turn(index));
    const turns = (await store.get(id('long')))?.turns ?? [];
    expect(turns).toHaveLength(200);
    expect(turns[0]?.messageId).toBe('m5');
    expect(turns.at(-1)?.messageId).toBe('m204');
  });
});

describe('conversations per address over the API', () => {
  const post = (baseUrl: string, client: string, body: unknown): Promise<Response> =>
    fetch(`${baseUrl}/api/chat`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-forwarded-for': client },
      body: JSON.stringify(body),
    });

  it("a flood of new conversations from one address leaves another learner's conversation and follow-ups intact", async () => {
    const tutor = await startTestTutor({
      env: {
        TRUST_PROXY: 'loopback',
        MAX_CONVERSATIONS: '20',
        HTTP_RATE_LIMIT_PER_MINUTE: '10000',
        CONVERSATIONS_PER_IP_PER_MINUTE: '10000',
      },
    });
    try {
      const learner = (await (await post(tutor.baseUrl, '203.0.113.1', { message: '微调是什么？' })).json()) as ChatResponse;
      for (let index = 0; index < 60; index += 1) {
        const response = await post(tutor.baseUrl, '198.51.100.66', { message: '调教是什么？' });
        expect(response.status).toBe(200);
      }
      const history = await fetch(`${tutor.baseUrl}/api/conversations/${learner.conversationId}`);
      expect(history.status).toBe(200);
      expect(((await history.json()) as ConversationResponse).turns).toHaveLength(1);
      const followUp = await post(tutor.baseUrl, '203.0.113.1', {
        message: '它和调教有什么区别？',
        conversationId: learner.conversationId,
      });
      expect(followUp.status).toBe(200);
    } finally {
      await tutor.close();
    }
  });

  it('shows the whole transcript after a reload (beyond HISTORY_TURNS), feeds the tutor only the last HISTORY_TURNS, progress counts all', async () => {
    const historyLengths: number[] = [];
    const tutor = await startTestTutor({
      env: { HISTORY_TURNS: '2', TRUST_PROXY: 'loopback' },
      wrapAnswerer: (answerer) => ({
        answer: (input) => {
          historyLengths.push(input.history?.length ?? 0);
          return answerer.answer(input);
        },
      }),
    });
    try {
      const questions = ['微调是什么？', '什么是调教？', '什么是预训练模型？', '什么是过拟合？', '微调需要多少数据？'];
      let conversationId: string | undefined;
      for (const message of questions) {
        const response = await post(tutor.baseUrl, '127.0.0.1', conversationId === undefined ? { message } : { message, conversationId });
        conversationId = ((await response.json()) as ChatResponse).conversationId;
      }
      const transcript = (await (await fetch(`${tutor.baseUrl}/api/conversations/${conversationId}`)).json()) as ConversationResponse;
      expect(transcript.turns.map((entry) => entry.question)).toEqual(questions);
      expect(historyLengths).toEqual([0, 1, 2, 2, 2]);
      const progress = (await (await fetch(`${tutor.baseUrl}/api/conversations/${conversationId}/progress`)).json()) as { covered: number };
      const firstTwoOnly = await post(tutor.baseUrl, '127.0.0.1', { message: questions[3] });
      const other = ((await firstTwoOnly.json()) as ChatResponse).conversationId;
      await post(tutor.baseUrl, '127.0.0.1', { message: questions[4], conversationId: other });
      const partial = (await (await fetch(`${tutor.baseUrl}/api/conversations/${other}/progress`)).json()) as { covered: number };
      // The first questions still count although the tutor no longer reads them.
      expect(progress.covered).toBeGreaterThan(partial.covered);
    } finally {
      await tutor.close();
    }
  });

  it('limits the conversations one address starts per minute, with the seconds until the window frees a slot', async () => {
    const tutor = await startTestTutor({ env: { TRUST_PROXY: 'loopback', CONVERSATIONS_PER_IP_PER_MINUTE: '3' } });
    try {
      const statuses: number[] = [];
      let first: ChatResponse | undefined;
      for (let index = 0; index < 4; index += 1) {
        const response = await post(tutor.baseUrl, '198.51.100.66', { message: '微调是什么？' });
        if (index === 0) first = (await response.json()) as ChatResponse;
        else await response.text();
        statuses.push(response.status);
        if (response.status === 429) {
          const retryAfter = Number(response.headers.get('retry-after'));
          expect(retryAfter).toBeGreaterThan(50);
          expect(retryAfter).toBeLessThanOrEqual(60);
        }
      }
      expect(statuses).toEqual([200, 200, 200, 429]);
      // Going on in an open conversation is not a new one; another address is not affected.
      expect((await post(tutor.baseUrl, '198.51.100.66', { message: '调教呢？', conversationId: first!.conversationId })).status).toBe(200);
      expect((await post(tutor.baseUrl, '203.0.113.1', { message: '微调是什么？' })).status).toBe(200);
    } finally {
      await tutor.close();
    }
  });
});

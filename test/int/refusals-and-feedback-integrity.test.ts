import { execFile } from 'node:child_process';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { request as httpRequest } from 'node:http';
import path from 'node:path';
import { promisify } from 'node:util';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChatResponse } from '../../src/shared/chat-protocol.js';
import { createFileFeedbackStore, createRedisFeedbackStore, type FeedbackStore } from '../../src/stores/feedback/feedback-store.js';
import { startRedisServer, type TestRedisServer } from '../support/redis-server.js';
import { ask, connectTutorSocket } from '../support/socket-client.js';
import { startTestTutor, type TestTutor } from '../support/start-test-tutor.js';
import { createTemporaryDirectory, repositoryRoot, shippedCorpusDir } from '../support/test-runtime.js';

/**
 * Issue 13, defects 6-9 and 11: what a refusal says (Retry-After, disconnects), bodies that are not UTF-8, and
 * feedback that can neither be stuffed with repeated votes nor carry terminal escapes into a report.
 */

const postJson = (tutor: TestTutor, route: string, body: unknown): Promise<Response> =>
  fetch(`${tutor.baseUrl}${route}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

describe('refusals that say what happened', () => {
  it('sends Retry-After as the seconds until the rate-limit window resets, not the whole window', async () => {
    const tutor = await startTestTutor({ env: { HTTP_RATE_LIMIT_PER_MINUTE: '1', SOCKET_ASKS_PER_MINUTE: '1' } });
    try {
      expect((await postJson(tutor, '/api/chat', { message: '微调是什么？' })).status).toBe(200);
      // Let the window age, so "until it resets" and "the whole window" differ.
      await new Promise((resolve) => setTimeout(resolve, 2_100));
      const limited = await postJson(tutor, '/api/chat', { message: '微调是什么？' });
      expect(limited.status).toBe(429);
      const reset = Number(/\bt=(\d+)/.exec(limited.headers.get('ratelimit') ?? '')?.[1]);
      expect(Number(limited.headers.get('retry-after'))).toBe(reset);
      expect(reset).toBeLessThanOrEqual(58);

      const socket = await connectTutorSocket(tutor.baseUrl);
      try {
        expect((await ask(socket, { message: '微调是什么？' })).done).toBeDefined();
        await new Promise((resolve) => setTimeout(resolve, 2_100));
        const refused = await ask(socket, { message: '调教是什么？' });
        expect('error' in refused.ack && refused.ack.error.code).toBe('RATE_LIMITED');
        expect('error' in refused.ack && refused.ack.error.message).toMatch(/Wait (5[0-8]) s/);
      } finally {
        socket.close();
      }
    } finally {
      await tutor.close();
    }
  });

  it('logs a client that disconnects mid-answer as a disconnect at info, not as a timeout', async () => {
    let started: () => void = () => undefined;
    const answering = new Promise<void>((resolve) => (started = resolve));
    const tutor = await startTestTutor({
      env: { ANSWER_TIMEOUT_MS: '8000' },
      wrapAnswerer: (answerer) => ({
        answer: async (input) => {
          started();
          await new Promise((resolve) => setTimeout(resolve, 1_500));
          return answerer.answer(input);
        },
      }),
    });
    try {
      const socket = await connectTutorSocket(tutor.baseUrl);
      socket.emit('ask', { message: '微调是什么？' }, () => undefined);
      await answering;
      socket.close();
      // Over REST too: the client goes away while its answer is written.
      const controller = new AbortController();
      const rest = fetch(`${tutor.baseUrl}/api/chat`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'text/event-stream' },
        body: JSON.stringify({ message: '调教是什么？' }),
        signal: controller.signal,
      }).then((response) => response.body?.getReader().read());
      await new Promise((resolve) => setTimeout(resolve, 300));
      controller.abort();
      await rest.catch(() => undefined);
      await expect.poll(() => tutor.logLines.filter((line) => line.code === 'CLIENT_DISCONNECTED').length, { timeout: 5_000 }).toBe(2);
      for (const line of tutor.logLines.filter((entry) => entry.code === 'CLIENT_DISCONNECTED')) expect(line.level).toBe(30);
      expect(tutor.logLines.filter((line) => line.code === 'ANSWER_TIMEOUT')).toEqual([]);
      expect(tutor.logLines.filter((line) => line.level >= 40).map((line) => line.msg)).toEqual([]);
    } finally {
      await tutor.close();
    }
  });

  it('refuses a body that is not valid UTF-8 with 400 INVALID_REQUEST instead of answering an altered question', async () => {
    const tutor = await startTestTutor();
    try {
      const body = Buffer.concat([Buffer.from('{"message":"微调'), Buffer.from([0xc3, 0x28, 0xff]), Buffer.from('是什么？"}')]);
      for (const route of ['/api/chat', '/api/feedback']) {
        const response = await new Promise<{ status: number; body: string }>((resolve, reject) => {
          const request = httpRequest(
            { host: '127.0.0.1', port: tutor.port, method: 'POST', path: route, headers: { 'content-type': 'application/json' } },
            (reply) => {
              const chunks: Buffer[] = [];
              reply.on('data', (chunk: Buffer) => chunks.push(chunk));
              reply.on('end', () => resolve({ status: reply.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
            },
          );
          request.on('error', reject);
          request.end(body);
        });
        expect(response.status, route).toBe(400);
        expect(JSON.parse(response.body)).toEqual({ error: { code: 'INVALID_REQUEST', message: expect.stringMatching(/UTF-8/) } });
      }
    } finally {
      await tutor.close();
    }
  });
});

describe('feedback integrity', () => {
  let redisServer: TestRedisServer;
  let redis: Redis;
  let folder: Awaited<ReturnType<typeof createTemporaryDirectory>>;
  beforeAll(async () => {
    redisServer = await startRedisServer();
    redis = new Redis(redisServer.url, { maxRetriesPerRequest: 1 });
    folder = await createTemporaryDirectory('tutor-feedback-');
  });
  afterAll(async () => {
    redis?.disconnect();
    await redisServer?.close();
    await folder?.remove();
  });

  const stores: [string, () => FeedbackStore][] = [
    ['file', () => createFileFeedbackStore(path.join(folder.dir, `votes-${Date.now()}.jsonl`))],
    ['redis', () => createRedisFeedbackStore(redis, `tutor:feedback-${Date.now()}`)],
  ];
  it.each(stores)('keeps one vote per answer per conversation in the %s store: a new vote replaces the old', async (_name, create) => {
    const store = create();
    const vote = { conversationId: 'c'.repeat(22), messageId: 'm1', mode: 'offline' } as const;
    for (let index = 0; index < 25; index += 1) await store.record({ ...vote, rating: index % 2 === 0 ? 'up' : 'down' });
    await store.record({ ...vote, messageId: 'm2', rating: 'down', reason: '不清楚' });
    await store.record({ ...vote, conversationId: 'd'.repeat(22), rating: 'down' });
    const entries = await store.list();
    // (Votes cast in the same millisecond may list in either order.)
    expect(entries.map((entry) => [entry.conversationId[0], entry.messageId, entry.rating]).sort()).toEqual([
      ['c', 'm1', 'up'],
      ['c', 'm2', 'down'],
      ['d', 'm1', 'down'],
    ]);
  });

  it('rates an answer 25 times over the API and stores one vote; control characters never reach the store or the report', async () => {
    const tutor = await startTestTutor();
    try {
      const answer = (await (await postJson(tutor, '/api/chat', { message: '微调是什么？' })).json()) as ChatResponse & {
        messageId?: string;
      };
      const transcript = (await (await fetch(`${tutor.baseUrl}/api/conversations/${answer.conversationId}`)).json()) as {
        turns: { messageId: string }[];
      };
      const messageId = transcript.turns[0]!.messageId;
      const statuses: number[] = [];
      for (let index = 0; index < 25; index += 1) {
        const response = await postJson(tutor, '/api/feedback', {
          conversationId: answer.conversationId,
          messageId,
          rating: 'down',
          reason: '\u001b]0;pwned\u0007\u001b[2J\r  +999 -0  forged\nline\u009b31m two',
        });
        statuses.push(response.status);
      }
      expect(statuses[0]).toBe(201);
      expect(statuses.slice(1).every((status) => status === 200)).toBe(true);
      const file = path.join(tutor.config.dataDir, 'feedback', 'feedback.jsonl');
      const lines = (await readFile(file, 'utf8')).trim().split('\n');
      expect(lines).toHaveLength(1);
      const stored = JSON.parse(lines[0]!) as { reason: string };
      expect(stored.reason).toBe(']0;pwned[2J   +999 -0  forged line31m two');
      // biome-ignore lint/suspicious/noControlCharactersInRegex: asserting that no control character is left
      expect(stored.reason).not.toMatch(/[\u0000-\u001f\u007f-\u009f]/);
    } finally {
      await tutor.close();
    }
  });

  it('escapes control characters on output of npm run feedback:report, whatever the store holds', { timeout: 90_000 }, async () => {
    const data = await createTemporaryDirectory('tutor-report-');
    try {
      await mkdir(path.join(data.dir, 'feedback'), { recursive: true });
      // An entry written before the input filter existed (or by hand): raw ESC, BEL, CR and a CSI.
      const raw = {
        feedbackId: 'f1',
        conversationId: 'c'.repeat(22),
        messageId: 'm1',
        rating: 'down',
        reason: '\u001b]0;pwned\u0007\u001b[2J\r  +999 -0\u009b2J',
        mode: 'offline',
        createdAt: new Date().toISOString(),
      };
      await writeFile(path.join(data.dir, 'feedback', 'feedback.jsonl'), `${JSON.stringify(raw)}\n`);
      const { stdout } = await promisify(execFile)(
        path.join(repositoryRoot, 'node_modules', '.bin', 'tsx'),
        ['src/cli/feedback-report-command.ts'],
        {
          cwd: repositoryRoot,
          env: {
            PATH: process.env.PATH ?? '/usr/bin:/bin',
            HOME: process.env.HOME ?? '/tmp',
            DATA_DIR: data.dir,
            CORPUS_DIR: shippedCorpusDir,
            GLOSSARY_FILE: path.join(shippedCorpusDir, 'glossary.json'),
            LOG_LEVEL: 'silent',
          },
        },
      );
      // biome-ignore lint/suspicious/noControlCharactersInRegex: asserting that no control character is left
      expect(stdout.replace(/\n/g, '')).not.toMatch(/[\u0000-\u001f\u007f-\u009f]/);
      expect(stdout).toContain('\\u001b]0;pwned\\u0007\\u001b[2J\\u000d  +999 -0\\u009b2J');
      expect(stdout).toMatch(/1 entries \(0 up, 1 down\)/);
    } finally {
      await data.remove();
    }
  });
});

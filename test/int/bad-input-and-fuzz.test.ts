import { request as httpRequest } from 'node:http';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createSeededRandom } from '../../scripts/support/seeded-random.js';
import type { AskAck } from '../../src/shared/chat-protocol.js';
import { ask, connectTutorSocket, type TutorClientSocket } from '../support/socket-client.js';
import { startTestTutor, type TestTutor } from '../support/start-test-tutor.js';

/**
 * Bad input over REST and socket.io: boundaries of each validation rule, then a seeded fuzz of more than 5,000
 * random and malformed payloads. The server must answer each with a clear refusal (or an answer), never crash,
 * never log an internal error, leave no unhandled rejection, and give its memory back afterwards.
 */

const KNOWN_CODES = new Set([
  'INVALID_REQUEST',
  'MESSAGE_TOO_LONG',
  'PAYLOAD_TOO_LARGE',
  'CONVERSATION_NOT_FOUND',
  'PASSAGE_NOT_FOUND',
  'CONVERSATION_BUSY',
  'RATE_LIMITED',
]);

/** Sends raw bytes with raw headers (fetch would refuse some of them), resolving with status, headers and body text. */
function rawHttp(
  tutor: TestTutor,
  options: { method: string; path: string; headers?: Record<string, string>; body?: Buffer | string },
): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  return new Promise((resolve, reject) => {
    const request = httpRequest(
      { host: '127.0.0.1', port: tutor.port, method: options.method, path: options.path, headers: options.headers ?? {}, agent: false },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () =>
          resolve({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks).toString('utf8') }),
        );
        response.on('error', reject);
      },
    );
    request.setTimeout(5_000, () => request.destroy(new Error(`no response within 5 s to ${options.method} ${options.path.slice(0, 80)}`)));
    request.on('error', reject);
    request.end(options.body);
  });
}

/** A raw engine.io/socket.io WebSocket past the handshake, so the test can send frames no client library would. */
async function openRawSocket(tutor: TestTutor): Promise<{ ws: WebSocket; received: string[]; closed: Promise<number> }> {
  const ws = new WebSocket(`ws://127.0.0.1:${tutor.port}/socket.io/?EIO=4&transport=websocket`);
  const received: string[] = [];
  const closed = new Promise<number>((resolve) => ws.once('close', (code) => resolve(code)));
  ws.on('error', () => undefined);
  await new Promise<void>((resolve, reject) => {
    ws.on('message', (data) => {
      const text = data.toString();
      received.push(text);
      if (text.startsWith('0{')) ws.send('40');
      if (text.startsWith('40')) resolve();
      if (text === '2') ws.send('3'); // engine.io ping → pong
    });
    ws.once('close', () => reject(new Error('raw socket closed during the handshake')));
  });
  return { ws, received, closed };
}

/** Seeded, so a failing fuzz case can be replayed. */
function createRandom(seed: number): { next(): number; int(max: number): number; pick<T>(items: readonly T[]): T } {
  const next = createSeededRandom(seed);
  return {
    next,
    int: (max) => Math.floor(next() * max),
    pick: <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)] as T,
  };
}

type Random = ReturnType<typeof createRandom>;

function randomString(random: Random, length: number): string {
  const alphabets = [
    'abcXYZ 019',
    '微调调教模型训练过拟合？',
    '<>"\'&\\/{}[]',
    '\u0000\u0001\u001f\u007f',
    '\ud800\udc00\ud83d\ude00',
    '\ud800',
    '\udfff',
    '\u202e\u200b\ufeff',
  ];
  let text = '';
  while (text.length < length) text += random.pick(Array.from(random.pick(alphabets)));
  return text.slice(0, length);
}

function deepNesting(depth: number, random: Random): string {
  const [open, close] = random.pick([
    ['[', ']'],
    ['{"a":', '}'],
  ] as const);
  return `${open.repeat(depth)}1${close.repeat(depth)}`;
}

/** A random value of any JSON type, sometimes nested. */
function randomValue(random: Random, depth = 0): unknown {
  switch (random.int(depth > 3 ? 6 : 9)) {
    case 0:
      return random.int(2) === 0 ? null : undefined;
    case 1:
      return random.pick([0, -1, 1e308, Number.NaN, 42, -0]);
    case 2:
      return random.int(2) === 0;
    case 3:
      return randomString(random, random.int(40));
    case 4:
      return randomString(random, random.pick([0, 1, 1999, 2000, 2001, 5000]));
    case 5:
      return random.pick(['', ' ', '\n\t', '微调是什么？', 'What is fine-tuning?']);
    case 6:
      return Array.from({ length: random.int(4) }, () => randomValue(random, depth + 1));
    default: {
      const object: Record<string, unknown> = {};
      for (let index = random.int(4); index > 0; index -= 1) {
        object[random.pick(['message', 'conversationId', '__proto__', 'constructor', 'prototype', 'toString', 'x'])] = randomValue(
          random,
          depth + 1,
        );
      }
      return object;
    }
  }
}

/** One REST fuzz case: a raw request whose every part may be wrong. */
function randomRestCase(
  random: Random,
  knownConversationId: string,
): { method: string; path: string; headers: Record<string, string>; body?: Buffer | string } {
  const kind = random.int(14);
  const json = { 'content-type': 'application/json' };
  const stream = random.int(4) === 0 ? { accept: 'text/event-stream' } : {};
  switch (kind) {
    case 0:
      return { method: 'POST', path: '/api/chat', headers: { ...json, ...stream }, body: JSON.stringify(randomValue(random)) ?? '' };
    case 1:
      return {
        method: 'POST',
        path: '/api/chat',
        headers: json,
        body: JSON.stringify({ message: randomValue(random), conversationId: randomValue(random) }),
      };
    case 2:
      return {
        method: 'POST',
        path: '/api/chat',
        headers: json,
        body: JSON.stringify({ message: randomString(random, random.pick([1990, 2000, 2001, 2500, 4000, 20_000])) }),
      };
    case 3:
      return {
        method: 'POST',
        path: '/api/chat',
        headers: json,
        body: `{"message":"x","deep":${deepNesting(1 + random.int(7000), random)}}`,
      };
    case 4: {
      // Invalid UTF-8 inside a JSON string.
      const bytes = [0xff, 0xfe, 0xc3, 0x28, 0xe2, 0x82, 0xed, 0xa0, 0x80, 0xf0, 0x28, 0x8c, 0x28, 0xc0, 0xaf];
      const garbage = Buffer.from(Array.from({ length: 1 + random.int(12) }, () => random.pick(bytes)));
      return {
        method: 'POST',
        path: '/api/chat',
        headers: json,
        body: Buffer.concat([Buffer.from('{"message":"微调'), garbage, Buffer.from('"}')]),
      };
    }
    case 5:
      return {
        method: 'POST',
        path: '/api/chat',
        headers: json,
        body: random.pick([
          '{"__proto__":{"polluted":true,"message":"x"}}',
          '{"message":"hi","__proto__":{"polluted":true}}',
          '{"constructor":{"prototype":{"polluted":true}},"message":"hi"}',
          '{"message":{"toString":"x","valueOf":1}}',
          '{"message":"hi","conversationId":{"__proto__":{"length":1}}}',
        ]),
      };
    case 6: {
      const bytes = Buffer.from(Array.from({ length: random.int(600) }, () => random.int(256)));
      return {
        method: 'POST',
        path: '/api/chat',
        headers: {
          'content-type': random.pick([
            'application/json',
            'text/plain',
            'application/x-www-form-urlencoded',
            'multipart/form-data; boundary=x',
            'application/json; charset=latin-9',
            'application/json; charset=utf-16',
          ]),
        },
        body: bytes,
      };
    }
    case 7:
      return {
        method: 'POST',
        path: '/api/chat',
        headers: { ...json, 'content-encoding': random.pick(['gzip', 'br', 'deflate', 'identity', 'bogus']) },
        body: '{"message":"hi"}',
      };
    case 8:
      return {
        method: 'POST',
        path: '/api/chat',
        headers: json,
        body: random.pick(['', 'null', '1', '"x"', 'true', '[]', '{', '{"message":"x"', '{"message":"x"}}', '\u0000', '{"message":"x",}']),
      };
    case 9:
      return {
        method: 'GET',
        path: `/api/conversations/${encodeURIComponent(randomString(random, random.int(80)).replace(/[\ud800-\udfff]/gu, '\ufffd'))}`,
        headers: {},
      };
    case 10:
      return {
        method: 'GET',
        path: random.pick([
          '/api/passages/%E0%A4%A',
          '/api/conversations/%',
          '/api/passages/..%2F..%2Fetc%2Fpasswd',
          `/api/passages/${'a'.repeat(5000)}`,
          '/api/%00',
          `/api/conversations/${knownConversationId}x`,
        ]),
        headers: {},
      };
    case 11:
      return {
        method: random.pick(['PUT', 'DELETE', 'PATCH', 'GET', 'OPTIONS']),
        path: random.pick(['/api/chat', '/api/health', '/api/nothing', '/api']),
        headers: { origin: random.pick(['https://evil.example', 'null', 'http://127.0.0.1']) },
      };
    case 12:
      return {
        method: 'POST',
        path: '/api/chat',
        headers: { ...json, 'x-request-id': randomString(random, 80).replace(/[^\x20-\x7e]/g, 'x') },
        body: JSON.stringify({ message: '什么是调教？', conversationId: random.pick([knownConversationId, 'A'.repeat(22), '../../', '']) }),
      };
    default:
      if (random.int(3) !== 0) return { method: 'POST', path: '/api/chat', headers: json, body: JSON.stringify(randomValue(random)) ?? '' };
      // Once in a while a perfectly valid question, so the answer path runs amid the garbage.
      return {
        method: 'POST',
        path: '/api/chat',
        headers: { ...json, ...stream },
        body: JSON.stringify({ message: random.pick(['微调是什么？', 'What is tuning?', '过拟合是什么？']) }),
      };
  }
}

/** Resolves when the socket.io client gets an acknowledgement, or with undefined when none is due within the time. */
function emitWithAck(socket: TutorClientSocket, event: string, args: unknown[], timeoutMs = 3_000): Promise<AskAck | 'no-ack'> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve('no-ack'), timeoutMs);
    (socket.emit as (event: string, ...rest: unknown[]) => void)(event, ...args, (result: AskAck) => {
      clearTimeout(timer);
      resolve(result);
    });
  });
}

function forceGc(): () => void {
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
}

async function settledHeapUsed(gc: () => void): Promise<number> {
  for (let round = 0; round < 4; round += 1) {
    gc();
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return process.memoryUsage().heapUsed;
}

describe('bad input: each rule, with a clear error and a usable connection', () => {
  let tutor: TestTutor;
  let socket: TutorClientSocket;
  beforeAll(async () => {
    tutor = await startTestTutor({ env: { HTTP_RATE_LIMIT_PER_MINUTE: '10000', SOCKET_ASKS_PER_MINUTE: '10000' } });
    socket = await connectTutorSocket(tutor.baseUrl);
  });
  afterAll(async () => {
    socket.close();
    await tutor.close();
  });

  it('accepts a message of exactly MAX_MESSAGE_CHARS (2000) characters and refuses 2001, over REST and socket.io', async () => {
    // Counted in characters, not UTF-16 units: 2000 emoji are 4000 units and still one character each.
    const atLimit = '微'.repeat(1000) + '😀'.repeat(1000);
    const post = (message: string): Promise<Response> =>
      fetch(`${tutor.baseUrl}/api/chat`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ message }),
      });
    expect((await post(atLimit)).status).toBe(200);
    const tooLong = await post(`${atLimit}x`);
    expect(tooLong.status).toBe(413);
    expect(await tooLong.json()).toEqual({ error: { code: 'MESSAGE_TOO_LONG', message: expect.stringContaining('2000') } });

    const socketAtLimit = await ask(socket, { message: atLimit });
    expect(socketAtLimit.done).toBeDefined();
    const socketTooLong = await ask(socket, { message: `${atLimit}x` });
    expect(socketTooLong.ack).toEqual({ error: { code: 'MESSAGE_TOO_LONG', message: expect.stringContaining('2000') } });
    expect(socket.connected).toBe(true);
  });

  it('refuses text that is not text: control characters and lone surrogates', async () => {
    for (const message of ['微调\u0000是什么', 'abc\u0007', 'what\ud800is']) {
      const response = await fetch(`${tutor.baseUrl}/api/chat`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ message }),
      });
      expect(response.status).toBe(400);
      expect(((await response.json()) as { error: { code: string } }).error.code).toBe('INVALID_REQUEST');
      expect((await ask(socket, { message })).ack).toEqual({
        error: { code: 'INVALID_REQUEST', message: expect.stringMatching(/not text/) },
      });
    }
  });

  it('turns invalid UTF-8 and a malformed path into 400s, not server errors', async () => {
    const invalidUtf8 = await rawHttp(tutor, {
      method: 'POST',
      path: '/api/chat',
      headers: { 'content-type': 'application/json; charset=utf-8' },
      body: Buffer.concat([Buffer.from('{"message":"'), Buffer.from([0xc3, 0x28, 0xff]), Buffer.from('"}')]),
    });
    // Undecodable bytes are refused (they used to become U+FFFD silently, answering an altered question).
    expect(invalidUtf8.status).toBe(400);
    expect(JSON.parse(invalidUtf8.body)).toEqual({ error: { code: 'INVALID_REQUEST', message: expect.stringMatching(/UTF-8/) } });
    const badEscape = await rawHttp(tutor, { method: 'GET', path: '/api/passages/%E0%A4%A' });
    expect(badEscape.status).toBe(400);
    expect(JSON.parse(badEscape.body)).toEqual({ error: { code: 'INVALID_REQUEST', message: expect.any(String) } });
    const wrongCharset = await rawHttp(tutor, {
      method: 'POST',
      path: '/api/chat',
      headers: { 'content-type': 'application/json; charset=klingon' },
      body: '{"message":"hi"}',
    });
    expect(wrongCharset.status).toBe(400);
  });

  it('answers an unknown event with a clear acknowledgement error and an ask without acknowledgement with answer:error', async () => {
    const unknown = await emitWithAck(socket, 'delete-everything', [{ all: true }]);
    expect(unknown).toEqual({ error: { code: 'INVALID_REQUEST', message: expect.stringMatching(/Unknown event "delete-everything"/) } });
    const errors: { code: string }[] = [];
    const onError = (event: { code: string }): void => void errors.push(event);
    socket.on('answer:error', onError);
    (socket.emit as (event: string, ...rest: unknown[]) => void)('ask', { message: '微调是什么？' });
    await expect.poll(() => errors.length).toBe(1);
    socket.off('answer:error', onError);
    expect(errors[0]?.code).toBe('INVALID_REQUEST');
    expect((await ask(socket, { message: '什么是调教？' })).done?.grounded).toBe(true);
  });

  it('drops a connection that sends a frame over the socket buffer limit, and only that one', async () => {
    const abuser = await connectTutorSocket(tutor.baseUrl);
    const disconnected = new Promise<string>((resolve) => abuser.once('disconnect', (reason) => resolve(reason)));
    abuser.emit('ask', { message: 'x'.repeat(tutor.config.maxBodyBytes + 10) }, () => undefined);
    expect(await disconnected).toMatch(/transport (close|error)/);
    abuser.close();
    expect(socket.connected).toBe(true);
    expect((await ask(socket, { message: '什么是预训练模型？' })).done?.grounded).toBe(true);
  });
});

describe('fuzz: 5,000+ random and malformed payloads over REST and socket.io', () => {
  it('never crashes, never fails internally, leaves no unhandled rejection and gives its memory back', { timeout: 120_000 }, async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown): void => void unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    process.on('uncaughtException', onUnhandled);
    const gc = forceGc();
    const tutor = await startTestTutor({
      env: {
        HTTP_RATE_LIMIT_PER_MINUTE: '100000',
        SOCKET_ASKS_PER_MINUTE: '100000',
        CONVERSATION_ASKS_PER_MINUTE: '100000',
        LOG_LEVEL: 'info',
      },
    });
    const random = createRandom(0x5eed);
    const counts = { rest: 0, socket: 0, raw: 0, answered: 0 };
    const unexpected: string[] = [];
    try {
      const warmup = (await (
        await fetch(`${tutor.baseUrl}/api/chat`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ message: '微调是什么？' }),
        })
      ).json()) as {
        conversationId: string;
      };
      const baseline = await settledHeapUsed(gc);

      // REST: 2,700 raw requests, 16 at a time.
      let next = 0;
      const restWorker = async (): Promise<void> => {
        while (next < 2_700) {
          next += 1;
          const request = randomRestCase(random, warmup.conversationId);
          const response = await rawHttp(tutor, request).catch((error: Error) => {
            unexpected.push(`${error.message} ${JSON.stringify(request.headers)} ${String(request.body).slice(0, 80)}`);
            return { status: 0, headers: {} as Record<string, string | string[] | undefined>, body: '' };
          });
          counts.rest += 1;
          if (response.status >= 500)
            unexpected.push(`${request.method} ${request.path.slice(0, 60)} → ${response.status} ${response.body.slice(0, 120)}`);
          if (
            response.status >= 400 &&
            response.status !== 404 &&
            String(response.headers['content-type']).startsWith('application/json')
          ) {
            const code = (JSON.parse(response.body) as { error?: { code?: string } }).error?.code;
            if (code === undefined || !KNOWN_CODES.has(code))
              unexpected.push(`${request.path} → unknown error body ${response.body.slice(0, 120)}`);
          }
          if (response.status === 200) counts.answered += 1;
        }
      };
      await Promise.all(Array.from({ length: 16 }, restWorker));

      // socket.io: 1,800 emits from 6 clients (asks of every shape, unknown events, missing or extra arguments). A
      // frame over the buffer limit (MAX_BODY_BYTES) makes the server drop that connection; the client reconnects.
      let droppedForSize = 0;
      await Promise.all(
        Array.from({ length: 6 }, async () => {
          let client = await connectTutorSocket(tutor.baseUrl);
          for (let index = 0; index < 300; index += 1) {
            const shape = random.int(6);
            counts.socket += 1;
            const event = shape === 1 ? random.pick(['hello', 'answer:done', 'error', 'constructor', '__proto__', 'x'.repeat(300)]) : 'ask';
            const args =
              shape === 2
                ? [randomValue(random), randomValue(random)]
                : shape === 3
                  ? [Buffer.from(randomString(random, 50))]
                  : [randomValue(random)];
            const frameBytes = Buffer.byteLength(JSON.stringify([event, ...args]) ?? '');
            if (frameBytes > tutor.config.maxBodyBytes - 16) {
              const dropped = new Promise((resolve) => client.once('disconnect', resolve));
              (client.emit as (event: string, ...rest: unknown[]) => void)(event, ...args, () => undefined);
              await dropped;
              droppedForSize += 1;
              client.close();
              client = await connectTutorSocket(tutor.baseUrl);
              continue;
            }
            if (shape === 0) {
              (client.emit as (event: string, ...rest: unknown[]) => void)('ask', ...args);
              continue;
            }
            const ack = await emitWithAck(client, event, args);
            if (ack === 'no-ack') unexpected.push(`socket ${event} ${JSON.stringify(args).slice(0, 80)} → no acknowledgement`);
            else if ('error' in ack && !KNOWN_CODES.has(ack.error.code)) unexpected.push(`socket ${event} → ${JSON.stringify(ack)}`);
            else if (!('error' in ack)) counts.answered += 1;
          }
          expect(client.connected).toBe(true);
          client.close();
        }),
      );
      expect(droppedForSize).toBeGreaterThan(0);

      // Raw socket.io frames: 600 malformed packets on fresh connections; the server may drop such a connection.
      const malformedFrames = (): (string | Buffer)[] => [
        '42[',
        '42["ask"',
        '4',
        '9',
        '42{"a":1}',
        `421["ask",${deepNesting(3_000, random)}]`,
        '42["ask",{"message":"x","__proto__":{"polluted":true}}]',
        '43["ask"]',
        '451-["ask",{"_placeholder":true,"num":0}]',
        '452-["ask",{"_placeholder":true,"num":99}]',
        '40/admin,',
        '41',
        '6',
        Buffer.from([0xff, 0xfe, 0x00]),
        randomString(random, 200),
      ];
      for (let round = 0; round < 40; round += 1) {
        const raw = await openRawSocket(tutor);
        for (const frame of malformedFrames()) {
          if (raw.ws.readyState !== WebSocket.OPEN) break;
          raw.ws.send(frame);
          counts.raw += 1;
        }
        // Text frames with invalid UTF-8 break the WebSocket protocol itself: the server must close, not crash.
        if (round % 4 === 0 && raw.ws.readyState === WebSocket.OPEN) {
          raw.ws.send(Buffer.from([0x34, 0x32, 0xff, 0xc0]), { binary: false });
          counts.raw += 1;
        }
        raw.ws.terminate();
      }
      expect(counts.rest + counts.socket + counts.raw).toBeGreaterThanOrEqual(5_000);

      // Still serving: health, a REST answer and a socket answer.
      expect((await fetch(`${tutor.baseUrl}/api/health`)).status).toBe(200);
      const after = await connectTutorSocket(tutor.baseUrl);
      expect((await ask(after, { message: '微调和调教有什么区别？' })).done?.grounded).toBe(true);
      after.close();

      expect(unexpected).toEqual([]);
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
      expect(tutor.logLines.filter((line) => line.level >= 50).map((line) => line.msg)).toEqual([]);
      expect(counts.answered).toBeGreaterThan(50);

      // Memory back to its baseline: what remains is bounded state (the conversations the valid questions created, the
      // search and suggestion caches), a few MB; a leak of a few KB per payload would show here.
      await new Promise((resolve) => setTimeout(resolve, 300));
      const settled = await settledHeapUsed(gc);
      expect(settled - baseline, `heap grew from ${baseline} to ${settled}`).toBeLessThan(12 * 1024 * 1024);
      expect(unhandled).toEqual([]);
    } finally {
      process.off('unhandledRejection', onUnhandled);
      process.off('uncaughtException', onUnhandled);
      await tutor.close();
    }
  });
});

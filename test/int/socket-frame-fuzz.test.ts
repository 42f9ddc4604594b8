import { describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createSeededRandom } from '../../scripts/support/seeded-random.js';
import type { ChatResponse, ConversationResponse } from '../../src/shared/chat-protocol.js';
import { ask, connectTutorSocket } from '../support/socket-client.js';
import { startTestTutor, type TestTutor } from '../support/start-test-tutor.js';

/**
 * The socket gateway's half of the fuzz test (bad-input-and-fuzz.test.ts fuzzes REST and socket.io events through
 * the client library): more than 5,000 random and mutated engine.io / socket.io frames on raw WebSockets, the ones no
 * client library would send: binary frames, wrong packet types, huge and negative ack ids, unknown namespaces,
 * attachments that never come, truncated and bit-flipped packets. Seeded, so a failure replays. The server may drop a
 * connection that breaks the protocol; it must never crash, log an internal error or lose a learner's conversation.
 */

const FRAMES = 5_200;

type Random = { next(): number; int(max: number): number; pick<T>(items: readonly T[]): T };

function createRandom(seed: number): Random {
  const next = createSeededRandom(seed);
  return {
    next,
    int: (max) => Math.floor(next() * max),
    pick: <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)] as T,
  };
}

const PAYLOADS = [
  '{"message":"微调是什么？"}',
  '{"message":""}',
  '{"message":123}',
  '{"message":"x","conversationId":"AAAAAAAAAAAAAAAAAAAAAA"}',
  '{"explain":{"messageId":"m","style":"simpler"},"conversationId":"BBBBBBBBBBBBBBBBBBBBBB"}',
  '{"_placeholder":true,"num":0}',
  '{"__proto__":{"polluted":true},"message":"hi"}',
  'null',
  '[]',
  '"ask"',
  '1e999',
];

/** A well-formed socket.io packet of some kind, before mutation. */
function packet(random: Random): string | Buffer {
  const ackId = random.pick(['', '1', '0', '-1', '9'.repeat(40), String(2 ** 53 + 1), '1.5', 'abc']);
  const namespace = random.pick(['', '', '', '/admin,', '/nope,', '/%00,', `/${'n'.repeat(300)},`, '/,']);
  const event = random.pick(['"ask"', '"ask"', '"hello"', '"answer:done"', '"constructor"', '"__proto__"', '1', 'null', '{}', '[]']);
  const payload = random.pick(PAYLOADS);
  switch (random.int(12)) {
    case 0:
      return `4${random.int(10)}${namespace}${ackId}[${event},${payload}]`; // any socket.io packet type
    case 1:
      return `42${namespace}${ackId}[${event},${payload}]`;
    case 2:
      return `40${namespace}${random.pick(['', '{"token":1}', '[', 'null'])}`; // join some namespace
    case 3:
      return `41${namespace}`; // leave
    case 4:
      return `45${random.pick(['1', '2', '99', '-1', ''])}-${namespace}${ackId}[${event},{"_placeholder":true,"num":${random.int(3)}}]`;
    case 5:
      return `43${namespace}${ackId}[${payload}]`; // an ack nobody asked for
    case 6:
      return Buffer.from(Array.from({ length: random.int(64) }, () => random.int(256))); // a binary frame
    case 7:
      return `${random.int(10)}${random.pick(['', 'probe', '{}', payload])}`; // any engine.io packet type
    case 8:
      return `42[${'['.repeat(random.int(2000))}`;
    case 9:
      return `42${ackId}["ask",${payload.replace('微调是什么？', 'x'.repeat(random.int(3000)))}]`;
    case 10:
      return `b${Buffer.from(payload).toString('base64')}`; // engine.io v3 style base64 binary
    default:
      return `42["ask",${payload}]`;
  }
}

/** Mutations of a packet: truncate, flip a byte, duplicate or insert characters. */
function mutate(random: Random, frame: string | Buffer): string | Buffer {
  if (Buffer.isBuffer(frame) || random.int(3) === 0) return frame;
  const characters = Array.from(frame);
  switch (random.int(4)) {
    case 0:
      return characters.slice(0, random.int(characters.length + 1)).join('');
    case 1: {
      const at = random.int(characters.length);
      characters[at] = String.fromCharCode(random.int(0x3000));
      return characters.join('');
    }
    case 2:
      return characters.join('').repeat(2);
    default: {
      const at = random.int(characters.length + 1);
      characters.splice(at, 0, random.pick(['"', ',', ']', '}', '\u0000', '\ud800', '-', '9'.repeat(20)]));
      return characters.join('');
    }
  }
}

/** A raw engine.io WebSocket that has joined the main namespace; answers pings. */
async function openJoined(tutor: TestTutor): Promise<WebSocket> {
  const ws = new WebSocket(`ws://127.0.0.1:${tutor.port}/socket.io/?EIO=4&transport=websocket`);
  ws.on('error', () => undefined);
  await new Promise<void>((resolve, reject) => {
    ws.on('message', (data) => {
      const text = data.toString();
      if (text.startsWith('0{')) ws.send('40');
      if (text.startsWith('40')) resolve();
      if (text === '2') ws.send('3');
    });
    ws.once('close', () => reject(new Error('closed during the handshake')));
  });
  return ws;
}

describe('fuzz: 5,000+ raw engine.io / socket.io frames at the socket gateway', () => {
  it('never crashes or fails internally, and every learner conversation stays intact', { timeout: 120_000 }, async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown): void => void unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    process.on('uncaughtException', onUnhandled);
    const tutor = await startTestTutor({
      env: {
        SOCKET_ASKS_PER_MINUTE: '100000',
        CONVERSATION_ASKS_PER_MINUTE: '100000',
        CONVERSATIONS_PER_IP_PER_MINUTE: '100000',
        SOCKET_CONNECTIONS_PER_IP: '1000',
        LOG_LEVEL: 'info',
      },
    });
    try {
      // A learner's conversation, before the fuzz.
      const learner = await connectTutorSocket(tutor.baseUrl);
      const first = (await ask(learner, { message: '微调是什么？' })).done as ChatResponse;
      const random = createRandom(0xf022);
      let sent = 0;
      let dropped = 0;
      const worker = async (): Promise<void> => {
        let ws = await openJoined(tutor);
        while (sent < FRAMES) {
          if (ws.readyState !== WebSocket.OPEN) {
            dropped += 1;
            ws.terminate();
            ws = await openJoined(tutor);
          }
          const frame = mutate(random, packet(random));
          ws.send(frame, { binary: Buffer.isBuffer(frame) });
          sent += 1;
          // Let the server read (and maybe close) before the next frame; a flood without pauses only tests TCP buffers.
          if (sent % 25 === 0) await new Promise((resolve) => setImmediate(resolve));
        }
        ws.terminate();
      };
      await Promise.all(Array.from({ length: 8 }, worker));
      expect(sent).toBeGreaterThanOrEqual(5_000);
      expect(dropped).toBeGreaterThan(0); // some frames broke the protocol, as they should

      // Still serving, and the learner's conversation is whole: its history, and a follow-up resolved against it.
      expect((await fetch(`${tutor.baseUrl}/api/health`)).status).toBe(200);
      const transcript = (await (await fetch(`${tutor.baseUrl}/api/conversations/${first.conversationId}`)).json()) as ConversationResponse;
      expect(transcript.turns.map((turn) => turn.question)).toEqual(['微调是什么？']);
      const followUp = await ask(learner, { message: '那调教呢？', conversationId: first.conversationId });
      expect(followUp.done?.searchedFor).toBe('调教是什么？');
      learner.close();

      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
      expect(tutor.logLines.filter((line) => line.level >= 50).map((line) => line.msg)).toEqual([]);
      expect(unhandled).toEqual([]);
    } finally {
      process.off('unhandledRejection', onUnhandled);
      process.off('uncaughtException', onUnhandled);
      await tutor.close();
    }
  });
});

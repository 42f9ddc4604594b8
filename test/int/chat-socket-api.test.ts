import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TutorAnswerer } from '../../src/tutor/tutor-types.js';
import { ask, askAcknowledged, connectTutorSocket, type TutorClientSocket } from '../support/socket-client.js';
import { startTestTutor, type TestTutor } from '../support/start-test-tutor.js';

describe('socket.io chat API', () => {
  let tutor: TestTutor;
  let socket: TutorClientSocket;
  beforeAll(async () => {
    tutor = await startTestTutor({ env: { MAX_MESSAGE_CHARS: '100' } });
    socket = await connectTutorSocket(tutor.baseUrl);
  });
  afterAll(async () => {
    socket.close();
    await tutor.close();
  });

  it('acknowledges an ask with ids, streams deltas, then sends exactly one answer:done', async () => {
    let doneCount = 0;
    const countDone = (): void => void (doneCount += 1);
    socket.on('answer:done', countDone);
    const outcome = await ask(socket, { message: '微调和调教有什么区别？' });
    await new Promise((resolve) => setTimeout(resolve, 100));
    socket.off('answer:done', countDone);
    expect('error' in outcome.ack).toBe(false);
    const ack = outcome.ack as { conversationId: string; messageId: string };
    expect(ack.conversationId).toMatch(/^[A-Za-z0-9_-]{22,}$/);
    expect(outcome.done?.messageId).toBe(ack.messageId);
    expect(outcome.done?.conversationId).toBe(ack.conversationId);
    expect(outcome.deltas.join('')).toBe(outcome.done?.answer);
    expect(outcome.done?.citations.length).toBeGreaterThan(0);
    expect(doneCount).toBe(1);
  });

  it('resolves a follow-up in the same conversation', async () => {
    const first = await ask(socket, { message: 'What is fine-tuning?' });
    const conversationId = first.done!.conversationId;
    const second = await ask(socket, { message: 'What about tuning?', conversationId });
    expect(second.done?.searchedFor).toBe('What is tuning?');
    expect(second.done?.answer).toMatch(/tuning/);
    expect(second.done?.grounded).toBe(true);
  });

  it.each([
    ['a string instead of an object', 'hello', 'INVALID_REQUEST'],
    ['a missing message', { conversationId: 'abc' }, 'INVALID_REQUEST'],
    ['a too long message', { message: 'x'.repeat(101) }, 'MESSAGE_TOO_LONG'],
    ['an unknown conversation', { message: '你好', conversationId: 'Z'.repeat(22) }, 'CONVERSATION_NOT_FOUND'],
  ])('refuses %s in the acknowledgement and stays connected', async (_name, payload, code) => {
    const outcome = await ask(socket, payload);
    expect(outcome.ack).toEqual({ error: { code, message: expect.any(String) } });
    expect(socket.connected).toBe(true);
    const after = await ask(socket, { message: '什么是预训练模型？' });
    expect(after.done?.grounded).toBe(true);
  });
});

describe('socket.io chat API: bounded and one answer at a time', () => {
  it('ends every accepted ask within the answer timeout, even when the answerer hangs', async () => {
    const hanging: TutorAnswerer = { answer: () => new Promise(() => undefined) };
    const tutor = await startTestTutor({ env: { ANSWER_TIMEOUT_MS: '400' }, wrapAnswerer: () => hanging });
    const socket = await connectTutorSocket(tutor.baseUrl);
    try {
      const started = Date.now();
      const outcome = await ask(socket, { message: '微调是什么？' }, 3_000);
      expect(outcome.error?.code).toBe('ANSWER_TIMEOUT');
      expect(Date.now() - started).toBeLessThan(1_500);
      // The conversation is free again after the timeout.
      const again = await ask(
        socket,
        { message: '微调是什么？', conversationId: (outcome.ack as { conversationId: string }).conversationId },
        3_000,
      );
      expect(again.error?.code).toBe('ANSWER_TIMEOUT');
    } finally {
      socket.close();
      await tutor.close();
    }
  });

  it('refuses a second ask in a conversation while its first answer is being written', async () => {
    const tutor = await startTestTutor({
      wrapAnswerer: (answerer) => ({
        answer: async (input) => {
          await new Promise((resolve) => setTimeout(resolve, 300));
          return answerer.answer(input);
        },
      }),
    });
    const socket = await connectTutorSocket(tutor.baseUrl);
    try {
      const first = await ask(socket, { message: '微调是什么？' });
      const conversationId = first.done!.conversationId;
      // The second ask goes out once the server has accepted the first (its acknowledgement), while it is being answered.
      const firstAsk = await askAcknowledged(socket, { message: '那调教呢？', conversationId });
      const right = await ask(socket, { message: '过拟合是什么？', conversationId });
      const left = await firstAsk.outcome;
      expect(left.done?.searchedFor).toBe('调教是什么？');
      expect(right.ack).toEqual({ error: { code: 'CONVERSATION_BUSY', message: expect.stringMatching(/still being written/) } });
    } finally {
      socket.close();
      await tutor.close();
    }
  });

  it('refuses socket connections from origins that are not allowed', async () => {
    const tutor = await startTestTutor({ env: { ALLOWED_ORIGINS: 'https://school.example' } });
    try {
      await expect(connectTutorSocket(tutor.baseUrl, { extraHeaders: { origin: 'https://evil.example' } })).rejects.toThrow();
      const allowed = await connectTutorSocket(tutor.baseUrl, { extraHeaders: { origin: 'https://school.example' } });
      const outcome = await ask(allowed, { message: '什么是调教？' });
      expect(outcome.done?.grounded).toBe(true);
      allowed.close();
    } finally {
      await tutor.close();
    }
  });
});

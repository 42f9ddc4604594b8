import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StartersResponse } from '../../src/shared/chat-protocol.js';
import { ask, connectTutorSocket } from '../support/socket-client.js';
import { startTestTutor, type TestTutor } from '../support/start-test-tutor.js';

describe('GET /api/starters', () => {
  let tutor: TestTutor;
  beforeAll(async () => {
    tutor = await startTestTutor();
  });
  afterAll(() => tutor.close());

  it('offers questions about the concepts in the learner language, each of which the tutor answers from the article', async () => {
    const socket = await connectTutorSocket(tutor.baseUrl);
    try {
      for (const language of ['zh', 'en'] as const) {
        const response = await fetch(`${tutor.baseUrl}/api/starters?language=${language}`);
        expect(response.status).toBe(200);
        const body = (await response.json()) as StartersResponse;
        expect(body.language).toBe(language);
        expect(body.starters.length).toBe(3);
        expect(new Set(body.starters.map((starter) => starter.conceptId)).size).toBe(3);
        for (const starter of body.starters) {
          if (language === 'zh') expect(starter.question).toMatch(/^[\u4e00-\u9fff]/);
          else expect(starter.question).toMatch(/^What (?:is|are) [A-Za-z][^?]*\?$/);
          const done = (await ask(socket, { message: starter.question })).done!;
          expect(done.grounded).toBe(true);
          expect(done.citations.length).toBeGreaterThan(0);
        }
      }
    } finally {
      socket.close();
    }
  });

  it('refuses a language it does not speak with a clear error', async () => {
    const response = await fetch(`${tutor.baseUrl}/api/starters?language=fr`);
    expect(response.status).toBe(400);
    const body = (await response.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe('INVALID_REQUEST');
    expect(body.error.message).toContain('zh');
  });
});

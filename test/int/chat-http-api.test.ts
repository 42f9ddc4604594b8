import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChatResponse, ConversationResponse, HealthResponse, PassageResponse } from '../../src/shared/chat-protocol.js';
import { postChat as postJsonChat, readServerSentEvents as readEvents } from '../support/http-client.js';
import { startTestTutor, type TestTutor } from '../support/start-test-tutor.js';

function postChat(tutor: TestTutor, body: unknown, headers: Record<string, string> = {}): Promise<Response> {
  return postJsonChat(tutor.baseUrl, body, headers);
}

function expectContract(body: ChatResponse): void {
  expect(Object.keys(body).sort()).toEqual(
    ['answer', 'citations', 'conversationId', 'followUps', 'grounded', 'language', 'mode', 'searchedFor'].sort(),
  );
  const markers = [...new Set([...body.answer.matchAll(/\[(\d+)\]/g)].map((match) => Number(match[1])))].sort();
  expect(markers).toEqual(body.citations.map((citation) => citation.marker).sort());
  for (const citation of body.citations) {
    const required = ['chunkId', 'end', 'marker', 'source', 'start', 'text', 'title'];
    const optional = ['spans', 'translation'];
    expect(
      Object.keys(citation)
        .filter((key) => !optional.includes(key))
        .sort(),
    ).toEqual(required);
    for (const key of Object.keys(citation)) expect([...required, ...optional]).toContain(key);
    // The offline answer cites the sentences it used, inside the passage.
    if (body.mode === 'offline') expect(citation.spans?.length).toBeGreaterThan(0);
    for (const span of citation.spans ?? []) {
      expect(span.start).toBeGreaterThanOrEqual(citation.start);
      expect(span.end).toBeLessThanOrEqual(citation.end);
    }
  }
}

describe('REST chat API', () => {
  let tutor: TestTutor;
  beforeAll(async () => {
    tutor = await startTestTutor({ env: { MAX_MESSAGE_CHARS: '200', HTTP_RATE_LIMIT_PER_MINUTE: '1000' } });
  });
  afterAll(() => tutor.close());

  it('reports health with the index size and the modes in use', async () => {
    const response = await fetch(`${tutor.baseUrl}/api/health`);
    const body = (await response.json()) as HealthResponse;
    expect(response.status).toBe(200);
    expect(body).toEqual({
      status: 'ok',
      chunks: tutor.runtime.currentIndex().chunks.length,
      embeddings: tutor.runtime.embedder.id,
      llm: 'none (offline)',
    });
  });

  it('answers a question with the documented payload and a new unguessable conversation id', async () => {
    const response = await postChat(tutor, { message: '微调和调教有什么区别？' });
    expect(response.status).toBe(200);
    expect(response.headers.get('x-request-id')).toMatch(/^[\w-]+$/);
    const body = (await response.json()) as ChatResponse;
    expectContract(body);
    expect(body.conversationId).toMatch(/^[A-Za-z0-9_-]{22,}$/);
    expect(body.grounded).toBe(true);
    expect(body.mode).toBe('offline');
    expect(body.citations.length).toBeGreaterThan(0);
    expect(body.followUps.length).toBeGreaterThanOrEqual(2);
    expect(body.followUps.length).toBeLessThanOrEqual(3);
  });

  it('continues a conversation: the follow-up is resolved with its history and the turns can be read back', async () => {
    const first = (await (await postChat(tutor, { message: '微调是什么？' })).json()) as ChatResponse;
    const second = (await (await postChat(tutor, { message: '那调教呢？', conversationId: first.conversationId })).json()) as ChatResponse;
    expect(second.conversationId).toBe(first.conversationId);
    expect(second.searchedFor).toBe('调教是什么？');
    expect(second.citations.some((citation) => citation.text.includes('调教这个词通常更广义'))).toBe(true);
    // Suggestions move on to passages the conversation has not covered yet.
    const cited = new Set([...first.citations, ...second.citations].map((citation) => citation.chunkId));
    expect(second.followUps.length).toBeGreaterThan(0);
    for (const followUp of second.followUps) expect(followUp).not.toBe('调教是什么意思？');

    const history = (await (await fetch(`${tutor.baseUrl}/api/conversations/${first.conversationId}`)).json()) as ConversationResponse;
    expect(history.turns.map((turn) => turn.question)).toEqual(['微调是什么？', '那调教呢？']);
    expect(history.turns[1]!.response.citations.every((citation) => cited.has(citation.chunkId))).toBe(true);
  });

  it('answers thanks with a short reply, no citations and no refusal, and the next follow-up still finds the question before it', async () => {
    const first = (await (await postChat(tutor, { message: '微调是什么？' })).json()) as ChatResponse;
    const thanks = (await (await postChat(tutor, { message: '谢谢！', conversationId: first.conversationId })).json()) as ChatResponse;
    expectContract(thanks);
    expect(thanks.mode).toBe('small-talk');
    expect(thanks.citations).toEqual([]);
    expect(thanks.answer).not.toContain('文章没有讲到');
    expect(thanks.followUps.length).toBeGreaterThan(0);
    const next = (await (await postChat(tutor, { message: '那调教呢？', conversationId: first.conversationId })).json()) as ChatResponse;
    expect(next.searchedFor).toBe('调教是什么？');
    expect(next.grounded).toBe(true);
  });

  it('answers in English for an English question, and says when the article does not cover it', async () => {
    const english = (await (await postChat(tutor, { message: 'What does the article say about overfitting?' })).json()) as ChatResponse;
    expect(english.grounded).toBe(true);
    expect(english.answer).toMatch(/overfitting/i);
    const outside = (await (await postChat(tutor, { message: 'What is the capital of France?' })).json()) as ChatResponse;
    expectContract(outside);
    expect(outside.grounded).toBe(false);
    expect(outside.citations).toEqual([]);
    expect(outside.answer).toMatch(/does not cover/);
  });

  it('streams server-sent events: deltas that add up to the answer, then done with the full payload', async () => {
    const response = await postChat(tutor, { message: '什么是调教？' }, { accept: 'text/event-stream' });
    expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const events = await readEvents(response);
    const deltas = events.filter((event) => event.event === 'delta');
    const done = events.filter((event) => event.event === 'done');
    expect(deltas.length).toBeGreaterThan(0);
    expect(done).toHaveLength(1);
    expect(events[events.length - 1]!.event).toBe('done');
    const body = done[0]!.data as unknown as ChatResponse;
    expectContract(body);
    expect(deltas.map((event) => event.data.text).join('')).toBe(body.answer);
  });

  it('streams an error event for an unknown conversation', async () => {
    const response = await postChat(tutor, { message: 'hi', conversationId: 'AAAAAAAAAAAAAAAAAAAAAA' }, { accept: 'text/event-stream' });
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({ error: { code: 'CONVERSATION_NOT_FOUND', message: expect.stringMatching(/does not exist/) } });
  });

  it.each([
    ['a missing message', {}, 400, 'INVALID_REQUEST'],
    ['a message of the wrong type', { message: 42 }, 400, 'INVALID_REQUEST'],
    ['an empty message', { message: '   ' }, 400, 'INVALID_REQUEST'],
    ['a message that is too long', { message: '微'.repeat(201) }, 413, 'MESSAGE_TOO_LONG'],
    ['an unknown conversation', { message: '你好', conversationId: 'x'.repeat(22) }, 404, 'CONVERSATION_NOT_FOUND'],
    ['malformed JSON', '{"message": ', 400, 'INVALID_REQUEST'],
    ['a JSON array', '[1,2]', 400, 'INVALID_REQUEST'],
  ])('refuses %s with a clear error', async (_name, body, status, code) => {
    const response = await postChat(tutor, body);
    expect(response.status).toBe(status);
    const parsed = (await response.json()) as { error: { code: string; message: string } };
    expect(parsed.error.code).toBe(code);
    expect(parsed.error.message.length).toBeGreaterThan(5);
    // The server keeps serving.
    expect((await fetch(`${tutor.baseUrl}/api/health`)).status).toBe(200);
  });

  it('refuses a body larger than the limit with 413', async () => {
    const response = await postChat(tutor, { message: 'x', padding: 'y'.repeat(40_000) });
    expect(response.status).toBe(413);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe('PAYLOAD_TOO_LARGE');
  });

  it('serves a cited passage with its neighbouring text, and 404 for an unknown id', async () => {
    const chunk = tutor.runtime.currentIndex().chunks[3]!;
    const response = await fetch(`${tutor.baseUrl}/api/passages/${chunk.chunkId}`);
    const body = (await response.json()) as PassageResponse;
    expect(body.text).toBe(chunk.text);
    expect(body.title).toBe(chunk.title);
    const document = tutor.runtime.currentIndex().documents.find((entry) => entry.documentId === chunk.documentId)!;
    expect(document.content.slice(body.start - body.before.length, body.end + body.after.length)).toBe(
      body.before + body.text + body.after,
    );
    // Every sentence of the passage, in document offsets, so the widget can highlight the spans an answer cited.
    expect(body.sentences.length).toBeGreaterThan(0);
    for (const span of body.sentences) {
      expect(span.start).toBeGreaterThanOrEqual(body.start);
      expect(span.end).toBeLessThanOrEqual(body.end);
      expect(body.text).toContain(document.content.slice(span.start, span.end));
    }
    const missing = await fetch(`${tutor.baseUrl}/api/passages/c000000000000`);
    expect(missing.status).toBe(404);
    expect(((await missing.json()) as { error: { code: string } }).error.code).toBe('PASSAGE_NOT_FOUND');
  });

  it('returns 404 for an unknown conversation id, so nobody reads a conversation without its id', async () => {
    const response = await fetch(`${tutor.baseUrl}/api/conversations/not-a-real-conversation-id`);
    expect(response.status).toBe(404);
  });
});

describe('REST chat API while starting and under rate limits', () => {
  it('answers 503 NOT_READY and health "starting" before the index is loaded', async () => {
    const tutor = await startTestTutor();
    try {
      const loaded = tutor.runtime.hasIndex;
      (tutor.runtime as { hasIndex: () => boolean }).hasIndex = () => false;
      const health = await fetch(`${tutor.baseUrl}/api/health`);
      expect(health.status).toBe(503);
      expect(((await health.json()) as HealthResponse).status).toBe('starting');
      const chat = await postChat(tutor, { message: '微调是什么？' });
      expect(chat.status).toBe(503);
      expect(((await chat.json()) as { error: { code: string } }).error.code).toBe('NOT_READY');
      (tutor.runtime as { hasIndex: () => boolean }).hasIndex = loaded;
    } finally {
      await tutor.close();
    }
  });

  it('limits questions per client with standard RateLimit headers and 429', async () => {
    const tutor = await startTestTutor({ env: { HTTP_RATE_LIMIT_PER_MINUTE: '3' } });
    try {
      const statuses: number[] = [];
      let last: Response | undefined;
      // When the first counted request and the last refusal happened, each bounded by its send and its response.
      let first = { sent: 0, answered: 0 };
      let refusal = { sent: 0, answered: 0 };
      for (let attempt = 0; attempt < 5; attempt += 1) {
        const sent = Date.now();
        last = await postChat(tutor, { message: '微调是什么？' });
        if (attempt === 0) first = { sent, answered: Date.now() };
        refusal = { sent, answered: Date.now() };
        statuses.push(last.status);
        if (attempt === 0) expect(last.headers.get('ratelimit-policy')).toMatch(/q=3; w=60/);
      }
      expect(statuses).toEqual([200, 200, 200, 429, 429]);
      // Retry-After is when the window frees a slot: 60 s after the first request, counted from the refusal (59 on a
      // machine slow enough that the five requests took more than a second).
      const retryAfter = Number(last!.headers.get('retry-after'));
      expect(retryAfter).toBeGreaterThanOrEqual(Math.ceil((first.sent + 60_000 - refusal.answered) / 1000));
      expect(retryAfter).toBeLessThanOrEqual(Math.ceil((first.answered + 60_000 - refusal.sent) / 1000));
      expect(((await last!.json()) as { error: { code: string } }).error.code).toBe('RATE_LIMITED');
      expect((await fetch(`${tutor.baseUrl}/api/health`)).status).toBe(200);
    } finally {
      await tutor.close();
    }
  });
});

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createFakeOpenAIServer, type FakeOpenAIServer, scripted } from '../support/fake-openai-server.js';
import { ask, connectTutorSocket, type TutorClientSocket } from '../support/socket-client.js';
import { startTestTutor, type TestTutor } from '../support/start-test-tutor.js';

/** The server in LLM mode, over the real hybrid index, talking to a scripted OpenAI-compatible server. */
describe('LLM mode end to end', () => {
  let fake: FakeOpenAIServer;
  let tutor: TestTutor;
  let socket: TutorClientSocket;

  beforeEach(async () => {
    fake = await createFakeOpenAIServer({ chunkDelayMs: 5 });
    tutor = await startTestTutor({
      env: {
        OPENAI_API_KEY: 'test-key',
        OPENAI_BASE_URL: fake.url,
        OPENAI_MODEL: 'fake-model',
        ANSWER_TIMEOUT_MS: '3000',
        LLM_RETRY_DELAY_MS: '50',
      },
    });
    socket = await connectTutorSocket(tutor.baseUrl);
  });
  afterEach(async () => {
    socket.close();
    await tutor.close();
    await fake.close();
  });

  /** The passages the model was shown in its first request, by marker. */
  function passagesShownToModel(requestIndex = 0): Map<number, string> {
    const body = fake.chatRequests[requestIndex]!.body as { messages: { role: string; content: unknown }[] };
    const text = body.messages
      .map((message) => (typeof message.content === 'string' ? message.content : JSON.stringify(message.content)))
      .join('\n');
    const shown = new Map<number, string>();
    for (const chunk of tutor.runtime.currentIndex().chunks) {
      const at = text.indexOf(chunk.text.slice(0, 24));
      if (at < 0) continue;
      const marker = /\[(\d+)\][^[]*$/.exec(text.slice(Math.max(0, at - 40), at));
      if (marker) shown.set(Number(marker[1]), chunk.chunkId);
    }
    return shown;
  }

  it('answers small talk without calling the model: a generic reply, no citations', async () => {
    const outcome = await ask(socket, { message: 'thanks!' });
    expect(outcome.done?.mode).toBe('small-talk');
    expect(outcome.done?.language).toBe('en');
    expect(outcome.done?.citations).toEqual([]);
    expect(outcome.deltas.join('')).toBe(outcome.done?.answer);
    expect(fake.chatRequests).toHaveLength(0);
  });

  it('streams a cited model answer whose citations are passages it was given', async () => {
    fake.enqueue(scripted.text('微调是在预训练模型的基础上针对特定任务进一步训练 [1]。', { pieces: 5 }));
    const outcome = await ask(socket, { message: '微调是什么？' });
    expect(outcome.done?.mode).toBe('llm');
    expect(outcome.done?.grounded).toBe(true);
    expect(outcome.deltas.length).toBeGreaterThan(1);
    expect(outcome.deltas.join('')).toBe(outcome.done?.answer);
    expect(outcome.done?.citations).toHaveLength(1);
    expect(outcome.done!.citations[0]!.chunkId).toBe(passagesShownToModel().get(1));
    expect(fake.chatRequests[0]!.body.model).toBe('fake-model');
    expect(fake.chatRequests[0]!.body.tools.map((entry: { function: { name: string } }) => entry.function.name)).toEqual([
      'search_article',
    ]);
  });

  it('runs the search tool the model calls, then cites what the tool returned', async () => {
    fake.enqueue(
      scripted.toolCall('search_article', { query: '强化学习 奖励机制' }),
      scripted.text('调教还可以指通过奖励机制来指导模型学习 [5]。'),
    );
    const outcome = await ask(socket, { message: '调教和强化学习有什么关系？' });
    expect(outcome.done?.mode).toBe('llm');
    const toolMessage = (fake.chatRequests[1]!.body.messages as { role: string; content: string }[]).find(
      (message) => message.role === 'tool',
    )!;
    expect(toolMessage.content).toContain('奖励机制');
    const cited = outcome.done!.citations;
    expect(cited).toHaveLength(1);
    expect(cited[0]!.marker).toBe(1);
    expect(toolMessage.content).toContain(cited[0]!.text.slice(0, 20));
  });

  it('removes a citation of a passage the model was not given, and renumbers', async () => {
    fake.enqueue(scripted.text('调教更广义 [7][2]，而微调更具体 [42]。'));
    const outcome = await ask(socket, { message: '调教是什么？' });
    const answer = outcome.done!.answer;
    expect(answer).not.toContain('[42]');
    expect(answer).not.toContain('[7]');
    const shown = passagesShownToModel();
    expect(outcome.done!.citations.map((citation) => citation.chunkId)).toEqual([shown.get(2)]);
    expect(answer).toContain('[1]');
    expect(outcome.deltas.join('')).not.toContain('[42]');
  });

  it('retries once after a 500 and answers with the model', async () => {
    fake.enqueue(scripted.httpError(500, 'upstream exploded'), scripted.text('调教包括超参数的调整 [1]。'));
    const outcome = await ask(socket, { message: '调教包括哪些调整？' });
    expect(outcome.done?.mode).toBe('llm');
    expect(fake.chatRequests).toHaveLength(2);
  });

  it('honours a 429 Retry-After, then answers', async () => {
    fake.enqueue(scripted.rateLimit(1), scripted.text('学习率的改变属于调教 [1]。'));
    const started = Date.now();
    const outcome = await ask(socket, { message: '改变学习率算什么？' });
    expect(outcome.done?.mode).toBe('llm');
    expect(fake.chatRequests[1]!.receivedAt - fake.chatRequests[0]!.receivedAt).toBeGreaterThanOrEqual(950);
    expect(Date.now() - started).toBeLessThan(3_000);
  });

  it('falls back to the offline answer, labelled, after two 500s', async () => {
    fake.enqueue(scripted.httpError(500), scripted.httpError(503));
    const outcome = await ask(socket, { message: '什么是过拟合？' });
    expect(outcome.done?.mode).toBe('offline-fallback');
    expect(outcome.done?.notice).toBe('语言模型暂时不可用，以下回答直接引自文章。');
    expect(outcome.done?.grounded).toBe(true);
    expect(outcome.done?.citations.length).toBeGreaterThan(0);
  });

  it('tells the client to drop streamed text when the stream is cut mid-way, then falls back', async () => {
    fake.enqueue(scripted.streamCut(['微调是', '在预训练']), scripted.streamCut(['微调']));
    const outcome = await ask(socket, { message: 'What is fine-tuning?' });
    expect(outcome.resets).toBeGreaterThanOrEqual(1);
    expect(outcome.done?.mode).toBe('offline-fallback');
    expect(outcome.done?.notice).toMatch(/language model is unavailable/);
    expect(outcome.deltas.join('')).toBe(outcome.done?.answer);
  });

  it('falls back within the answer timeout when the model hangs, and other conversations are unaffected', async () => {
    fake.enqueue(scripted.hang({ sendHeaders: true, chunksBeforeHang: ['微调'] }));
    const other = await connectTutorSocket(tutor.baseUrl);
    try {
      const started = Date.now();
      const hung = ask(socket, { message: '微调是什么？' }, 6_000);
      await new Promise((resolve) => setTimeout(resolve, 100));
      fake.enqueue(scripted.text('调教更广义 [1]。'));
      const quick = await ask(other, { message: '调教是什么？' });
      expect(quick.done?.mode).toBe('llm');
      const outcome = await hung;
      expect(outcome.done?.mode).toBe('offline-fallback');
      expect(Date.now() - started).toBeLessThan(3_500);
    } finally {
      other.close();
    }
  });

  it('explains an answer again in another style and language through the model, with the request as an instruction', async () => {
    fake.enqueue(
      scripted.text('微调是在预训练模型基础上的进一步训练 [1]。'),
      scripted.text('Fine-tuning is training a pre-trained model a bit more for one task [1].'),
    );
    const first = await ask(socket, { message: '微调是什么？' });
    const again = await ask(socket, {
      conversationId: first.done!.conversationId,
      explain: { messageId: first.done!.messageId, style: 'simpler', language: 'en' },
    });
    expect(again.done?.mode).toBe('llm');
    expect(again.done?.citations).toHaveLength(1);
    const sent = JSON.stringify(fake.chatRequests[1]!.body.messages);
    expect(sent).toContain('Explain this more simply than before');
    expect(sent).toContain('Answer in English.');
    expect(sent).toContain(first.done!.searchedFor);
  });
});

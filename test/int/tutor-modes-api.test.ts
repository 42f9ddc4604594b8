import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChatResponse, ProgressResponse, QuizGradeResponse, QuizQuestionResponse } from '../../src/shared/chat-protocol.js';
import { createFakeOpenAIServer, scripted } from '../support/fake-openai-server.js';
import { postJson } from '../support/http-client.js';
import { ask, connectTutorSocket } from '../support/socket-client.js';
import { startTestTutor, type TestTutor } from '../support/start-test-tutor.js';

async function post<T>(tutor: TestTutor, route: string, body: unknown): Promise<{ status: number; body: T }> {
  const response = await postJson(tutor.baseUrl, route, body);
  return { status: response.status, body: (await response.json()) as T };
}

describe('tutor modes over the API', () => {
  let tutor: TestTutor;
  beforeAll(async () => {
    tutor = await startTestTutor();
  });
  afterAll(() => tutor.close());

  async function startConversation(message: string): Promise<ChatResponse & { messageId: string }> {
    const socket = await connectTutorSocket(tutor.baseUrl);
    try {
      const outcome = await ask(socket, { message });
      return outcome.done!;
    } finally {
      socket.close();
    }
  }

  it('explains an answer again more simply, with an analogy, and in the other language, grounded and cited', async () => {
    const first = await startConversation('微调是什么？');
    const socket = await connectTutorSocket(tutor.baseUrl);
    try {
      const simpler = (
        await ask(socket, { conversationId: first.conversationId, explain: { messageId: first.messageId, style: 'simpler' } })
      ).done!;
      expect(simpler.grounded).toBe(true);
      expect(simpler.answer.startsWith('简单来说')).toBe(true);
      expect(simpler.answer.length).toBeLessThan(first.answer.length);
      expect(simpler.citations.length).toBeGreaterThan(0);

      const analogy = (
        await ask(socket, { conversationId: first.conversationId, explain: { messageId: first.messageId, style: 'analogy' } })
      ).done!;
      expect(analogy.grounded).toBe(true);
      for (const citation of analogy.citations) {
        const chunk = tutor.runtime.passageSearch.getChunk(citation.chunkId)!;
        expect(chunk.headingPath.join(' ')).toContain('烹饪');
      }

      const english = (await ask(socket, { conversationId: first.conversationId, explain: { messageId: first.messageId, language: 'en' } }))
        .done!;
      expect(english.answer).toMatch(/\*\*fine-tuning\*\* \(微调\)/);
      expect(english.citations.length).toBeGreaterThan(0);

      // The analogy in the other language is still the analogy.
      const analogyInEnglish = (
        await ask(socket, { conversationId: first.conversationId, explain: { messageId: analogy.messageId, language: 'en' } })
      ).done!;
      expect(analogyInEnglish.language).toBe('en');
      expect(analogyInEnglish.citations.length).toBeGreaterThan(0);
      for (const citation of analogyInEnglish.citations) {
        const chunk = tutor.runtime.passageSearch.getChunk(citation.chunkId)!;
        expect(chunk.headingPath.join(' ')).toContain('烹饪');
      }

      const history = (await (await fetch(`${tutor.baseUrl}/api/conversations/${first.conversationId}`)).json()) as {
        turns: { question: string }[];
      };
      expect(history.turns.map((turn) => turn.question)).toEqual([
        '微调是什么？',
        '更简单一点：微调是什么？',
        '用比喻解释：微调是什么？',
        'In English: 微调是什么？',
        'With an analogy: 微调是什么？',
      ]);
    } finally {
      socket.close();
    }
  });

  it('refuses to explain an answer that is not in the conversation', async () => {
    const first = await startConversation('调教是什么？');
    const socket = await connectTutorSocket(tutor.baseUrl);
    try {
      const outcome = await ask(socket, {
        conversationId: first.conversationId,
        explain: { messageId: 'not-a-message', style: 'simpler' },
      });
      expect(outcome.ack).toEqual({ error: { code: 'INVALID_REQUEST', message: expect.stringMatching(/no such answer/i) } });
    } finally {
      socket.close();
    }
  });

  it('shows learning progress over the corpus concepts and suggests the next one', async () => {
    const first = await startConversation('微调是什么？');
    const progress = (await (
      await fetch(`${tutor.baseUrl}/api/conversations/${first.conversationId}/progress`)
    ).json()) as ProgressResponse;
    expect(progress.total).toBeGreaterThanOrEqual(8);
    expect(progress.covered).toBeGreaterThan(0);
    expect(progress.concepts.find((concept) => concept.id === '微调')?.covered).toBe(true);
    expect(progress.next).toBeDefined();
    expect(progress.concepts.find((concept) => concept.id === progress.next!.id)?.covered).toBe(false);
    // The suggested question is answered from the corpus, and answering it covers more.
    const socket = await connectTutorSocket(tutor.baseUrl);
    try {
      const next = (await ask(socket, { message: progress.next!.question, conversationId: first.conversationId })).done!;
      expect(next.grounded).toBe(true);
    } finally {
      socket.close();
    }
    const after = (await (
      await fetch(`${tutor.baseUrl}/api/conversations/${first.conversationId}/progress?language=en`)
    ).json()) as ProgressResponse;
    expect(after.covered, JSON.stringify(after)).toBeGreaterThan(progress.covered);
    expect(after.next?.question ?? '').toMatch(/^What (?:is|are) [a-z]/);
  });

  it('counts as learned what the learner asked about and the cited sentences dwell on, not every term of a cited passage', async () => {
    const first = await startConversation('What is fine-tuning?');
    const progress = (await (
      await fetch(`${tutor.baseUrl}/api/conversations/${first.conversationId}/progress?language=en`)
    ).json()) as ProgressResponse;
    const covered = progress.concepts.filter((concept) => concept.covered).map((concept) => concept.id);
    expect(covered).toContain('微调');
    // The passage's opening sentence mentions 机器学习 and 上下文; the answer did not teach them.
    expect(covered).not.toContain('机器学习');
    expect(covered).not.toContain('上下文');
    expect(covered.length, covered.join(' ')).toBeLessThanOrEqual(3);
  });

  it('quizzes on a passage the learner met and grades right, partly right and wrong answers with a citation', async () => {
    const first = await startConversation('在烹饪的例子里，预训练模型像什么？');
    const choice = await post<QuizQuestionResponse>(tutor, '/api/quiz', { conversationId: first.conversationId, kind: 'choice' });
    expect(choice.status).toBe(200);
    expect(choice.body.sentence).toContain('＿＿＿＿');
    expect(choice.body.options).toHaveLength(4);
    expect(first.citations.map((citation) => citation.chunkId)).toContain(choice.body.chunkId);
    expect(JSON.stringify(choice.body)).not.toMatch(/"answer"/);

    const grades: QuizGradeResponse[] = [];
    for (const option of choice.body.options!) {
      const graded = await post<QuizGradeResponse>(tutor, `/api/quiz/${choice.body.quizId}/answer`, {
        conversationId: first.conversationId,
        answer: option,
      });
      grades.push(graded.body);
    }
    expect(grades.filter((grade) => grade.verdict === 'right')).toHaveLength(1);
    expect(grades.filter((grade) => grade.verdict === 'wrong')).toHaveLength(3);
    const right = grades.find((grade) => grade.verdict === 'right')!;
    expect(right.explanation).toContain('[1]');
    expect(right.citations[0]!.chunkId).toBe(choice.body.chunkId);
    expect(grades.find((grade) => grade.verdict === 'wrong')!.explanation).toContain(right.correctAnswer);

    const fill = await post<QuizQuestionResponse>(tutor, '/api/quiz', {
      conversationId: first.conversationId,
      kind: 'fill',
      language: 'en',
    });
    expect(fill.body.options).toBeUndefined();
    expect(fill.body.prompt).toMatch(/^Fill in the blank/);
  });

  it('keeps quizzes and progress private to the conversation', async () => {
    const first = await startConversation('调教是什么？');
    const quiz = await post<QuizQuestionResponse>(tutor, '/api/quiz', { conversationId: first.conversationId });
    const other = await startConversation('微调是什么？');
    const stolen = await post<{ error: { code: string } }>(tutor, `/api/quiz/${quiz.body.quizId}/answer`, {
      conversationId: other.conversationId,
      answer: 'x',
    });
    expect(stolen.status).toBe(400);
    const unknown = await fetch(`${tutor.baseUrl}/api/conversations/${'Q'.repeat(22)}/progress`);
    expect(unknown.status).toBe(404);
    const noConversation = await post<{ error: { code: string } }>(tutor, '/api/quiz', { conversationId: 'Q'.repeat(22) });
    expect(noConversation.body.error.code).toBe('CONVERSATION_NOT_FOUND');
  });

  it('stores thumbs up and down durably, with a reason and the passage, and reports them per passage', async () => {
    const first = await startConversation('什么是过拟合？');
    const chunkId = first.citations[0]!.chunkId;
    const down = await post<{ feedbackId: string }>(tutor, '/api/feedback', {
      conversationId: first.conversationId,
      messageId: first.messageId,
      rating: 'down',
      reason: '没有解释过拟合是什么',
      chunkId,
    });
    expect(down.status).toBe(201);
    const stored = async (): Promise<Record<string, unknown>[]> =>
      (await readFile(path.join(tutor.config.dataDir, 'feedback', 'feedback.jsonl'), 'utf8'))
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line) as Record<string, unknown>)
        .filter((entry) => entry.conversationId === first.conversationId);
    expect(await stored()).toEqual([
      expect.objectContaining({ rating: 'down', reason: '没有解释过拟合是什么', chunkId, messageId: first.messageId, mode: 'offline' }),
    ]);
    const up = await post<{ feedbackId: string }>(tutor, '/api/feedback', {
      conversationId: first.conversationId,
      messageId: first.messageId,
      rating: 'up',
    });
    // One vote per answer per conversation: the second replaces the first.
    expect(up.status).toBe(200);
    expect(up.body).toMatchObject({ replaced: true });
    const invalid = await post<{ error: { code: string } }>(tutor, '/api/feedback', {
      conversationId: first.conversationId,
      messageId: first.messageId,
      rating: 'meh',
    });
    expect(invalid.status).toBe(400);
    const foreignPassage = await post<{ error: { code: string } }>(tutor, '/api/feedback', {
      conversationId: first.conversationId,
      messageId: first.messageId,
      rating: 'down',
      chunkId: 'c000000000000',
    });
    expect(foreignPassage.status).toBe(400);

    expect(await stored()).toEqual([expect.objectContaining({ rating: 'up', messageId: first.messageId, mode: 'offline' })]);
  });
});

describe('quiz written by the language model', () => {
  it('uses a model-written quiz when it checks out against the passage, and the passage-built one when it does not', async () => {
    const fake = await createFakeOpenAIServer();
    const tutor = await startTestTutor({ env: { OPENAI_API_KEY: 'test-key', OPENAI_BASE_URL: fake.url } });
    try {
      fake.enqueue(scripted.text('调教是一个更宽泛的概念 [1]。'));
      const socket = await connectTutorSocket(tutor.baseUrl);
      const first = (await ask(socket, { message: '调教是什么？' })).done!;
      socket.close();
      const chunk = tutor.runtime.passageSearch.getChunk(first.citations[0]!.chunkId)!;
      const phrase = chunk.text.includes('更广义') ? '更广义' : chunk.text.replace(/[^\u4e00-\u9fff]/g, '').slice(0, 4);
      fake.enqueue(
        scripted.text(
          JSON.stringify({ question: '文章怎样形容“调教”这个词？', options: [phrase, '更狭义', '更古老', '更少见'], answerIndex: 0 }),
        ),
      );
      const written = await post<QuizQuestionResponse>(tutor, '/api/quiz', { conversationId: first.conversationId, kind: 'choice' });
      expect(written.body.prompt).toBe('文章怎样形容“调教”这个词？');
      const graded = await post<QuizGradeResponse>(tutor, `/api/quiz/${written.body.quizId}/answer`, {
        conversationId: first.conversationId,
        answer: phrase,
      });
      expect(graded.body.verdict).toBe('right');

      // An answer that is not in the passage: the model's quiz is dropped for one built from the passage.
      fake.enqueue(
        scripted.text(JSON.stringify({ question: '编造的问题？', options: ['不存在的词', '更狭义', '更古老', '更少见'], answerIndex: 0 })),
      );
      const checked = await post<QuizQuestionResponse>(tutor, '/api/quiz', { conversationId: first.conversationId, kind: 'choice' });
      expect(checked.body.prompt).not.toBe('编造的问题？');
      expect(checked.body.sentence).toContain('＿＿＿＿');
    } finally {
      await tutor.close();
      await fake.close();
    }
  });
});

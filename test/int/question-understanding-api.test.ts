import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChatResponse, ConversationResponse } from '../../src/shared/chat-protocol.js';
import { startTestTutor, type TestTutor } from '../support/start-test-tutor.js';

async function ask(tutor: TestTutor, message: string, conversationId?: string): Promise<ChatResponse> {
  const response = await fetch(`${tutor.baseUrl}/api/chat`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(conversationId === undefined ? { message } : { message, conversationId }),
  });
  expect(response.status).toBe(200);
  return (await response.json()) as ChatResponse;
}

describe('questions as learners type them, over REST', () => {
  let tutor: TestTutor;
  beforeAll(async () => {
    tutor = await startTestTutor({ env: { HTTP_RATE_LIMIT_PER_MINUTE: '1000' } });
  });
  afterAll(() => tutor.close());

  it.each([
    ['full-width Latin', 'ｗｈａｔ ｉｓ ｆｉｎｅ-ｔｕｎｉｎｇ？'],
    ['a zero-width space inside a word', '微\u200b调是什么？'],
    ['a soft hyphen', 'What is fine-tun\u00ading?'],
    ['an HTML tag', '<b>微调</b>是什么'],
  ])('grounds a question with %s, and stores it as typed', async (_kind, message) => {
    const body = await ask(tutor, message);
    expect(body.grounded).toBe(true);
    expect(body.citations.length).toBeGreaterThan(0);
    expect(body.citations.some((citation) => citation.text.includes('微调通常指的是'))).toBe(true);
    const stored = (await (await fetch(`${tutor.baseUrl}/api/conversations/${body.conversationId}`)).json()) as ConversationResponse;
    expect(stored.turns[0]?.question).toBe(message);
  });

  it('refuses markup with no text as an empty message', async () => {
    const response = await fetch(`${tutor.baseUrl}/api/chat`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ message: '<b></b>\u200b' }),
    });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe('INVALID_REQUEST');
  });

  it('reads a pinyin typo as the corpus term, says so, and searches the corrected question', async () => {
    const body = await ask(tutor, '微掉是什么？');
    expect(body.grounded).toBe(true);
    expect(body.corrections).toEqual([{ from: '微掉', to: '微调' }]);
    expect(body.searchedFor).toContain('微调');
    const followUp = await ask(tutor, '那调角呢？', body.conversationId);
    expect(followUp.corrections).toEqual([{ from: '调角', to: '调教' }]);
    expect(followUp.searchedFor).toBe('调教是什么？');
    expect(followUp.grounded).toBe(true);
  });

  it('reads an English typo of a glossary term as the term and says so, but not a real word one letter away', async () => {
    const body = await ask(tutor, 'What is fine-tunning?');
    expect(body.grounded).toBe(true);
    expect(body.corrections).toEqual([{ from: 'fine-tunning', to: 'fine-tuning' }]);
    expect(body.searchedFor).toBe('What is fine-tuning?');
    const real = await ask(tutor, 'What is turning?');
    expect(real.corrections).toBeUndefined();
  });

  it('answers an everyday word for the article’s term from the section it names', async () => {
    const body = await ask(tutor, '有没有做菜的比喻？');
    expect(body.grounded).toBe(true);
    expect(body.citations.some((citation) => citation.text.includes('厨师') || citation.text.includes('烹饪'))).toBe(true);
    expect(body.corrections).toBeUndefined();
  });

  it('does not cover a concept the article never names, even beside its own terms', async () => {
    for (const message of ['LoRA和微调有什么区别？', 'What is RLHF?']) {
      const body = await ask(tutor, message);
      expect(body.grounded).toBe(false);
      expect(body.citations).toEqual([]);
    }
  });

  it('credits CC-CEDICT and its licence in the demo page footer', async () => {
    const page = await (await fetch(`${tutor.baseUrl}/`)).text();
    const footer = page.slice(page.indexOf('<footer'));
    expect(footer).toContain('CC-CEDICT');
    expect(footer).toContain('creativecommons.org/licenses/by-sa/4.0');
  });
});

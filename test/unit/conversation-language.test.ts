import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasLanguageSignal } from '../../src/tutor/answer-language.js';
import { answerConversation, createTestRuntime } from '../support/test-runtime.js';

/** A short message that says nothing of its language is answered in the conversation's language, both ways. */
describe('the answer language of a message without a language signal', () => {
  let fixture: Awaited<ReturnType<typeof createTestRuntime>>;
  beforeAll(async () => {
    fixture = await createTestRuntime();
  });
  afterAll(() => fixture.dispose());

  it.each(['ok', '?', '123', '嗯', '👍'])('"%s" has no language signal', (message) => {
    expect(hasLanguageSignal(message)).toBe(false);
  });
  it.each(['thanks', 'What is it?', '谢谢', '那调教呢', 'LoRA', 'ok 谢谢'])('"%s" has one', (message) => {
    expect(hasLanguageSignal(message)).toBe(true);
  });

  it.each([
    ['What is fine-tuning?', 'en'],
    ['微调是什么？', 'zh'],
  ] as const)('after "%s" the answer to ok, ?, 123 and 嗯 stays %s, in its text too', async (first, language) => {
    for (const message of ['ok', '?', '123', '嗯']) {
      const [, answer] = await answerConversation(fixture.runtime.offlineAnswerer, [first, message]);
      expect(answer?.language, message).toBe(language);
      const text = answer?.answer ?? '';
      // The frame is in the conversation's language: an English answer may quote a Chinese term, not Chinese prose.
      if (language === 'zh') expect(text, message).toMatch(/[\u4e00-\u9fff]{4}/);
      else expect(text.replace(/\([^)]*\)/g, ''), message).not.toMatch(/[\u4e00-\u9fff]{3}/);
      for (const followUp of answer?.followUps ?? []) expect(fixture.runtime.analyzer.detectLanguage(followUp), followUp).toBe(language);
    }
  });

  it('a message with a signal still switches the language, and a first message is read as it is', async () => {
    const [, english] = await answerConversation(fixture.runtime.offlineAnswerer, ['微调是什么？', 'What about tuning?']);
    expect(english?.language).toBe('en');
    const [first] = await answerConversation(fixture.runtime.offlineAnswerer, ['ok']);
    expect(first?.language).toBe('en');
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toTurn } from '../../src/evaluation/run-evaluation.js';
import type { ConversationTurn, TutorAnswer } from '../../src/tutor/tutor-types.js';
import { createTestRuntime } from '../support/test-runtime.js';

/** The tutor as the chat service runs it offline: small talk and questions through one answerer. */
describe('small talk in the offline tutor', () => {
  let fixture: Awaited<ReturnType<typeof createTestRuntime>>;
  const ask = (question: string, history: readonly ConversationTurn[] = []): Promise<TutorAnswer> =>
    fixture.runtime.offlineAnswerer.answer({ question, history });
  beforeAll(async () => {
    fixture = await createTestRuntime();
  });
  afterAll(() => fixture.dispose());

  it('answers "谢谢" and "你好" with a short Chinese reply: no citations, not the refusal, with suggestions', async () => {
    for (const message of ['谢谢', '你好', 'ok 谢谢', '好的，谢谢！🙏']) {
      const answer = await ask(message);
      expect(answer.mode, message).toBe('small-talk');
      expect(answer.grounded).toBe(false);
      expect(answer.citations).toEqual([]);
      expect(answer.answer).not.toMatch(/\[\d+\]/);
      expect(answer.answer).not.toContain('文章没有讲到');
      expect(answer.language).toBe('zh');
      expect(answer.answer).toMatch(/[\u4e00-\u9fff]/);
      expect(answer.answer.length).toBeLessThan(80);
      expect(answer.followUps.length).toBeGreaterThanOrEqual(2);
      for (const followUp of answer.followUps) expect((await fixture.runtime.passageSearch.search(followUp)).covered).toBe(true);
    }
    expect((await ask('谢谢')).answer).not.toBe((await ask('你好')).answer);
  });

  it('answers "hi" and "thanks!" in English, with English suggestions', async () => {
    for (const message of ['hi', 'thanks!', 'Thank you so much :)', 'bye 👋']) {
      const answer = await ask(message);
      expect(answer.mode, message).toBe('small-talk');
      expect(answer.language).toBe('en');
      expect(answer.citations).toEqual([]);
      expect(answer.answer).not.toMatch(/does not cover/);
      expect(answer.answer).toMatch(/^[\x20-\x7e]+$/);
      for (const followUp of answer.followUps) expect(followUp).toMatch(/^[\x20-\x7e]+$/);
    }
  });

  it('answers the question after a greeting as the question alone', async () => {
    const greeted = await ask('hi, what is fine-tuning?');
    const plain = await ask('what is fine-tuning?');
    expect(greeted.mode).toBe('offline');
    expect(greeted.grounded).toBe(true);
    expect(greeted.answer).toBe(plain.answer);
    expect(greeted.searchedFor).toBe('what is fine-tuning?');
    const nihao = await ask('你好，微调是什么？');
    expect(nihao.answer).toBe((await ask('微调是什么？')).answer);
  });

  it('resolves a follow-up after thanks, and across a small-talk turn, with the question before it', async () => {
    const first = await ask('微调是什么？');
    const history = [toTurn('微调是什么？', first)];
    const thanked = await ask('谢谢！那调教呢？', history);
    expect(thanked.searchedFor).toBe('调教是什么？');
    expect(thanked.citations.some((citation) => citation.text.includes('调教这个词通常更广义'))).toBe(true);

    const thanks = await ask('谢谢', history);
    expect(thanks.mode).toBe('small-talk');
    const after = await ask('那调教呢？', [...history, toTurn('谢谢', thanks)]);
    expect(after.searchedFor).toBe('调教是什么？');
    // The small-talk turn leaves the conversation as it was: the same answer and the same suggestions as without it.
    const without = await ask('那调教呢？', history);
    expect(after.answer).toBe(without.answer);
    expect(after.followUps).toEqual(without.followUps);
  });

  it('suggests after thanks what follows the last question, not that question again', async () => {
    const first = await ask('微调是什么？');
    const thanks = await ask('谢谢', [toTurn('微调是什么？', first)]);
    expect(thanks.followUps.length).toBeGreaterThanOrEqual(2);
    for (const followUp of thanks.followUps) expect(followUp).not.toMatch(/^微调是什么/);
  });

  it('leaves "为什么？" and "ok?" after an answer to the answerer, not to small talk', async () => {
    const first = await ask('模型应用比微调更快吗？');
    for (const message of ['为什么？', 'ok?']) {
      const answer = await ask(message, [toTurn('模型应用比微调更快吗？', first)]);
      expect(answer.mode, message).toBe('offline');
    }
  });
});

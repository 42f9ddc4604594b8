import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TutorAnswer } from '../../src/tutor/tutor-types.js';
import { answerConversation, createTestRuntime } from '../support/test-runtime.js';

/**
 * Follow-ups as a learner meets them on the shipped corpus: each conversation answered turn by turn, as the chat
 * service does (a turn's answer, refusal included, becomes history), and checked on what the learner reads: the
 * question searched, the answer's first line and what it quotes.
 */
describe('follow-up conversations on the shipped corpus', () => {
  let fixture: Awaited<ReturnType<typeof createTestRuntime>>;
  beforeAll(async () => {
    fixture = await createTestRuntime();
  });
  afterAll(() => fixture.dispose());

  const converse = async (...questions: string[]): Promise<TutorAnswer> =>
    (await answerConversation(fixture.runtime.offlineAnswerer, questions)).at(-1) as TutorAnswer;
  const firstLine = (answer: TutorAnswer): string => answer.answer.split('\n')[0] as string;
  /** The answer quotes the sentence (the article's words, or its English rendering) and cites its passage. */
  const quotes = (answer: TutorAnswer, sentence: string, rendering?: string): boolean =>
    answer.answer.includes(rendering ?? sentence) && answer.citations.some((citation) => citation.text.includes(sentence));

  describe('a pronoun subject in a comparison stands for the previous topic', () => {
    it('"Is it faster than fine-tuning?" after "What is model application?" asks it of model application: yes', async () => {
      const answer = await converse('What is model application?', 'Is it faster than fine-tuning?');
      expect(answer.searchedFor).toBe('Is model application faster than fine-tuning?');
      expect(firstLine(answer)).toMatch(/^Yes\b/);
      expect(quotes(answer, '更快,因为无需重新训练', 'faster, because no retraining is needed')).toBe(true);
    });

    it('它 / 这个 before 比 is the previous topic, and the verdict follows the article', async () => {
      const faster = await converse('模型应用是什么？', '它比微调更快吗？');
      expect(faster.searchedFor).toBe('模型应用比微调更快吗？');
      expect(firstLine(faster)).toMatch(/^是的/);
      expect(quotes(faster, '更快,因为无需重新训练')).toBe(true);
      const slower = await converse('微调是什么？', '这个比模型应用更快吗？');
      expect(slower.searchedFor).toBe('微调比模型应用更快吗？');
      expect(firstLine(slower)).toMatch(/^不是/);
      expect(quotes(slower, '时间较长,因为涉及到训练')).toBe(true);
    });
  });

  describe('a refused turn supplies no referent', () => {
    it('"那调教呢？" after a refusal follows the last answered turn', async () => {
      const answer = await converse('微调是什么？', '量子计算是什么？', '那调教呢？');
      expect(answer.searchedFor).toBe('调教是什么？');
      expect(answer.grounded).toBe(true);
      expect(quotes(answer, '调教这个词通常更广义')).toBe(true);
    });

    it('"它有什么风险？" after a refusal asks about the last answered topic, not the refused one', async () => {
      const answer = await converse('微调是什么？', '量子计算是什么？', '它有什么风险？');
      expect(answer.searchedFor).toBe('微调有什么风险？');
      expect(answer.searchedFor).not.toContain('量子');
      expect(quotes(answer, '但也可能过拟合')).toBe(true);
    });

    it('in English too, and with no answered turn before it the follow-up stands alone', async () => {
      const answer = await converse('What is fine-tuning?', 'Who won the 2022 World Cup?', 'And tuning?');
      expect(answer.searchedFor).toBe('What is tuning?');
      expect(quotes(answer, '调教这个词通常更广义', 'the word tuning is usually broader')).toBe(true);
      const alone = await converse('量子计算是什么？', '它有什么风险？');
      expect(alone.searchedFor).toBe('它有什么风险？');
    });
  });

  describe('a bare why after a definition asks why of what the definition said', () => {
    it('"为什么？" after "微调是什么？" gives why 微调 is the word for that training, not why it takes long', async () => {
      const answer = await converse('微调是什么？', '为什么？');
      expect(answer.searchedFor).toBe('为什么？（微调）');
      expect(firstLine(answer)).toBe('关于「微调」，文章给出的理由是：');
      expect(quotes(answer, '因为它强调了在预训练之后的特定化训练过程')).toBe(true);
      expect(answer.answer).not.toContain('时间较长');
    });

    it('"Why?" after "What is tuning?" gives what tuning aims at', async () => {
      const answer = await converse('What is tuning?', 'Why?');
      expect(answer.searchedFor).toBe('Why? (tuning)');
      expect(firstLine(answer)).toBe('The article gives this reasoning:');
      expect(quotes(answer, '旨在找到最佳的模型性能', 'with the aim of finding the best model performance')).toBe(true);
    });

    it('an answer that already gave its reason is asked why of that reason', async () => {
      const answer = await converse('Is model application faster than fine-tuning?', 'Why?');
      expect(quotes(answer, '更快,因为无需重新训练', 'faster, because no retraining is needed')).toBe(true);
    });
  });
});

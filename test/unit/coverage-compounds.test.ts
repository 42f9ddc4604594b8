import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { askedBeyondTheText } from '../../src/retrieval/beyond-the-text.js';
import { createTestRuntime } from '../support/test-runtime.js';

/**
 * A term of two everyday words the article never writes (损失函数, "loss function") is a concept of its own: the
 * question about it is not covered however many of its other words the article uses. A question asking for the
 * article's gist in other words (主要内容, "the bottom line") is answered from its summary, not refused.
 */
describe('coverage of compound terms and of the article gist', () => {
  let fixture: Awaited<ReturnType<typeof createTestRuntime>>;
  beforeAll(async () => {
    fixture = await createTestRuntime();
  });
  afterAll(() => fixture.dispose());

  it.each([
    ['What does the loss function do during fine-tuning?'],
    ['What loss function should I use when fine-tuning a classifier?'],
    ['微调模型时损失函数怎么选？'],
    // A noun the article never writes, headed after one of its words: the article's word only modifies it.
    ['What is the context window of a large language model?'],
    ['大模型的上下文窗口是什么意思？'],
    // An unseen modifier opening the compound asked about: the article's 计算 (计算资源) is only its last word.
    ['量子计算是什么？'],
    ['量子计算和微调有什么关系？'],
    ['What is quantum computing?'],
  ])('says %s is not covered: its topic is a term the article never names', async (question) => {
    expect((await fixture.runtime.passageSearch.search(question)).covered).toBe(false);
  });

  it.each([
    // An aspect of the topic (原理), not a term of its own; two everyday words that are not the question's focus.
    ['微调的工作原理是什么？'],
    ['Should I fine-tune the model or just use it for my side project?'],
    ['模型应用和微调是不是都很吃硬件？'],
    ['What is the purpose of fine-tuning?'],
    // 里加 is jieba's "Riga": the localizer belongs to 例子 ("in the example"), and 加 is the question's word.
    ['做菜的例子里加辣椒或者糖是在比喻什么？'],
    // A kind of the article's own thing (its last word heads glossary terms), a described one, a story asked for.
    ['传统微调是什么？'],
    ['开源的预训练模型可以直接拿来做预测吗？'],
    ['厨房故事里微调和调教有什么区别？'],
    ['What is an open-source model?'],
    // The frame of a comparison (比, 各有) and the merits asked (好处, 坏处) are no topic words the article lacks.
    ['直接拿模型来用和微调比，各有什么好处和坏处？'],
  ])('still covers %s', async (question) => {
    expect((await fixture.runtime.passageSearch.search(question)).covered).toBe(true);
  });

  it.each([
    ['文章的主要内容是什么？'],
    ['这篇文章的核心观点是什么？'],
    ['What is the bottom line of the article?'],
    ["What's the main takeaway of the article?"],
  ])('answers %s from the article’s own summary', async (question) => {
    const answer = await fixture.runtime.offlineAnswerer.answer({ question, history: [] });
    expect(answer.grounded).toBe(true);
    expect(answer.answer).toMatch(/使用微调|use fine-tuning/);
  });

  it('reads when something became popular as history the article never tells', async () => {
    expect(askedBeyondTheText('预训练模型是从什么时候开始流行起来的？', '')).toBeDefined();
    expect(askedBeyondTheText('When did fine-tuning become popular?', '')).toBeDefined();
    expect(askedBeyondTheText('什么时候该用微调？', '')).toBeUndefined();
    expect((await fixture.runtime.passageSearch.search('预训练模型是从什么时候开始流行起来的？')).covered).toBe(false);
  });
});

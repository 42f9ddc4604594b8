import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { askedAmountOf, statesAmount } from '../../src/retrieval/asked-amount.js';
import { askedBeyondTheText } from '../../src/retrieval/beyond-the-text.js';
import { createTestRuntime } from '../support/test-runtime.js';

/**
 * Questions that share words with the article but ask for what it never says: a count it does not give, a forecast,
 * a purchase, a thing of the learner's own, what an everyday verb acts on, a recipe in the analogy's words. Each is
 * refused, and the in-scope question next to it is still answered.
 */
describe('coverage of questions the article cannot answer by their form', () => {
  let fixture: Awaited<ReturnType<typeof createTestRuntime>>;
  beforeAll(async () => {
    fixture = await createTestRuntime();
  });
  afterAll(() => fixture.dispose());

  it.each([
    // A count: the article says GPUs are needed, never how many.
    ['How many graphics cards does fine-tuning need?'],
    ['微调的时候要用几个GPU？'],
    // A forecast: the article speaks of no time.
    ['In the future, will model application replace fine-tuning?'],
    ['未来模型应用会取代微调吗？'],
    // Shopping: the article names GPUs as a need, not as products.
    ['What GPU should I purchase to fine-tune at home?'],
    ['训练大模型应该买哪个GPU？'],
    // The learner's own thing, and what an everyday how-to verb acts on.
    ['How do I adjust the parameters on my camera?'],
    ['怎么调整我家空调的温度？'],
    ['How can I guide a new intern through a specific task?'],
    // A recipe asked in the analogy's own words.
    ['Tell me how to make beef stew with chili.'],
    // A name-like word as the topic is a concept of its own, even when it is also a word of general language (rag).
    ['RAG和调教有什么区别？'],
    // A name with a hyphen and a version is a name too.
    ['GPT-4是怎么训练的？'],
    ['How is LLaMA-2 fine-tuned?'],
    // Code and commands, and judgments of law or ethics, which the article never gives.
    ['What is the command to fine-tune a model in Python?'],
    ['微调需要写哪些代码？'],
    ['微调大模型违法吗？'],
    // The learner's own thing before the term with a modal: 我的简历 is a noun, whatever jieba's tag.
    ['我的简历需要微调吗？'],
    // History, people, companies, fields of application and operations the article never writes of.
    ['Who invented fine-tuning?'],
    ['When was fine-tuning first used?'],
    ['Which companies use fine-tuning?'],
    ['微调在医疗领域有哪些应用？'],
    ['微调后的模型怎么部署？'],
    ['How do I collect data for fine-tuning?'],
    // A thing of its own beside the mapping words is not the analogy's.
    ['What does a recipe for dumplings stand for?'],
  ])('refuses %s, and the answer cites nothing', async (question) => {
    expect((await fixture.runtime.passageSearch.search(question)).covered).toBe(false);
    const answer = await fixture.runtime.offlineAnswerer.answer({ question, history: [] });
    expect(answer.grounded).toBe(false);
    expect(answer.citations).toEqual([]);
  });

  it.each([
    // A share of a whole answers a count of its parts; "how much" is answered by 较高 / "substantial".
    ['微调要重新训练多少个参数？'],
    ['How much computing power does fine-tuning need?'],
    ['Is fine-tuning better in the long run?'],
    ['How do I adapt a pretrained model to my own task?'],
    ['In the cooking example, how do you make the beef spicier?'],
    ['炖牛肉的秘方是什么？'],
    // "AI" is written like a name but is a word of the article's field beside its term, not a concept of its own.
    ['Does fine-tuning an AI model need GPUs?'],
    ['调教AI模型是什么意思？'],
    // A summary of the whole is the article's own summary section, which a refusal would name among what it covers.
    ['总结一下文章讲了什么'],
    ['Summarize the article in one sentence.'],
    ['What are the key points of the article?'],
    // What a figure of the analogy stands for asks about the analogy, in its words only.
    ['What does the chef represent?'],
    ['辣椒和糖代表什么？'],
    ['我的模型需要微调吗？'],
    // When and who as the article's own recommendation asks them.
    ['When should I use fine-tuning?'],
    // What the article does as the question frames it (给出, 提到, 文中) is not a topic the article lacks.
    ['关于微调，文章给出了哪些理由？'],
    ['文中提到的微调有什么风险？'],
    // Frames asking for the whole story or the good and the bad of it name nothing of their own (pro, con, 回事, 说法).
    ['What are the pros and cons of model application and fine-tuning?'],
    ['模型应用是怎么一回事？'],
    ['调教这个说法是什么意思？'],
    ['微调与模型应用在更新参数这件事上有何差异？'],
  ])('still answers %s from the article', async (question) => {
    const answer = await fixture.runtime.offlineAnswerer.answer({ question, history: [] });
    expect(answer.grounded).toBe(true);
    expect(answer.citations.length).toBeGreaterThan(0);
  });
});

describe('the form of a question', () => {
  it('reads a measure word or "how many" + a noun as a count, "how many of" as a share', () => {
    expect(askedAmountOf('微调一个大模型需要几张GPU？')).toMatchObject({ focus: 'GPU', scale: 'count' });
    expect(askedAmountOf('空调温度调到多少度最合适？')).toMatchObject({ focus: '空调温度', scale: 'count' });
    expect(askedAmountOf('How many GPUs do I need?')).toMatchObject({ scale: 'count' });
    expect(askedAmountOf("How many of the model's parameters does fine-tuning retrain?")).toMatchObject({ scale: 'amount' });
    expect(askedAmountOf('微调需要多少计算资源？')).toMatchObject({ scale: 'amount' });
  });

  it('answers a count only with a number or a definite share, not with "much" or "all kinds of"', () => {
    expect(statesAmount('都需要较高的计算资源,如GPU支持。', 'count')).toBe(false);
    expect(statesAmount('you adjust all kinds of possible factors', 'count')).toBe(false);
    expect(statesAmount('则是对模型的部分或全部参数进行重新训练', 'count')).toBe(true);
    expect(statesAmount('Training took eight hours on four GPUs.', 'count')).toBe(true);
  });

  it('finds forecasts and shopping only where the corpus never speaks of them', () => {
    expect(askedBeyondTheText('Will fine-tuning still be needed in five years?', 'fine-tuning')).toBe('in five years');
    expect(askedBeyondTheText('明年微调会更便宜吗？', '微调')).toBe('明年');
    expect(askedBeyondTheText('Will fine-tuning still be needed in five years?', 'a forecast: in five years, fine-tuning')).toBeUndefined();
    expect(askedBeyondTheText('微调之前，模型本来就懂很多东西吗？', '')).toBeUndefined();
    expect(askedBeyondTheText('How do applying a model and fine-tuning differ in cost?', '')).toBeUndefined();
    expect(askedBeyondTheText('Which GPU should I buy?', '')).toBe('Which GPU should I buy');
  });
});

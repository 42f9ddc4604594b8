import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { groupSearchPieces } from '../../src/retrieval/search-pieces.js';
import { detectQuestionIntent } from '../../src/tutor/question-intent.js';
import { createTestRuntime } from '../support/test-runtime.js';

describe('coverage of questions about concepts the article never names', () => {
  let fixture: Awaited<ReturnType<typeof createTestRuntime>>;
  beforeAll(async () => {
    fixture = await createTestRuntime();
  });
  afterAll(() => fixture.dispose());

  it.each([
    ['量化和微调有什么区别？'],
    ['知识蒸馏和微调有什么区别？'],
    ['模型量化会降低大模型的性能吗？'],
    ['怎么包饺子？需要准备哪些调料？'],
    // A compound jieba cuts into pieces (提示/词/工程), the object ending a how-to question, English topics.
    ['提示词工程和微调哪个好？'],
    ['微调时怎么给数据打标签？'],
    ['What is dropout and how does it prevent overfitting?'],
    ['How does 4-bit quantization of a large model work?'],
    ['Is distillation or fine-tuning better for a small model?'],
    ['How do I label data for fine-tuning?'],
  ])('says %s is not covered although its other words are the article’s', async (question) => {
    const result = await fixture.runtime.passageSearch.search(question);
    expect(result.covered).toBe(false);
  });

  it('answers "not covered" for 量化 and names what the article does cover', async () => {
    const answer = await fixture.runtime.offlineAnswerer.answer({ question: '量化和微调有什么区别？', history: [] });
    expect(answer.grounded).toBe(false);
    expect(answer.citations).toEqual([]);
    expect(answer.answer).toMatch(/微调|调教/);
  });

  it.each([
    ['微调之前，模型本来就懂很多东西吗？'],
    ['那微调要花多长时间？'],
    ['模型应用时会更新权重吗？'],
    ['用比喻解释一下微调'],
    // A shortened form of the analogy's word (炖肉 for 炖牛肉), and a question on what a figure stands for.
    ['炖肉那个比方想说明什么？'],
    ['从零开始学做一道菜，对应的是哪个概念？'],
    ['In the cooking story, what does adding chili correspond to?'],
  ])('still covers %s, whose words the article lacks are general language or a kind of answer', async (question) => {
    expect((await fixture.runtime.passageSearch.search(question)).covered).toBe(true);
  });

  it.each([
    ['调教除了调整超参数，还能举出别的例子吗？'],
    ['文中说的“特定化训练过程”指的是什么？'],
    ['In the cooking analogy, who is the reader asked to imagine being?'],
    ['Can I just reuse an off-the-shelf model without retraining it?'],
  ])('answers %s, whose unknown word is a verb or frame word, not the topic', async (question) => {
    expect((await fixture.runtime.passageSearch.search(question)).covered).toBe(true);
    const answer = await fixture.runtime.offlineAnswerer.answer({ question, history: [] });
    expect(answer.grounded).toBe(true);
    expect(answer.citations.length).toBeGreaterThan(0);
  });

  it('marks only unknown words in the topic slot as topics', () => {
    const slot = (question: string, word: string) =>
      fixture.runtime.understanding.analyze(question).words.find((entry) => entry.word === word)?.topicSlot === true;
    expect(slot('知识蒸馏和微调有什么区别？', '蒸馏')).toBe(true);
    expect(slot('蒸馏是什么？', '蒸馏')).toBe(true);
    expect(slot('调教除了调整超参数，还能举出别的例子吗？', '举出')).toBe(false);
    expect(slot('What is dropout?', 'dropout')).toBe(true);
    expect(slot('Can I just reuse an off-the-shelf model without retraining it?', 'off-the-shelf')).toBe(false);
  });

  it('counts risk words ("坏处", "go wrong") as the kind of answer asked for, not as a topic the article lacks', async () => {
    for (const question of ['微调有什么坏处？', 'What can go wrong when fine-tuning?']) {
      const result = await fixture.runtime.passageSearch.search(question);
      expect(result.covered).toBe(true);
      expect(result.confidence).toBeGreaterThan(0.45);
    }
  });

  it('reads general-language words as general and specific ones as specific', () => {
    const words = fixture.runtime.understanding.analyze('模型量化之前应该做什么？').words;
    const byWord = new Map(words.map((word) => [word.word, word]));
    expect(byWord.get('之前')?.general).toBe(true);
    expect(byWord.get('应该')?.general).toBe(true);
    expect(byWord.get('量化')?.general).toBeUndefined();
  });
});

describe('one question word per word, not per search piece', () => {
  it('joins 多长, 长时间 and 时间 into 多长时间, found where 时间 is', () => {
    const piece = (word: string) => ({ word, terms: [{ term: word, weight: 1 }], namesConcept: false });
    const grouped = groupSearchPieces([piece('微调'), piece('多长'), piece('长时间'), piece('时间'), piece('多长时间')]);
    expect(grouped.map((word) => word.word)).toEqual(['微调', '多长时间']);
    expect(grouped[1]!.terms.map((term) => term.term).sort()).toEqual(['多长', '多长时间', '时间', '长时间'].sort());
  });
});

describe('coverage of questions phrased in the cooking analogy’s own words', () => {
  let fixture: Awaited<ReturnType<typeof createTestRuntime>>;
  beforeAll(async () => {
    fixture = await createTestRuntime();
  });
  afterAll(() => fixture.dispose());

  it('covers a question about the analogy’s own content, in its words only', async () => {
    expect((await fixture.runtime.passageSearch.search('炖牛肉的秘方是什么？')).covered).toBe(true);
  });

  it.each([
    ['In the cooking story, what plays the part of the seasoning?'],
    ['In the cooking metaphor, what does adding chili stand for?'],
    ['In the comparison with cooking, what do the seasonings stand for?'],
    ['烹饪的故事里，调料代表什么？'],
    ['用做菜打个比方，加辣椒代表什么？'],
  ])('reads an everyday word for the analogy in %s as asking for it, and answers from the analogy', async (question) => {
    expect(detectQuestionIntent(question)).toBe('analogy');
    expect((await fixture.runtime.passageSearch.search(question)).covered).toBe(true);
    const answer = await fixture.runtime.offlineAnswerer.answer({ question, history: [] });
    expect(answer.grounded).toBe(true);
    expect(answer.citations.some((citation) => citation.text.includes('调料'))).toBe(true);
  });

  it('reads 故事 and "story" as naming the analogy without the figure’s own words, but not 比方说 or "history"', () => {
    expect(detectQuestionIntent('在那个故事里，微调是什么？')).toBe('analogy');
    expect(detectQuestionIntent('In the story, what is tuning?')).toBe('analogy');
    expect(detectQuestionIntent('比方说，微调和调教有什么区别？')).toBe('difference');
    expect(detectQuestionIntent('What is the history of fine-tuning?')).toBe('definition');
  });

  it('still covers a question that asks about the analogy in the same words', async () => {
    expect((await fixture.runtime.passageSearch.search('In the cooking analogy, what do the chili and sugar stand for?')).covered).toBe(
      true,
    );
  });
});

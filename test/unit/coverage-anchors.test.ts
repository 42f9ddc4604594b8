import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestRuntime } from '../support/test-runtime.js';

/**
 * A question is covered only when one of its words names what the article speaks of: matching the article's words of
 * general language (包括, "go well") or a general word's bridge (培训 → 训练) does not make it the article's topic. A
 * count asked of examples counts data, it asks for no example.
 */
describe('coverage anchored in the article’s own words', () => {
  let fixture: Awaited<ReturnType<typeof createTestRuntime>>;
  beforeAll(async () => {
    fixture = await createTestRuntime();
  });
  afterAll(() => fixture.dispose());

  it.each([
    ['新员工入职培训一般包括哪些内容？'],
    ['What spices go well in a beef stew besides chili?'],
    ['How many examples do I need in my dataset to fine-tune?'],
  ])('says %s is not covered', async (question) => {
    expect((await fixture.runtime.passageSearch.search(question)).covered).toBe(false);
  });

  it.each([
    // The article's two terms named in its own words, an aspect asked of its two approaches, the analogy asked about.
    ['文章里这两个词到底有什么区别？'],
    ['What kind of hardware do both approaches need?'],
    ['Why does the chef add chili to the beef stew?'],
    ['Can you give me two examples of fine-tuning tasks?'],
  ])('still covers %s', async (question) => {
    expect((await fixture.runtime.passageSearch.search(question)).covered).toBe(true);
  });
});

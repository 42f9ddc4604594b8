import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestRuntime } from '../support/test-runtime.js';

/**
 * The hot-path caches that keep answers cheap under load (search results, follow-up answerability verdicts) must never
 * change what is answered, and must never serve results of an index that has been replaced.
 */
describe('search and suggestion caches', () => {
  let context: Awaited<ReturnType<typeof createTestRuntime>>;
  beforeAll(async () => {
    context = await createTestRuntime();
  });
  afterAll(() => context.dispose());

  it('serves a repeated search from the cache, with the same result as the first time', async () => {
    const { passageSearch } = context.runtime;
    const first = await passageSearch.searchWithEvidence('微调和调教有什么区别？', { k: 4 });
    const again = await passageSearch.searchWithEvidence('微调和调教有什么区别？', { k: 4 });
    expect(again).toBe(first);
    // Another k is another search.
    const fewer = await passageSearch.searchWithEvidence('微调和调教有什么区别？', { k: 2 });
    expect(fewer).not.toBe(first);
    expect(fewer.ranked.map((passage) => passage.chunk.chunkId)).toEqual(first.ranked.slice(0, 2).map((passage) => passage.chunk.chunkId));
  });

  it('starts afresh when a rebuilt index is swapped in: no result refers to the old index', async () => {
    const { runtime } = context;
    const before = await runtime.passageSearch.search('过拟合是什么？', { k: 3 });
    const suggestionsBefore = await runtime.followUpSuggester.suggest({
      language: 'zh',
      history: [],
      citedChunkIds: [],
      question: '过拟合是什么？',
    });
    const oldIndex = runtime.currentIndex();
    await runtime.ensureIndex({ force: true });
    const newIndex = runtime.currentIndex();
    expect(newIndex).not.toBe(oldIndex);
    const after = await runtime.passageSearch.search('过拟合是什么？', { k: 3 });
    expect(after).not.toBe(before);
    for (const passage of after.passages) expect(newIndex.chunks).toContain(passage.chunk);
    // Same corpus, so the same answer, from the new index's own passages.
    expect(after.passages.map((passage) => passage.chunk.chunkId)).toEqual(before.passages.map((passage) => passage.chunk.chunkId));
    const suggestionsAfter = await runtime.followUpSuggester.suggest({
      language: 'zh',
      history: [],
      citedChunkIds: [],
      question: '过拟合是什么？',
    });
    expect(suggestionsAfter).toEqual(suggestionsBefore);
  });

  it('answers the same with a warm cache as with a cold one', async () => {
    const questions = ['微调是什么？', 'What is tuning?', '烹饪的例子说明了什么？', 'What is the capital of France?'];
    const cold = [];
    for (const question of questions) cold.push(await context.runtime.offlineAnswerer.answer({ question }));
    const warm = [];
    for (const question of questions) warm.push(await context.runtime.offlineAnswerer.answer({ question }));
    expect(warm).toEqual(cold);
  });
});

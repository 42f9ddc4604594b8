import { cp, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTemporaryDirectory, createTestRuntime, shippedCorpusDir } from '../support/test-runtime.js';

describe('hybrid retrieval over the shipped corpus', () => {
  let fixture: Awaited<ReturnType<typeof createTestRuntime>>;
  beforeAll(async () => {
    fixture = await createTestRuntime();
  });
  afterAll(() => fixture.dispose());

  it('finds the passage for a Chinese question first', async () => {
    const result = await fixture.runtime.passageSearch.search('强化学习中的奖励机制和调教有什么关系？');
    expect(result.covered).toBe(true);
    expect(result.passages[0]!.chunk.text).toContain('奖励机制');
  });

  it('carries an English question to the Chinese text through the glossary', async () => {
    const result = await fixture.runtime.passageSearch.search('What is the secret recipe for beef stew in the cooking analogy?');
    expect(result.covered).toBe(true);
    expect(result.passages.slice(0, 2).some((passage) => passage.chunk.text.includes('炖牛肉的秘方'))).toBe(true);
  });

  it('reports evidence from both the vector and the lexical index', async () => {
    const result = await fixture.runtime.passageSearch.search('模型应用时会更新权重吗');
    const top = result.passages[0]!;
    expect(top.chunk.text).toContain('模型不更新权重');
    expect(top.vectorSimilarity).toBeGreaterThan(0);
    expect(top.lexicalScore).toBeGreaterThan(0);
  });

  it.each([['明天上海会下雨吗？'], ['What is the capital of France?'], ['How do I pick the LoRA rank?'], ['hello']])(
    'says "not covered" for %s and returns no passages',
    async (question) => {
      const result = await fixture.runtime.passageSearch.search(question);
      expect(result.covered).toBe(false);
      expect(result.passages).toEqual([]);
    },
  );

  it('never returns the same passage text twice', async () => {
    const result = await fixture.runtime.passageSearch.search('微调和调教的区别', { k: 8 });
    const texts = result.passages.map((passage) => passage.chunk.text);
    expect(new Set(texts).size).toBe(texts.length);
  });
});

describe('hybrid retrieval with overlapping and duplicated passages', () => {
  it('does not return overlapping chunks of one document, nor a passage duplicated in another file', async () => {
    const corpus = await createTemporaryDirectory('tutor-corpus-');
    await cp(shippedCorpusDir, corpus.dir, { recursive: true });
    const article = path.join(corpus.dir, 'finetune-vs-tuning.md');
    await cp(article, path.join(corpus.dir, 'mirror', 'finetune-vs-tuning-copy.md'), { recursive: true }).catch(async () => {
      const { mkdir, readFile } = await import('node:fs/promises');
      await mkdir(path.join(corpus.dir, 'mirror'), { recursive: true });
      await writeFile(path.join(corpus.dir, 'mirror', 'finetune-vs-tuning-copy.md'), await readFile(article));
    });
    const fixture = await createTestRuntime({
      corpusDir: corpus.dir,
      env: { CHUNK_OVERLAP_SENTENCES: '1', CHUNK_MAX_CHARS: '120', CHUNK_MIN_CHARS: '40' },
    });
    try {
      const chunks = fixture.runtime.currentIndex().chunks;
      expect(
        chunks.some(
          (chunk, index) => index > 0 && chunk.documentId === chunks[index - 1]!.documentId && chunk.start < chunks[index - 1]!.end,
        ),
      ).toBe(true);
      const result = await fixture.runtime.passageSearch.search('炖牛肉的秘方和客人的口味', { k: 6 });
      for (const [index, left] of result.passages.entries()) {
        for (const right of result.passages.slice(index + 1)) {
          expect(right.chunk.text).not.toBe(left.chunk.text);
          if (left.chunk.documentId === right.chunk.documentId) {
            const shared = Math.min(left.chunk.end, right.chunk.end) - Math.max(left.chunk.start, right.chunk.start);
            expect(shared).toBeLessThanOrEqual(0.5 * Math.min(left.chunk.text.length, right.chunk.text.length));
          }
        }
      }
    } finally {
      await fixture.dispose();
      await corpus.remove();
    }
  });
});

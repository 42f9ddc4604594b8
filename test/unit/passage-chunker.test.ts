import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadCorpus, parseCorpusFile } from '../../src/ingest/corpus-loader.js';
import { chunkDocument, defaultChunkerSettings } from '../../src/ingest/passage-chunker.js';
import { splitSentences } from '../../src/ingest/sentence-splitter.js';
import { shippedCorpusDir } from '../support/test-runtime.js';

describe('sentence splitter', () => {
  it('ends Chinese sentences at 。！？； and keeps closing quotes with them', () => {
    const text = '微调是什么？他说：“很简单。”然后呢；好的！';
    const sentences = splitSentences(text).map((span) => text.slice(span.start, span.end));
    expect(sentences).toEqual(['微调是什么？', '他说：“很简单。”', '然后呢；', '好的！']);
  });

  it('keeps the number of a numbered list item with its item, so list items align with their renderings', () => {
    const text = '1. **基础模型强大**:两者都依赖于预训练模型。\n2. **复用价值**:利用已学习到的知识。\nStep 3. Done.';
    const sentences = splitSentences(text).map((span) => text.slice(span.start, span.end));
    expect(sentences).toEqual(['1. **基础模型强大**:两者都依赖于预训练模型。', '2. **复用价值**:利用已学习到的知识。', 'Step 3.', 'Done.']);
  });

  it('ends English sentences at a period followed by a space but not inside numbers', () => {
    const text = 'Version 3.5 is out. It is faster! Is it? Yes';
    const sentences = splitSentences(text).map((span) => text.slice(span.start, span.end));
    expect(sentences).toEqual(['Version 3.5 is out.', 'It is faster!', 'Is it?', 'Yes']);
  });
});

describe('passage chunker on the shipped corpus', async () => {
  const corpus = await loadCorpus(shippedCorpusDir);

  it('records offsets that point at exactly the passage text in the document', () => {
    for (const document of corpus.documents) {
      for (const chunk of chunkDocument(document)) {
        expect(document.content.slice(chunk.start, chunk.end)).toBe(chunk.text);
      }
    }
  });

  it('covers every sentence of every document exactly once, within the size bound', () => {
    for (const document of corpus.documents) {
      const chunks = chunkDocument(document);
      const covered = chunks.map((chunk) => chunk.text).join('\n');
      for (const line of document.content.split('\n')) {
        const body = line
          .replace(/^#{1,6}\s+.*$/, '')
          .replace(/^\s*(?:[-*]|\d+\.)\s+/, '')
          .trim();
        if (body !== '') expect(covered).toContain(body);
      }
      for (let index = 1; index < chunks.length; index += 1) expect(chunks[index]!.start).toBeGreaterThanOrEqual(chunks[index - 1]!.end);
      for (const chunk of chunks) {
        if (splitSentences(chunk.text).length > 1) expect(chunk.text.length).toBeLessThanOrEqual(defaultChunkerSettings.maxChars);
      }
    }
  });

  it('keeps the heading path of each passage and never crosses a heading', () => {
    const article = corpus.documents.find((document) => document.documentId === 'finetune-vs-tuning')!;
    const chunks = chunkDocument(article);
    const beef = chunks.find((chunk) => chunk.text.includes('炖牛肉的秘方'))!;
    expect(beef.headingPath).toEqual(['用烹饪的例子来理解微调和调教', '微调']);
    for (const chunk of chunks) expect(chunk.text).not.toMatch(/^#{1,6}\s/m);
  });

  it('gives the same ids when the same text is chunked again, and a new id only to a changed passage', async () => {
    const file = path.join(shippedCorpusDir, 'finetune-vs-tuning.md');
    const original = await readFile(file);
    const first = chunkDocument(parseCorpusFile('finetune-vs-tuning.md', original));
    const second = chunkDocument(parseCorpusFile('finetune-vs-tuning.md', original));
    expect(second.map((chunk) => chunk.chunkId)).toEqual(first.map((chunk) => chunk.chunkId));
    expect(new Set(first.map((chunk) => chunk.chunkId)).size).toBe(first.length);

    const edited = Buffer.from(original.toString('utf8').replace('想象你是一名厨师', '想象你是一位厨师'));
    const third = chunkDocument(parseCorpusFile('finetune-vs-tuning.md', edited));
    const changed = third.filter((chunk) => !first.some((old) => old.chunkId === chunk.chunkId));
    expect(changed).toHaveLength(1);
    expect(changed[0]!.text).toContain('一位厨师');
  });

  it('splits an English document at sentence ends too', () => {
    const text = `# Notes\n\n${Array.from({ length: 12 }, (_, index) => `Sentence number ${index} talks about tuning models.`).join(' ')}`;
    const document = parseCorpusFile('notes.md', Buffer.from(text));
    const chunks = chunkDocument(document, { maxChars: 120, minChars: 40, overlapSentences: 0 });
    expect(chunks.length).toBeGreaterThan(3);
    for (const chunk of chunks) {
      expect(chunk.text).toMatch(/^Sentence number \d+/);
      expect(chunk.text).toMatch(/models\.$/);
      expect(chunk.headingPath).toEqual(['Notes']);
    }
  });
});

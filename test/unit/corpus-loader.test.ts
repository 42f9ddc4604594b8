import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { isTutorError } from '../../src/errors/tutor-error.js';
import { loadCorpus } from '../../src/ingest/corpus-loader.js';
import { createTemporaryDirectory, shippedCorpusDir } from '../support/test-runtime.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()!();
});

async function corpusFolder(files: Record<string, string | Buffer>): Promise<string> {
  const temporary = await createTemporaryDirectory('tutor-corpus-');
  cleanups.push(temporary.remove);
  for (const [name, content] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(temporary.dir, name)), { recursive: true });
    await writeFile(path.join(temporary.dir, name), content);
  }
  return temporary.dir;
}

describe('corpus loader', () => {
  it('loads the shipped corpus as two Chinese documents with front matter and no page furniture', async () => {
    const corpus = await loadCorpus(shippedCorpusDir);
    expect(corpus.warnings).toEqual([]);
    expect(corpus.documents.map((document) => document.title)).toEqual(['理解大模型的微调和调教的区别', '模型应用与大模型微调的区别']);
    for (const document of corpus.documents) {
      expect(document.language).toBe('zh');
      expect(document.source).not.toBe('');
      for (const furniture of ['点赞', '收藏', '评论', '红包', '余额', '充值', '摘要由CSDN'])
        expect(document.content).not.toContain(furniture);
    }
    expect(corpus.documents[0]!.content).toContain('用烹饪的例子来理解微调和调教');
  });

  it('reads .md, .txt and .html recursively, strips tags and skips other files', async () => {
    const dir = await corpusFolder({
      'a.md': '---\ntitle: A\nlanguage: en\nsource: test\n---\n# Heading\n\nText about tuning.',
      'nested/deeper/b.txt': 'Plain text about fine-tuning.',
      'c.html':
        '<html><head><title>C page</title><script>alert(1)</script></head><body><h2>Part</h2><p>Tom &amp; Jerry tune <b>models</b>.</p></body></html>',
      'ignored.json': '{"x":1}',
    });
    const corpus = await loadCorpus(dir);
    expect(corpus.documents.map((document) => document.relativePath)).toEqual(['a.md', 'c.html', 'nested/deeper/b.txt']);
    const html = corpus.documents.find((document) => document.relativePath === 'c.html')!;
    expect(html.title).toBe('C page');
    expect(html.content).toContain('## Part');
    expect(html.content).toContain('Tom & Jerry tune models.');
    expect(html.content).not.toContain('alert');
    expect(html.content).not.toContain('<');
  });

  it('warns about a file it cannot parse, naming it, and loads the rest', async () => {
    const dir = await corpusFolder({
      'good.md': 'Good text.',
      'broken.md': '---\ntitle: never closed\n\nBody',
      'binary.txt': Buffer.from([0xff, 0xfe, 0xfd, 0x00, 0xc3]),
    });
    const corpus = await loadCorpus(dir);
    expect(corpus.documents.map((document) => document.relativePath)).toEqual(['good.md']);
    expect(corpus.warnings.map((warning) => warning.file).sort()).toEqual(['binary.txt', 'broken.md']);
    expect(corpus.warnings.find((warning) => warning.file === 'broken.md')!.message).toMatch(/front matter/);
    expect(corpus.warnings.find((warning) => warning.file === 'binary.txt')!.message).toMatch(/UTF-8/);
  });

  it('fails with a clear CORPUS_EMPTY error when there is nothing to ingest', async () => {
    const dir = await corpusFolder({ 'notes.json': '{}' });
    const failure = await loadCorpus(dir).catch((error: unknown) => error);
    expect(isTutorError(failure, 'CORPUS_EMPTY')).toBe(true);
    expect((failure as Error).message).toContain(dir);
  });

  it('changes the corpus hash when any file changes', async () => {
    const dir = await corpusFolder({ 'a.md': 'One.' });
    const before = await loadCorpus(dir);
    await writeFile(path.join(dir, 'a.md'), 'Two.');
    const after = await loadCorpus(dir);
    expect(after.corpusHash).not.toBe(before.corpusHash);
  });
});

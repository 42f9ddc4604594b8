import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { attachTranslations } from '../../src/ingest/chunk-translations.js';
import type { ChunkRecord } from '../../src/ingest/chunk-types.js';
import { type LoadedCorpus, loadCorpus } from '../../src/ingest/corpus-loader.js';
import { readMarkdownBlocks } from '../../src/ingest/markdown-blocks.js';
import { chunkDocument } from '../../src/ingest/passage-chunker.js';
import { splitSentences } from '../../src/ingest/sentence-splitter.js';
import { reportTranslations } from '../../src/ingest/translation-report.js';
import { citationFromChunk } from '../../src/tutor/citation-builder.js';
import { createTemporaryDirectory, createTestRuntime, shippedCorpusDir } from '../support/test-runtime.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()!();
});

async function corpusFolder(files: Record<string, string>): Promise<string> {
  const temporary = await createTemporaryDirectory('tutor-bilingual-');
  cleanups.push(temporary.remove);
  for (const [name, content] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(temporary.dir, name)), { recursive: true });
    await writeFile(path.join(temporary.dir, name), content);
  }
  return temporary.dir;
}

const ORIGINAL_BODY = ['## 定义', '', '微调假设模型已经具有通用的知识。调教的范围更广。', '', '- 应用:模型不更新权重', ''].join('\n');
const original = (body = ORIGINAL_BODY): string => `---\ntitle: 测试\nlanguage: zh\nsource: 测试来源\n---\n\n${body}`;

/** A rendering of `body` (the original's), each block under its id, from the given English texts in block order. */
function rendering(body: string, texts: readonly string[], translationOf = 'article'): string {
  const blocks = readMarkdownBlocks(`\n${body}`);
  const rendered = blocks.map((block, index) => `<!-- align: ${block.id} -->\n${block.marker}${texts[index]}`);
  return `---\ntitle: Test\nlanguage: en\ntranslation-of: ${translationOf}\ntranslator: test\nsource: test source\n---\n\n${rendered.join('\n\n')}\n`;
}

const ENGLISH = [
  'Definition',
  'Fine-tuning assumes that the model already has general knowledge. Tuning is broader.',
  'Application: no weight updates',
];

function chunksOf(corpus: LoadedCorpus): ChunkRecord[] {
  return corpus.documents.flatMap((document) =>
    attachTranslations(document, chunkDocument(document), corpus.translations?.get(document.documentId)),
  );
}

describe('bilingual corpus: renderings aligned through stable block ids', () => {
  it('attaches a rendering to its original, sentence by sentence, and never loads it as a document', async () => {
    const dir = await corpusFolder({ 'article.md': original(), 'article.en.md': rendering(ORIGINAL_BODY, ENGLISH) });
    const corpus = await loadCorpus(dir);
    expect(corpus.documents.map((document) => document.documentId)).toEqual(['article']);
    expect(corpus.warnings).toEqual([]);
    expect(corpus.translationWarnings).toEqual([]);
    const [chunk] = chunksOf(corpus);
    expect(chunk!.text).toBe('微调假设模型已经具有通用的知识。调教的范围更广。\n\n- 应用:模型不更新权重');
    expect(chunk!.translation).toEqual({
      language: 'en',
      // The rendering's own title, for a learner reading in English.
      title: 'Test',
      text: 'Fine-tuning assumes that the model already has general knowledge. Tuning is broader.\nApplication: no weight updates',
      sentences: [
        'Fine-tuning assumes that the model already has general knowledge.',
        'Tuning is broader.',
        'Application: no weight updates',
      ],
      headingPath: ['Definition'],
    });
    const citation = citationFromChunk(chunk!, 1);
    expect(citation.translation?.sentences).toHaveLength(3);
    expect(citation.translation?.title).toBe('Test');
    expect(citation.start).toBe(chunk!.start);
    expect(citation.text).toBe(chunk!.text);
  });

  it('keeps block ids when another block is inserted, and changes only the id of an edited block', () => {
    const before = readMarkdownBlocks(ORIGINAL_BODY);
    const inserted = readMarkdownBlocks(`新的第一段。\n\n${ORIGINAL_BODY.replace('## 定义', '## 定义\n\n插入的段落。')}`);
    for (const block of before) expect(inserted.find((other) => other.id === block.id)?.text).toBe(block.text);
    const edited = readMarkdownBlocks(ORIGINAL_BODY.replace('调教的范围更广。', '调教的范围更宽。'));
    expect(edited.map((block) => block.id === before[edited.indexOf(block)]!.id)).toEqual([true, false, true]);
  });

  it('warns of a stale alignment naming the edited block, and does not use its old rendering', async () => {
    const editedBody = ORIGINAL_BODY.replace('调教的范围更广。', '调教的范围更宽。');
    const dir = await corpusFolder({ 'article.md': original(editedBody), 'article.en.md': rendering(ORIGINAL_BODY, ENGLISH) });
    const corpus = await loadCorpus(dir);
    const editedBlock = readMarkdownBlocks(`\n${editedBody}`)[1]!;
    expect(corpus.translationWarnings).toHaveLength(1);
    const [warning] = corpus.translationWarnings!;
    expect(warning).toMatchObject({ file: 'article.en.md', documentId: 'article', blockId: editedBlock.id, problem: 'stale' });
    expect(warning!.message).toContain(`article block ${editedBlock.id} (paragraph "微调假设模型已经具有通用的知识。`);
    expect(warning!.message).toMatch(/stale alignment/);
    const [chunk] = chunksOf(corpus);
    expect(chunk!.translation?.text).toBe('Application: no weight updates');
    expect(chunk!.translation?.sentences).toBeUndefined();
  });

  it('falls back to the whole block when sentence counts differ, and names unknown ids and missing blocks', async () => {
    const body = `未翻译的段落。\n\n${ORIGINAL_BODY}`;
    const text = rendering(ORIGINAL_BODY, [
      'Definition',
      'Fine-tuning assumes general knowledge, and tuning is broader.',
      'Application',
    ]).concat('\n<!-- align: 0badc0de -->\nA paragraph the original never had.\n');
    const corpus = await loadCorpus(await corpusFolder({ 'article.md': original(body), 'article.en.md': text }));
    const problems = corpus.translationWarnings!.map((warning) => [warning.problem, warning.blockId]);
    const blocks = readMarkdownBlocks(`\n${body}`);
    expect(problems).toEqual([
      ['unknown-id', '0badc0de'],
      ['sentence-count', blocks[2]!.id],
      ['missing', blocks[0]!.id],
    ]);
    expect(corpus.translationWarnings![1]!.message).toMatch(/2 sentence\(s\) in the original, 1 in the rendering.*aligned as a whole/);
    const [untranslated, chunk] = chunksOf(corpus);
    expect(untranslated!.translation).toBeUndefined();
    expect(chunk!.translation?.text).toContain('Fine-tuning assumes general knowledge, and tuning is broader.');
    expect(chunk!.translation?.sentences).toBeUndefined();
  });

  it('warns, naming the file, of a rendering whose translation-of names no document, and loads the rest', async () => {
    const dir = await corpusFolder({ 'article.md': original(), 'other.en.md': rendering(ORIGINAL_BODY, ENGLISH, 'no-such-document') });
    const corpus = await loadCorpus(dir);
    expect(corpus.documents.map((document) => document.documentId)).toEqual(['article']);
    expect(corpus.translationWarnings).toEqual([expect.objectContaining({ file: 'other.en.md', problem: 'no-original' })]);
    expect(corpus.translationWarnings![0]!.message).toContain('"no-such-document"');
    expect(chunksOf(corpus)[0]!.translation).toBeUndefined();
    expect(reportTranslations(corpus, chunksOf(corpus)).lines).toContain(
      `  warning other.en.md: ${corpus.translationWarnings![0]!.message}`,
    );
  });
});

describe('the shipped corpus and its English renderings', () => {
  let corpus: LoadedCorpus;
  beforeAll(async () => {
    corpus = await loadCorpus(shippedCorpusDir);
  });

  it('aligns every block of both documents with no warning, and keeps the originals chunk ids and offsets', () => {
    expect(corpus.documents.map((document) => document.documentId)).toEqual(['finetune-vs-tuning', 'model-application-vs-finetuning']);
    expect(corpus.translationWarnings).toEqual([]);
    for (const document of corpus.documents) {
      const translation = corpus.translations?.get(document.documentId);
      expect(translation?.blocks.size).toBe(readMarkdownBlocks(document.content).length);
      expect(translation?.language).toBe('en');
      const plain = chunkDocument(document);
      const translated = attachTranslations(document, plain, translation);
      expect(translated.map(({ translation: _translation, ...rest }) => rest)).toEqual(plain);
    }
  });

  it('gives every chunk an English rendering, one sentence per sentence of the chunk', () => {
    const chunks = chunksOf(corpus);
    expect(chunks.length).toBeGreaterThan(10);
    for (const chunk of chunks) {
      expect(chunk.translation?.language, chunk.chunkId).toBe('en');
      expect(chunk.translation?.sentences?.length, chunk.text).toBe(
        splitSentences(chunk.text).filter((span) => !isListMarker(chunk.text, span)).length,
      );
      // English throughout; Chinese only where a term is given with its rendering, e.g. "fine-tuning (微调)".
      const chinese = chunk.translation?.text.match(/[\u3400-\u9fff]/g)?.length ?? 0;
      expect(chinese, chunk.translation?.text).toBeLessThan(0.05 * (chunk.translation?.text.length ?? 0));
    }
    const report = reportTranslations(corpus, chunks);
    expect(report.warningCount).toBe(0);
    expect(report.lines[0]).toMatch(
      /^ {2}finetune-vs-tuning: en rendering finetune-vs-tuning\.en\.md, .*: 7\/7 passages \(7 sentence by sentence\)/,
    );
  });

  it('shows the reader a source, and keeps the seed file out of it', async () => {
    for (const document of corpus.documents) {
      expect(document.source).toMatch(/CSDN/);
      expect(document.source).not.toMatch(/seeds\//);
      expect(await readFile(path.join(shippedCorpusDir, document.relativePath), 'utf8')).toMatch(/^provenance: .*seeds\/000_/m);
    }
  });
});

/** A "- " or "2. " between list items inside a chunk's text is split off as a sentence of its own by the splitter. */
function isListMarker(text: string, span: { start: number; end: number }): boolean {
  return /^(?:[-*+•]|\d+[.)])$/.test(text.slice(span.start, span.end));
}

describe('an English question on the real index', () => {
  let fixture: Awaited<ReturnType<typeof createTestRuntime>>;
  beforeAll(async () => {
    fixture = await createTestRuntime();
  });
  afterAll(() => fixture.dispose());

  it('retrieves the passage whose rendering says it, citing the original with its rendering', async () => {
    // Not covered before the renderings: "assume" and "already" are in no Chinese passage and not in the glossary.
    const result = await fixture.runtime.passageSearch.search('What does fine-tuning assume the model already has?', { k: 3 });
    expect(result.covered).toBe(true);
    const best = result.passages.find((passage) => passage.chunk.text.includes('微调假设模型已经具有通用的知识'))!.chunk;
    expect(best).toBeDefined();
    expect(best.translation?.sentences).toContain(
      'Fine-tuning assumes that the model already has general knowledge but needs to be adjusted to suit a specific application scenario.',
    );
    const answer = await fixture.runtime.offlineAnswerer.answer({
      question: 'What does fine-tuning assume the model already has?',
      history: [],
    });
    expect(answer.grounded).toBe(true);
    const cited = answer.citations.find((citation) => citation.chunkId === best.chunkId);
    expect(cited?.translation?.text).toContain('already has general knowledge');
    const document = fixture.runtime.currentIndex().documents.find((entry) => entry.documentId === best.documentId)!;
    expect(document.content.slice(cited!.start, cited!.end)).toBe(cited!.text);
  });
});

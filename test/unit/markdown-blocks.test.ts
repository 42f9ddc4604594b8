import { describe, expect, it } from 'vitest';
import type { CorpusDocument } from '../../src/ingest/chunk-types.js';
import { parseMarkdownBlocks, readMarkdownBlocks } from '../../src/ingest/markdown-blocks.js';
import { chunkDocument } from '../../src/ingest/passage-chunker.js';

const BODY = [
  '# Title',
  '',
  'First paragraph line.',
  'Second line of it.',
  '',
  '- bullet one',
  '  continued here',
  '* bullet two',
  '',
  '3. third step',
  '4) fourth step',
  '5、 fifth step',
  '',
  '> quoted words.',
  '> more quoted.',
  '',
  '```ts',
  'const x = 1;',
  '```',
  '',
  '---',
  '',
  '## Closing ##',
  '',
  'Last words.',
].join('\n');

const textOf = (content: string, ranges: readonly { start: number; end: number }[]): string[] =>
  ranges.map((range) => content.slice(range.start, range.end));

describe('parseMarkdownBlocks (the one block reader)', () => {
  const blocks = parseMarkdownBlocks(BODY);

  it('reads headings, paragraphs, bulleted and numbered items, quotes, fenced code and rules in order', () => {
    expect(blocks.map((block) => block.kind)).toEqual([
      'heading',
      'paragraph',
      'list-item',
      'list-item',
      'list-item',
      'list-item',
      'list-item',
      'quote',
      'code',
      'rule',
      'heading',
      'paragraph',
    ]);
    expect(blocks.map((block) => block.level)).toEqual([1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2, 0]);
  });

  it('gives the lines a page shows, without markers, and the sentences a chunker takes', () => {
    const [title, paragraph, bullet, , third, fourth, fifth, quote, code, rule, closing] = blocks;
    expect(textOf(BODY, title!.lines)).toEqual(['Title']);
    expect(textOf(BODY, closing!.lines)).toEqual(['Closing']);
    expect(textOf(BODY, paragraph!.lines)).toEqual(['First paragraph line.', 'Second line of it.']);
    expect(textOf(BODY, bullet!.lines)).toEqual(['bullet one', 'continued here']);
    expect(bullet).toMatchObject({ marker: '- ', ordered: false });
    expect([third, fourth, fifth].map((item) => [item!.ordered, item!.number, item!.marker])).toEqual([
      [true, 3, '3. '],
      [true, 4, '4) '],
      [true, 5, '5、 '],
    ]);
    expect(textOf(BODY, quote!.lines)).toEqual(['quoted words.', 'more quoted.']);
    expect(textOf(BODY, quote!.sentences)).toEqual(['quoted words.', 'more quoted.']);
    expect(textOf(BODY, code!.lines)).toEqual(['const x = 1;']);
    expect(rule!.lines).toEqual([]);
    expect(title!.sentences).toEqual([]);
  });

  it('runs an unclosed code fence to the end, and reads no heading or list inside a fence', () => {
    const content = 'Intro.\n\n~~~\n# not a heading\n- not an item';
    const parsed = parseMarkdownBlocks(content);
    expect(parsed.map((block) => block.kind)).toEqual(['paragraph', 'code']);
    expect(textOf(content, parsed[1]!.lines)).toEqual(['# not a heading', '- not an item']);
  });
});

describe('readMarkdownBlocks (text blocks with stable ids)', () => {
  it('leaves out rules, and gives every text block the ids of the headings above it', () => {
    const blocks = readMarkdownBlocks(BODY);
    expect(blocks.some((block) => block.kind === 'rule')).toBe(false);
    const title = blocks[0]!;
    const closing = blocks.find((block) => block.text === 'Closing')!;
    expect(closing.headingIds).toEqual([title.id]);
    expect(blocks.find((block) => block.kind === 'quote')).toMatchObject({ text: 'quoted words.\n> more quoted.', headingIds: [title.id] });
    expect(blocks.at(-1)).toMatchObject({ text: 'Last words.', headingIds: [title.id, closing.id] });
  });
});

describe('the chunker over every kind of block', () => {
  it('cuts passages from the block text only: no heading, quote, fence or rule marker starts a passage', () => {
    const document: CorpusDocument = {
      documentId: 'kinds',
      relativePath: 'kinds.md',
      title: 'Kinds',
      language: 'en',
      source: '',
      content: BODY,
    };
    const chunks = chunkDocument(document, { maxChars: 30, minChars: 1, overlapSentences: 0 });
    for (const chunk of chunks) {
      expect(chunk.text).toBe(BODY.slice(chunk.start, chunk.end));
      expect(chunk.text).not.toMatch(/^(?:#|>|```|---)/);
    }
    expect(chunks.map((chunk) => chunk.text)).toContain('const x = 1;');
    expect(chunks.find((chunk) => chunk.text.startsWith('quoted words.'))?.headingPath).toEqual(['Title']);
    expect(chunks.at(-1)).toMatchObject({ text: 'Last words.', headingPath: ['Title', 'Closing'] });
  });
});

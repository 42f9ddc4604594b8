import { createHash } from 'node:crypto';
import { type SentenceSpan, splitSentences } from './sentence-splitter.js';

/** The Markdown blocks an alignment works on: a heading line, a paragraph, or one list item. */
export type MarkdownBlockKind = 'heading' | 'paragraph' | 'list-item';

/**
 * One block of a document body, read by the same rules as the passage chunker (src/ingest/passage-chunker.ts): heading
 * lines (`#`...), list items (`- `, `1. `...), and paragraphs separated by blank lines.
 */
export interface MarkdownBlock {
  /**
   * Stable id: a short hash of the block's text, so inserting or moving another block never changes it, and editing the
   * block changes exactly its own id. A text that occurs more than once gets `-2`, `-3`... in order of appearance.
   */
  readonly id: string;
  readonly kind: MarkdownBlockKind;
  /** What the line starts with as written: `## `, `- `, `1. `, or '' for a paragraph. */
  readonly marker: string;
  /** Heading text (without `#`, `**` and a trailing colon, as the chunker's heading path has it) or the block's text. */
  readonly text: string;
  /** Range of `text` in the document content (for a heading, of the heading line after its `#`s). */
  readonly start: number;
  readonly end: number;
  /** Sentences of a paragraph or list item (offsets in the content), exactly the chunker's; empty for a heading. */
  readonly sentences: readonly SentenceSpan[];
  /** Ids of the headings above the block, outermost first. */
  readonly headingIds: readonly string[];
}

const HEADING = /^(#{1,6})\s+(.*?)\s*#*\s*$/;
const LIST_MARKER = /^(\s*)(?:[-*+•]|\d+[.)])\s+/;

/** The short hash of a block's text (whitespace runs count as one space) that its id is made from. */
export function blockTextHash(text: string): string {
  return createHash('sha256').update(text.replace(/\s+/g, ' ').trim()).digest('hex').slice(0, 8);
}

/** Reads the blocks of a document's content, in order. Paragraphs and list items without any letter or digit are left out. */
export function readMarkdownBlocks(content: string): MarkdownBlock[] {
  const blocks: MarkdownBlock[] = [];
  const seen = new Map<string, number>();
  const headingStack: { level: number; id: string }[] = [];
  let paragraphStart = -1;
  let paragraphEnd = -1;
  let paragraphMarker = '';

  const nextId = (text: string): string => {
    const hash = blockTextHash(text);
    const count = (seen.get(hash) ?? 0) + 1;
    seen.set(hash, count);
    return count === 1 ? hash : `${hash}-${count}`;
  };
  const headingIds = (): string[] => headingStack.map((entry) => entry.id);

  const flush = (): void => {
    if (paragraphStart < 0) return;
    const sentences = splitSentences(content.slice(paragraphStart, paragraphEnd), paragraphStart);
    if (sentences.length > 0) {
      const start = (sentences[0] as SentenceSpan).start;
      const end = (sentences[sentences.length - 1] as SentenceSpan).end;
      const text = content.slice(start, end);
      blocks.push({
        id: nextId(text),
        kind: paragraphMarker === '' ? 'paragraph' : 'list-item',
        marker: paragraphMarker,
        text,
        start,
        end,
        sentences,
        headingIds: headingIds(),
      });
    }
    paragraphStart = -1;
    paragraphMarker = '';
  };

  let offset = 0;
  for (const line of content.split('\n')) {
    const lineStart = offset;
    const lineEnd = offset + line.length;
    offset = lineEnd + 1;
    const heading = HEADING.exec(line);
    if (heading) {
      flush();
      const level = (heading[1] as string).length;
      const raw = heading[2] as string;
      const text = cleanHeading(raw);
      const start = lineStart + line.indexOf(raw, level);
      while (headingStack.length > 0 && (headingStack[headingStack.length - 1] as { level: number }).level >= level) headingStack.pop();
      const id = nextId(text);
      blocks.push({
        id,
        kind: 'heading',
        marker: `${'#'.repeat(level)} `,
        text,
        start,
        end: start + raw.length,
        sentences: [],
        headingIds: headingIds(),
      });
      headingStack.push({ level, id });
      continue;
    }
    if (line.trim() === '') {
      flush();
      continue;
    }
    const listMarker = LIST_MARKER.exec(line);
    if (listMarker) {
      flush();
      paragraphStart = lineStart + listMarker[0].length;
      paragraphEnd = lineEnd;
      paragraphMarker = listMarker[0].trimStart();
      continue;
    }
    if (paragraphStart < 0) paragraphStart = lineStart;
    paragraphEnd = lineEnd;
  }
  flush();
  return blocks;
}

/** Heading text as the chunker's heading path has it: `**` markers and a trailing colon dropped. */
export function cleanHeading(text: string): string {
  return text
    .replace(/\*\*/g, '')
    .replace(/[:：]\s*$/, '')
    .trim();
}

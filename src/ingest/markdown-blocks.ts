import { createHash } from 'node:crypto';
import { type SentenceSpan, splitSentences } from './sentence-splitter.js';

/**
 * The one reader of Markdown block structure in the project: the passage chunker, the rendering alignment (block ids)
 * and the demo page all read a document body through `parseMarkdownBlocks`, so what is chunked, aligned and shown is
 * the same structure. It reads lines, not CommonMark: ATX headings, paragraphs (separated by blank lines), list items
 * (`- `, `* `, `+ `, `• `, `· `, `1. `, `1) `, `1、 `, with their continuation lines), block quotes (`> `), fenced code
 * (three backticks or tildes, to the closing fence or the end) and horizontal rules (`---`, `***`, `___`).
 */

/** A half-open character range of the document content. */
export interface TextRange {
  readonly start: number;
  readonly end: number;
}

export type MarkdownBlockKind = 'heading' | 'paragraph' | 'list-item' | 'quote' | 'code' | 'rule';

/** One block of a document body as written, with the ranges a renderer shows and the sentences a chunker takes. */
export interface MarkdownSyntaxBlock {
  readonly kind: MarkdownBlockKind;
  /**
   * What the block's text starts after, as written: `## `, `- `, `1. `, `> `, or '' (paragraph, code, rule). A rendering
   * template writes it before the block's text.
   */
  readonly marker: string;
  /** Heading level, 1 to 6; 0 for every other kind. */
  readonly level: number;
  /** A list item numbered (`1.`) rather than bulleted, and its number (1 for a bullet). */
  readonly ordered: boolean;
  readonly number: number;
  /**
   * The block's lines as a renderer shows them: a heading's text without its `#`s; a paragraph's, list item's or
   * quote's lines without their markers and surrounding whitespace; a code block's lines as written (fences left
   * out); none for a rule.
   */
  readonly lines: readonly TextRange[];
  /** The sentences of a paragraph, list item, quote or code block (offsets in the content); none for a heading or rule. */
  readonly sentences: readonly SentenceSpan[];
}

/** A block that carries text: a heading, or any other block with at least one sentence (a letter or a digit). */
export interface MarkdownBlock extends MarkdownSyntaxBlock {
  /**
   * Stable id: a short hash of the block's text, so inserting or moving another block never changes it, and editing the
   * block changes exactly its own id. A text that occurs more than once gets `-2`, `-3`... in order of appearance.
   */
  readonly id: string;
  /** Heading text (without `#`, `**` and a trailing colon, as a passage's heading path has it) or the block's text. */
  readonly text: string;
  /** Range of `text` in the document content (for a heading, of the heading text after its `#`s). */
  readonly start: number;
  readonly end: number;
  /** Ids of the headings above the block, outermost first. */
  readonly headingIds: readonly string[];
}

/** An ATX heading line: `#`s, whitespace, the text, optional closing `#`s. */
export const HEADING_LINE = /^(#{1,6})\s+(.*?)\s*#*\s*$/;
/** A list item's marker with its indentation and the whitespace after it; group 1 is the number of a numbered item. */
export const LIST_ITEM_MARKER = /^\s*(?:[-*+•·]|(\d{1,9})[.)、])\s+/;
const RULE_LINE = /^[ \t]*(?:-{3,}|\*{3,}|_{3,})[ \t]*$/;
const FENCE_LINE = /^[ \t]*(```|~~~)/;
/** A block quote's marker with its indentation. */
export const QUOTE_MARKER = /^[ \t]*>[ \t]?/;

/** The short hash of a block's text (whitespace runs count as one space) that its id is made from. */
export function blockTextHash(text: string): string {
  return createHash('sha256').update(text.replace(/\s+/g, ' ').trim()).digest('hex').slice(0, 8);
}

/** Heading text as a passage's heading path has it: `**` markers and a trailing colon dropped. */
export function cleanHeading(text: string): string {
  return text
    .replace(/\*\*/g, '')
    .replace(/[:：]\s*$/, '')
    .trim();
}

interface Line extends TextRange {
  readonly text: string;
}

function splitLines(content: string): Line[] {
  const lines: Line[] = [];
  let offset = 0;
  for (const text of content.split('\n')) {
    lines.push({ start: offset, end: offset + text.length, text });
    offset += text.length + 1;
  }
  return lines;
}

/** A line's range after `skip` characters, without surrounding whitespace. */
function trimmed(line: Line, skip: number): TextRange {
  let start = skip;
  let end = line.text.length;
  while (start < end && /\s/.test(line.text.charAt(start))) start += 1;
  while (end > start && /\s/.test(line.text.charAt(end - 1))) end -= 1;
  return { start: line.start + start, end: line.start + end };
}

/** Every block of a document body, in order (blank lines end paragraphs, list items and quotes and are not blocks). */
export function parseMarkdownBlocks(content: string): MarkdownSyntaxBlock[] {
  const blocks: MarkdownSyntaxBlock[] = [];
  const lines = splitLines(content);
  let open: { kind: 'paragraph' | 'list-item' | 'quote'; marker: string; number: number | undefined; lines: TextRange[] } | undefined;

  const block = (kind: MarkdownBlockKind, fields: Partial<MarkdownSyntaxBlock> & { lines: readonly TextRange[] }): MarkdownSyntaxBlock => {
    const sentences =
      kind === 'heading' || kind === 'rule'
        ? []
        : fields.lines.flatMap((range) => splitSentences(content.slice(range.start, range.end), range.start));
    return { kind, marker: '', level: 0, ordered: false, number: 1, sentences, ...fields };
  };
  const close = (): void => {
    if (open === undefined) return;
    const ordered = open.number !== undefined;
    blocks.push(block(open.kind, { marker: open.marker, ordered, number: open.number ?? 1, lines: open.lines }));
    open = undefined;
  };

  for (let index = 0; index < lines.length; index += 1) {
    const line = lines[index] as Line;
    const fence = FENCE_LINE.exec(line.text);
    if (fence !== null) {
      close();
      const fenceMarker = fence[1] as string;
      let closing = index + 1;
      while (closing < lines.length && !(lines[closing] as Line).text.trimStart().startsWith(fenceMarker)) closing += 1;
      blocks.push(block('code', { lines: lines.slice(index + 1, closing).map(({ start, end }) => ({ start, end })) }));
      index = closing;
      continue;
    }
    if (line.text.trim() === '') {
      close();
      continue;
    }
    const heading = HEADING_LINE.exec(line.text);
    if (heading !== null) {
      close();
      const level = (heading[1] as string).length;
      const text = heading[2] as string;
      const start = line.start + line.text.indexOf(text, level);
      blocks.push(block('heading', { marker: `${'#'.repeat(level)} `, level, lines: [{ start, end: start + text.length }] }));
      continue;
    }
    if (RULE_LINE.test(line.text)) {
      close();
      blocks.push(block('rule', { lines: [] }));
      continue;
    }
    const item = LIST_ITEM_MARKER.exec(line.text);
    if (item !== null) {
      close();
      const number = item[1] === undefined ? undefined : Number.parseInt(item[1], 10);
      open = { kind: 'list-item', marker: item[0].trimStart(), number, lines: [trimmed(line, item[0].length)] };
      continue;
    }
    const quote = QUOTE_MARKER.exec(line.text);
    if (quote !== null && open?.kind !== 'quote') {
      close();
      open = { kind: 'quote', marker: '> ', number: undefined, lines: [] };
    } else if (quote === null && open?.kind === 'quote') {
      close();
    }
    open ??= { kind: 'paragraph', marker: '', number: undefined, lines: [] };
    open.lines.push(trimmed(line, quote?.[0].length ?? 0));
  }
  close();
  return blocks;
}

/**
 * The blocks that carry text, with stable ids and the headings above them: what passages are cut from and what a
 * rendering aligns to. Paragraphs, list items, quotes and code without any letter or digit are left out, and so are rules.
 */
export function readMarkdownBlocks(content: string): MarkdownBlock[] {
  const blocks: MarkdownBlock[] = [];
  const seen = new Map<string, number>();
  const headingStack: { level: number; id: string }[] = [];
  const nextId = (text: string): string => {
    const hash = blockTextHash(text);
    const count = (seen.get(hash) ?? 0) + 1;
    seen.set(hash, count);
    return count === 1 ? hash : `${hash}-${count}`;
  };

  for (const block of parseMarkdownBlocks(content)) {
    if (block.kind === 'heading') {
      const range = block.lines[0] as TextRange;
      const text = cleanHeading(content.slice(range.start, range.end));
      while (headingStack.length > 0 && (headingStack[headingStack.length - 1] as { level: number }).level >= block.level) {
        headingStack.pop();
      }
      const id = nextId(text);
      blocks.push({ ...block, id, text, start: range.start, end: range.end, headingIds: headingStack.map((entry) => entry.id) });
      headingStack.push({ level: block.level, id });
      continue;
    }
    const first = block.sentences[0];
    const last = block.sentences[block.sentences.length - 1];
    if (first === undefined || last === undefined) continue;
    const text = content.slice(first.start, last.end);
    blocks.push({ ...block, id: nextId(text), text, start: first.start, end: last.end, headingIds: headingStack.map((entry) => entry.id) });
  }
  return blocks;
}

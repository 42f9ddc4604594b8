import type { CorpusDocument } from './chunk-types.js';
import { type MarkdownBlock, readMarkdownBlocks } from './markdown-blocks.js';

/** What one block of a rendering says, and any note for the reviewer (written as a comment line above it). */
export interface RenderedBlockText {
  readonly text: string;
  readonly reviewNote?: string;
}

export interface RenderingTemplateOptions {
  /** Rendered text by block id; a block without one keeps the original's text, for the maintainer to replace. */
  readonly renderedBlocks?: ReadonlyMap<string, RenderedBlockText>;
  /** @default 'en' */
  readonly language?: string;
  readonly title?: string;
  /** @default 'unreviewed draft' */
  readonly translator?: string;
}

/**
 * A rendering of `document` in the corpus format (see corpus/README.md): front matter naming the original
 * (`translation-of`), then every block of the original under its align marker, with the block's Markdown marker
 * (`## `, `- `, `1. `) kept. Used by `npm run translate -- --template` (original text to replace) and by the drafter.
 */
export function renderingMarkdown(document: CorpusDocument, options: RenderingTemplateOptions = {}): string {
  const frontMatter = [
    '---',
    `title: ${options.title ?? document.title}`,
    `language: ${options.language ?? 'en'}`,
    `translation-of: ${document.documentId}`,
    `translator: ${options.translator ?? 'unreviewed draft'}`,
    `source: ${document.source}`,
    '---',
  ];
  const blocks = readMarkdownBlocks(document.content).map((block) => renderBlock(block, options.renderedBlocks?.get(block.id)));
  return `${frontMatter.join('\n')}\n\n${blocks.join('\n\n')}\n`;
}

function renderBlock(block: MarkdownBlock, rendered: RenderedBlockText | undefined): string {
  const lines: string[] = [];
  if (rendered?.reviewNote !== undefined) lines.push(`<!-- review: ${rendered.reviewNote.replace(/--/g, '—')} -->`);
  lines.push(`<!-- align: ${block.id} -->`);
  // A line break is a sentence end (src/ingest/sentence-splitter.ts): lines stay lines, so sentence counts keep.
  const text = (rendered?.text ?? block.text).trim();
  lines.push(`${block.marker}${text}`);
  return lines.join('\n');
}

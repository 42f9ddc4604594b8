import type { CorpusDocument, Language } from './chunk-types.js';
import { type MarkdownBlock, readMarkdownBlocks } from './markdown-blocks.js';
import type { RenderedBlock } from './rendering-parser.js';
import { splitSentences } from './sentence-splitter.js';

/** The rendering of one original block. */
export interface BlockRendering {
  readonly text: string;
  /** One rendered sentence per sentence of the original block, when the counts match; absent otherwise. */
  readonly sentences?: readonly string[];
}

/** A rendering (e.g. `corpus/<name>.en.md`) aligned to its original, block by block. */
export interface DocumentTranslation {
  readonly documentId: string;
  /** The rendering's path relative to the corpus root. */
  readonly file: string;
  readonly language: Language;
  readonly title: string;
  readonly translator: string;
  /** Renderings of the original's blocks that are aligned and current, by block id. */
  readonly blocks: ReadonlyMap<string, BlockRendering>;
  /** How many blocks the original has (headings included). */
  readonly originalBlockCount: number;
}

/** What can be wrong with an alignment; each warning names one block. */
export type AlignmentProblem = 'missing' | 'stale' | 'unknown-id' | 'duplicate-id' | 'sentence-count' | 'unreadable';

/** A problem with a rendering, naming the rendering file and, where it concerns one, the document and block. */
export interface TranslationWarning {
  readonly file: string;
  readonly documentId?: string;
  readonly blockId?: string;
  readonly problem: AlignmentProblem | 'no-original' | 'second-rendering';
  readonly message: string;
}

export interface RenderingToAlign {
  readonly file: string;
  readonly language: Language;
  readonly title: string;
  readonly translator: string;
  readonly blocks: readonly RenderedBlock[];
}

/**
 * Aligns a rendering to its original through block ids. A rendered block whose id is the id of an original block renders
 * it; within it, sentences align one to one when the counts match, else the block aligns as a whole. A rendered block
 * with an id the original no longer has, lying where an unrendered original block now is (between the same aligned
 * neighbours), is stale: that original block was edited after it was rendered, and the old rendering is not used (it
 * may say what the original no longer says). Every other problem is a warning naming the block.
 */
export function alignRendering(
  original: CorpusDocument,
  rendering: RenderingToAlign,
): { translation: DocumentTranslation; warnings: TranslationWarning[] } {
  const originalBlocks = readMarkdownBlocks(original.content);
  const positionById = new Map(originalBlocks.map((block, position) => [block.id, position]));
  const warnings: TranslationWarning[] = [];
  const warn = (problem: AlignmentProblem, block: MarkdownBlock | undefined, blockId: string, message: string): void => {
    const naming = block === undefined ? `block ${blockId}` : `block ${blockId} ${describeBlock(block)}`;
    warnings.push({
      file: rendering.file,
      documentId: original.documentId,
      blockId,
      problem,
      message: `${original.documentId} ${naming}: ${message}`,
    });
  };

  // Which original block each rendered block renders (position), or undefined when its id is unknown.
  const renderedPositions: (number | undefined)[] = [];
  const claimed = new Set<number>();
  for (const rendered of rendering.blocks) {
    const position = positionById.get(rendered.id);
    if (position !== undefined && claimed.has(position)) {
      warn('duplicate-id', originalBlocks[position], rendered.id, `rendered again on line ${rendered.line}; the first rendering is used`);
      renderedPositions.push(-1);
      continue;
    }
    if (position !== undefined) claimed.add(position);
    renderedPositions.push(position);
  }

  const stale = new Set<number>();
  rendering.blocks.forEach((rendered, index) => {
    if (renderedPositions[index] !== undefined) return;
    const before = lastKnown(renderedPositions.slice(0, index).reverse());
    const after = lastKnown(renderedPositions.slice(index + 1));
    const heading = rendered.kind === 'heading';
    const replaced = originalBlocks.findIndex(
      (block, position) =>
        position > (before ?? -1) &&
        position < (after ?? originalBlocks.length) &&
        !claimed.has(position) &&
        !stale.has(position) &&
        (block.kind === 'heading') === heading,
    );
    if (replaced >= 0) {
      stale.add(replaced);
      const block = originalBlocks[replaced] as MarkdownBlock;
      warn(
        'stale',
        block,
        block.id,
        `stale alignment: the block changed after it was rendered (the rendering on line ${rendered.line} still names ${rendered.id}); ` +
          'its old rendering is not used until it is rendered again',
      );
    } else {
      warnings.push({
        file: rendering.file,
        documentId: original.documentId,
        blockId: rendered.id,
        problem: 'unknown-id',
        message: `${original.documentId} has no block ${rendered.id} (align marker on line ${rendered.line}); that rendering is ignored`,
      });
    }
  });

  const blocks = new Map<string, BlockRendering>();
  rendering.blocks.forEach((rendered, index) => {
    const position = renderedPositions[index];
    if (position === undefined || position < 0) return;
    const block = originalBlocks[position] as MarkdownBlock;
    if (block.kind === 'heading') {
      blocks.set(block.id, { text: rendered.text.replace(/\s+/g, ' ') });
      return;
    }
    const sentences = splitSentences(rendered.text).map((span) => rendered.text.slice(span.start, span.end));
    if (sentences.length === block.sentences.length) {
      blocks.set(block.id, { text: sentences.join(' '), sentences });
      return;
    }
    warn(
      'sentence-count',
      block,
      block.id,
      `broken sentence alignment: ${block.sentences.length} sentence(s) in the original, ${sentences.length} in the rendering; ` +
        'fallback: the block is aligned as a whole (no sentence-level rendering)',
    );
    blocks.set(block.id, { text: sentences.join(' ') || rendered.text });
  });

  originalBlocks.forEach((block, position) => {
    if (claimed.has(position) || stale.has(position)) return;
    warn('missing', block, block.id, `missing alignment: no rendering in ${rendering.file}`);
  });

  return {
    translation: {
      documentId: original.documentId,
      file: rendering.file,
      language: rendering.language,
      title: rendering.title,
      translator: rendering.translator,
      blocks,
      originalBlockCount: originalBlocks.length,
    },
    warnings,
  };
}

function lastKnown(positions: readonly (number | undefined)[]): number | undefined {
  return positions.find((position): position is number => position !== undefined && position >= 0);
}

/** A block as a maintainer finds it: its kind and the start of its text. */
export function describeBlock(block: MarkdownBlock): string {
  const excerpt = block.text.length > 24 ? `${block.text.slice(0, 24)}…` : block.text;
  return `(${block.kind} "${excerpt}")`;
}

import type { ChunkRecord, CorpusDocument } from './chunk-types.js';
import { type MarkdownBlock, readMarkdownBlocks } from './markdown-blocks.js';
import type { DocumentTranslation } from './rendering-alignment.js';

/**
 * Gives each chunk of `document` the part of its rendering aligned with the chunk's range: the rendered sentences of
 * the chunk's sentences where blocks align sentence by sentence (then `sentences` is one to one with the chunk's), the
 * whole rendering of a block that aligns only as a whole (also when the chunk holds only part of that block), nothing
 * for a block without a current rendering. A chunk none of whose blocks is rendered stays as it was. Ids, offsets and
 * text of the chunks never change.
 */
export function attachTranslations(
  document: CorpusDocument,
  chunks: readonly ChunkRecord[],
  translation: DocumentTranslation | undefined,
): ChunkRecord[] {
  if (translation === undefined || translation.blocks.size === 0) return [...chunks];
  const blocks = readMarkdownBlocks(document.content);
  const textBlocks = blocks.filter((block) => block.kind !== 'heading');
  const headingById = new Map(blocks.filter((block) => block.kind === 'heading').map((block) => [block.id, block]));

  return chunks.map((chunk) => {
    const pieces: string[] = [];
    const sentences: string[] = [];
    let everySentence = true;
    let chunkSentences = 0;
    let innermost: MarkdownBlock | undefined;
    for (const block of textBlocks) {
      const inChunk = block.sentences.flatMap((span, index) => (span.start >= chunk.start && span.end <= chunk.end ? [index] : []));
      if (inChunk.length === 0) continue;
      innermost ??= block;
      chunkSentences += inChunk.length;
      const rendering = translation.blocks.get(block.id);
      if (rendering === undefined) {
        everySentence = false;
        continue;
      }
      if (rendering.sentences === undefined) {
        everySentence = false;
        pieces.push(rendering.text);
        continue;
      }
      const rendered = inChunk.map((index) => rendering.sentences?.[index] as string);
      pieces.push(rendered.join(' '));
      sentences.push(...rendered);
    }
    if (pieces.length === 0) return chunk;
    const headingPath = innermost?.headingIds.map((id) => (headingById.has(id) ? translation.blocks.get(id)?.text : undefined));
    const renderedHeadings =
      headingPath !== undefined && headingPath.length > 0 && headingPath.every((heading) => heading !== undefined)
        ? (headingPath as string[])
        : undefined;
    return {
      ...chunk,
      translation: {
        language: translation.language,
        ...(translation.title === '' ? {} : { title: translation.title }),
        text: pieces.join('\n'),
        ...(everySentence && sentences.length === chunkSentences ? { sentences } : {}),
        ...(renderedHeadings === undefined ? {} : { headingPath: renderedHeadings }),
      },
    };
  });
}

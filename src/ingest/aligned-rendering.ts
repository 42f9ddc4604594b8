import type { ChunkRecord } from './chunk-types.js';
import { splitSentences } from './sentence-splitter.js';

const alignedByChunk = new WeakMap<ChunkRecord, readonly string[] | null>();

/**
 * The passage's English rendering cut one to one with its original sentences (as `splitSentences` cuts `chunk.text`):
 * `translation.sentences` when the corpus aligned them, else the rendering's own sentences when they are as many as
 * the original's. Null when there is no English rendering or it cannot be aligned sentence by sentence. The one reader
 * of a passage's rendering by sentence: retrieval's amount check and the answers read the same English sentences.
 */
export function alignedRendering(chunk: ChunkRecord): readonly string[] | null {
  const known = alignedByChunk.get(chunk);
  if (known !== undefined) return known;
  const translation = chunk.translation;
  const count = splitSentences(chunk.text).length;
  let aligned: readonly string[] | null = null;
  if (translation && translation.language === 'en') {
    if (translation.sentences && translation.sentences.length === count) aligned = translation.sentences;
    else {
      const own = splitSentences(translation.text).map((span) => translation.text.slice(span.start, span.end));
      if (own.length === count) aligned = own;
    }
  }
  alignedByChunk.set(chunk, aligned);
  return aligned;
}

import type { ChunkRecord } from '../../ingest/chunk-types.js';
import { splitSentences } from '../../ingest/sentence-splitter.js';
import type { EvidenceSentence } from './sentence-evidence.js';
import { passageSentenceSpans } from './sentence-evidence.js';

const alignedByChunk = new WeakMap<ChunkRecord, readonly string[] | null>();

/**
 * The passage's English rendering cut one to one with its original sentences: `translation.sentences` when the corpus
 * aligned them, else the rendering's own sentences when they are as many as the original's. Null when there is no
 * English rendering or it cannot be aligned sentence by sentence.
 */
export function alignedRendering(chunk: ChunkRecord): readonly string[] | null {
  const known = alignedByChunk.get(chunk);
  if (known !== undefined) return known;
  const translation = chunk.translation;
  const count = passageSentenceSpans(chunk).length;
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

/** The English rendering of one piece of evidence (its sentences joined), or undefined when there is none. */
export function renderedSentence(sentence: EvidenceSentence): string | undefined {
  return renderingOfSentences(sentence.chunk, sentence.indexes);
}

const renderingsByChunk = new WeakMap<ChunkRecord, Map<string, string | undefined>>();

/**
 * The English rendering of sentences of a passage (by index), joined; undefined when any of them has none. Remembered
 * per passage and indexes: every English answer scores the same sentences of its pool again.
 */
export function renderingOfSentences(chunk: ChunkRecord, indexes: readonly number[]): string | undefined {
  let known = renderingsByChunk.get(chunk);
  if (!known) renderingsByChunk.set(chunk, (known = new Map()));
  const key = indexes.join();
  if (known.has(key)) return known.get(key);
  const rendering = joinRendering(chunk, indexes);
  known.set(key, rendering);
  return rendering;
}

function joinRendering(chunk: ChunkRecord, indexes: readonly number[]): string | undefined {
  const aligned = alignedRendering(chunk);
  if (!aligned) return undefined;
  const parts = indexes.map((index) => aligned[index]?.trim() ?? '').filter((part) => part !== '');
  if (parts.length !== indexes.length) return undefined;
  return parts
    .join(' ')
    .replace(/^\s*(?:[-*•]|\d+[.)])\s+/, '')
    .replace(/\*\*/g, '')
    .replace(/\s+/g, ' ')
    .trim();
}

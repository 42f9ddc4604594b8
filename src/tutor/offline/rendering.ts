import { alignedRendering } from '../../ingest/aligned-rendering.js';
import type { ChunkRecord } from '../../ingest/chunk-types.js';
import type { EvidenceSentence } from './sentence-evidence.js';

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

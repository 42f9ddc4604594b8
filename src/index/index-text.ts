import type { ChunkRecord } from '../ingest/chunk-types.js';

/**
 * The text that is tokenised for a chunk: its headings give it context the passage may not repeat, and its aligned
 * rendering (headings too) lets a question in the rendering's language match it.
 */
export function chunkIndexText(chunk: ChunkRecord): string {
  return chunkEmbeddingTexts(chunk).join('\n');
}

/**
 * The texts embedded for a chunk: the original with its headings, then its rendering with its rendered headings when
 * it has one. The chunk's vector is the normalised sum of their unit vectors, so both languages weigh the same in it
 * whatever their lengths (one bag of both let the longer English drown the Chinese: `npm run eval` lost hit@3).
 */
export function chunkEmbeddingTexts(chunk: ChunkRecord): string[] {
  const original = chunk.headingPath.length > 0 ? `${chunk.headingPath.join(' / ')}\n${chunk.text}` : chunk.text;
  const translation = chunk.translation;
  if (translation === undefined) return [original];
  const headings = translation.headingPath === undefined ? '' : `${translation.headingPath.join(' / ')}\n`;
  return [original, `${headings}${translation.text}`];
}

/** The normalised sum of the unit vectors of `vectors` (a zero vector stays out of the sum). */
export function sumOfUnitVectors(vectors: readonly number[][]): number[] {
  const sum = new Array<number>(vectors[0]?.length ?? 0).fill(0);
  for (const vector of vectors) {
    const norm = Math.hypot(...vector);
    if (norm === 0) continue;
    for (let index = 0; index < sum.length; index += 1) sum[index] = (sum[index] as number) + (vector[index] as number) / norm;
  }
  const norm = Math.hypot(...sum);
  return norm > 0 ? sum.map((value) => value / norm) : sum;
}

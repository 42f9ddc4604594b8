import type { ChunkRecord } from '../ingest/chunk-types.js';

/** The text that is embedded and tokenised for a chunk: its headings give it context the passage may not repeat. */
export function chunkIndexText(chunk: ChunkRecord): string {
  return chunk.headingPath.length > 0 ? `${chunk.headingPath.join(' / ')}\n${chunk.text}` : chunk.text;
}

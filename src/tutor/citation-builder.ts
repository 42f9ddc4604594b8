import type { ChunkRecord } from '../ingest/chunk-types.js';
import type { CitationPayload } from '../shared/chat-protocol.js';
import type { Citation } from './tutor-types.js';

/** A citation of a chunk under `marker`, carrying the chunk's aligned rendering when it has one. */
export function citationFromChunk(chunk: ChunkRecord, marker: number): Citation {
  const citation = {
    marker,
    chunkId: chunk.chunkId,
    title: chunk.title,
    source: chunk.source,
    text: chunk.text,
    start: chunk.start,
    end: chunk.end,
  };
  const translation = chunk.translation;
  if (translation === undefined) return citation;
  return {
    ...citation,
    translation: {
      language: translation.language,
      ...(translation.title === undefined ? {} : { title: translation.title }),
      text: translation.text,
      ...(translation.sentences === undefined ? {} : { sentences: [...translation.sentences] }),
    },
  };
}

/**
 * Markers the answer text uses, in order of first appearance: `[1]`, `[2]`... (the one marker parser for checks of
 * any answer, offline or guarded; any number of digits, so a huge stray marker is found too).
 */
export function markersInText(answer: string): number[] {
  const seen: number[] = [];
  for (const match of answer.matchAll(/\[(\d+)\]/g)) {
    const marker = Number(match[1]);
    if (!seen.includes(marker)) seen.push(marker);
  }
  return seen;
}

/** A citation as the wire carries it (mutable arrays, optional fields only when present). */
export function toCitationPayload(citation: Citation): CitationPayload {
  const { spans, translation, ...rest } = citation;
  return {
    ...rest,
    ...(spans === undefined ? {} : { spans: spans.map((span) => ({ start: span.start, end: span.end })) }),
    ...(translation === undefined
      ? {}
      : {
          translation: {
            language: translation.language,
            ...(translation.title === undefined ? {} : { title: translation.title }),
            text: translation.text,
            ...(translation.sentences === undefined ? {} : { sentences: [...translation.sentences] }),
          },
        }),
  };
}

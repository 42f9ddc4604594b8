import type { ChunkRecord } from '../ingest/chunk-types.js';
import { splitSentences } from '../ingest/sentence-splitter.js';

const LIST_MARKER = /^(?:[-*+•]|\d+[.)])\s+/;

/** One sentence of an original corpus passage, as the evaluation names expected evidence. */
export interface CorpusSentence {
  /** `<chunkId>#<index of the sentence in its passage>`. */
  readonly key: string;
  readonly chunkId: string;
  readonly documentId: string;
  /** Offsets in the original document, like citation spans. */
  readonly start: number;
  readonly end: number;
  readonly text: string;
  /** The aligned rendering of this sentence, when the passage's translation has one sentence per original sentence. */
  readonly rendering?: string;
}

export interface CorpusSentences {
  /** Sentences whose original text contains the phrase verbatim (a phrase may occur in several places). */
  find(phrase: string): readonly CorpusSentence[];
  /** The sentences of one passage, in order; empty for an unknown chunk. */
  ofChunk(chunkId: string): readonly CorpusSentence[];
  getChunk(chunkId: string): ChunkRecord | undefined;
  readonly chunks: readonly ChunkRecord[];
}

/**
 * Splits every passage into sentences with the splitter the chunker uses, so sentence i of a passage is the one its
 * translation's `sentences[i]` renders (the alignment contract of ChunkRecord.translation).
 */
export function createCorpusSentences(chunks: readonly ChunkRecord[]): CorpusSentences {
  const byChunk = new Map<string, CorpusSentence[]>();
  const chunkById = new Map<string, ChunkRecord>();
  const all: CorpusSentence[] = [];
  for (const chunk of chunks) {
    chunkById.set(chunk.chunkId, chunk);
    // A list item inside a passage keeps its marker in the passage text; the sentence starts after it (as spans do).
    const spans = splitSentences(chunk.text).map((span) => {
      const marker = LIST_MARKER.exec(chunk.text.slice(span.start, span.end));
      return marker ? { start: span.start + marker[0].length, end: span.end } : span;
    });
    const renderings = chunk.translation?.sentences?.length === spans.length ? chunk.translation.sentences : undefined;
    const sentences = spans.map((span, index): CorpusSentence => {
      const rendering = renderings?.[index];
      return {
        key: `${chunk.chunkId}#${index}`,
        chunkId: chunk.chunkId,
        documentId: chunk.documentId,
        start: chunk.start + span.start,
        end: chunk.start + span.end,
        text: chunk.text.slice(span.start, span.end),
        ...(rendering === undefined || rendering.trim() === '' ? {} : { rendering }),
      };
    });
    byChunk.set(chunk.chunkId, sentences);
    all.push(...sentences);
  }
  const found = new Map<string, readonly CorpusSentence[]>();
  return {
    chunks,
    find(phrase) {
      let hits = found.get(phrase);
      if (!hits) found.set(phrase, (hits = all.filter((sentence) => sentence.text.includes(phrase))));
      return hits;
    },
    ofChunk: (chunkId) => byChunk.get(chunkId) ?? [],
    getChunk: (chunkId) => chunkById.get(chunkId),
  };
}

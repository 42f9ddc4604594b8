import type { ChunkRecord } from '../ingest/chunk-types.js';
import type { WeightedTerm } from './analyzed-query.js';

/** A passage found for a query, with the evidence behind its rank. */
export interface RetrievedPassage {
  readonly chunk: ChunkRecord;
  /** Fused score (reciprocal rank fusion); higher is better. Only comparable within one result. */
  readonly score: number;
  /** Cosine similarity of query and passage embeddings, when the vector index returned it. */
  readonly vectorSimilarity?: number;
  /** BM25 score over jieba tokens, when the lexical index returned it. */
  readonly lexicalScore?: number;
}

export interface RetrievalResult {
  /** The query that was searched. */
  readonly query: string;
  /** Best first, overlapping passages removed. Empty when `covered` is false. */
  readonly passages: readonly RetrievedPassage[];
  /** False when the best evidence is too weak: the corpus does not cover the query. */
  readonly covered: boolean;
  /** The evidence strength that `covered` was decided on, in [0, 1]. */
  readonly confidence: number;
  /**
   * The question's aspect words that the search reached through the words the aspect is stated in ("cost" → time,
   * resources; "hardware" → GPU; aspect-words.ts), with those words: a sentence holding one answers the word, as the
   * search ranked it, so the answer's sentences are chosen by the same reading of the question. Absent when none.
   * A sentence stating only such words speaks to the aspect and gives no yes or no of its own.
   */
  readonly bridges?: readonly QueryBridge[];
  /**
   * The corpus words that stand for a question word the corpus does not use (显卡 → GPU, 从零开始 → 从头开始), by
   * that word and each of its search pieces, with their weight (below 1: a bridge counts less than the word itself).
   * What the answer picks its sentences by, as the ranking did; absent when no word of the question was bridged.
   * Aspect words are not among them (see `bridges`): a stand-in states the word, an aspect's words only its respect.
   */
  readonly standIns?: ReadonlyMap<string, readonly WeightedTerm[]>;
}

/** A question word (as the analyzer tokenises it) and the corpus words that stand for it at a bridge's lower weight. */
export interface QueryBridge {
  readonly word: string;
  readonly terms: readonly string[];
}

export interface PassageSearchOptions {
  /** How many passages at most. @default 4 */
  readonly k?: number;
}

/** The hybrid (vector + BM25) search over the corpus that every answer path uses. */
export interface PassageSearch {
  search(query: string, options?: PassageSearchOptions): Promise<RetrievalResult>;
  /** Every chunk of the corpus, in document order. */
  allChunks(): readonly ChunkRecord[];
  /** A chunk by id, or undefined. */
  getChunk(chunkId: string): ChunkRecord | undefined;
}

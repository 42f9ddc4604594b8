import type { CorpusIndex } from '../../src/index/corpus-index-store.js';
import type { ChunkRecord } from '../../src/ingest/chunk-types.js';
import type { AnalyzedQuery } from '../../src/retrieval/analyzed-query.js';

/** Fixtures for the sentence ranking's unit tests: an index where every word is known and equally rare, so only the sentences decide. */
export const flatIndex = { lexicalIndex: { idf: () => 1, has: () => true } } as unknown as CorpusIndex;

/** A passage with no title and no headings. */
export const bareChunk = (text: string): ChunkRecord => ({ text, title: '', headingPath: [] }) as unknown as ChunkRecord;

/** A query of the given words, each its own only term at full weight. */
export const plainQuery = (...words: string[]): AnalyzedQuery =>
  ({ words: words.map((word) => ({ word, terms: [{ term: word, weight: 1 }], namesConcept: true })) }) as unknown as AnalyzedQuery;

import { wordsOf } from './binary-words.js';
import type { Bm25CompactData } from './bm25-index.js';

/** The lexical index as two files: `lexical.json` (vocabulary and BM25 constants) and `lexical.bin` (token ids, postings). */
export const LEXICAL_FILES = { meta: 'lexical.json', ids: 'lexical.bin' } as const;

/**
 * lexical.bin, little-endian uint32 words: passage count P, vocabulary size V, token ids I, postings N; then the P + 1
 * passage offsets, the I token ids, the V + 1 posting starts, the N posting positions and the N posting frequencies.
 * Loading it makes views over these words: no parsing, no rebuilding of the postings.
 */
export function encodeLexical(data: Bm25CompactData): { meta: string; ids: Buffer } {
  const postings = data.postings;
  if (!postings) throw new Error('the lexical index has no postings to save');
  const parts = [
    Uint32Array.of(data.offsets.length - 1, data.vocabulary.length, data.ids.length, postings.positions.length),
    data.offsets,
    data.ids,
    postings.start,
    postings.positions,
    postings.frequencies,
  ];
  const words = new Uint32Array(parts.reduce((sum, part) => sum + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    words.set(part, offset);
    offset += part.length;
  }
  return {
    meta: JSON.stringify({ vocabulary: data.vocabulary, k1: data.k1, b: data.b }),
    ids: Buffer.from(words.buffer, words.byteOffset, words.byteLength),
  };
}

export function decodeLexical(meta: string, content: Uint8Array): Bm25CompactData {
  const parsed = JSON.parse(meta) as { vocabulary: string[]; k1: number; b: number };
  const words = wordsOf(content, LEXICAL_FILES.ids);
  const [passages, vocabulary, ids, postings] = [words[0] ?? 0, words[1] ?? 0, words[2] ?? 0, words[3] ?? 0];
  if (vocabulary !== parsed.vocabulary.length)
    throw new Error(`${LEXICAL_FILES.ids} is for a vocabulary of ${vocabulary}, not ${parsed.vocabulary.length}`);
  if (words.length !== 4 + passages + 1 + ids + vocabulary + 1 + 2 * postings)
    throw new Error(`${LEXICAL_FILES.ids} has ${words.length} words, not what its header says`);
  let cursor = 4;
  const take = (length: number): Uint32Array => words.subarray(cursor, (cursor += length));
  const offsets = take(passages + 1);
  const tokenIds = take(ids);
  const start = take(vocabulary + 1);
  const positions = take(postings);
  const frequencies = take(postings);
  if (offsets[passages] !== ids) throw new Error(`${LEXICAL_FILES.ids} holds ${ids} token ids, its offsets end at ${offsets[passages]}`);
  if (start[vocabulary] !== postings)
    throw new Error(`${LEXICAL_FILES.ids} holds ${postings} postings, its starts end at ${start[vocabulary]}`);
  // The ids and posting positions are not scanned for range here: the file's checksum has matched, and the header
  // checks above catch a file of another layout; a scan of every word cost 150 ms of a 100,000-chunk load.
  return { vocabulary: parsed.vocabulary, offsets, ids: tokenIds, k1: parsed.k1, b: parsed.b, postings: { start, positions, frequencies } };
}

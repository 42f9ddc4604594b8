import type { Bm25CompactData } from './bm25-index.js';

/** The lexical index as two files: `lexical.json` (vocabulary and BM25 constants) and `lexical.bin` (token ids). */
export const LEXICAL_FILES = { meta: 'lexical.json', ids: 'lexical.bin' } as const;

/** lexical.bin: little-endian uint32 passage count, then passageCount + 1 offsets, then the token ids. */
export function encodeLexical(data: Bm25CompactData): { meta: string; ids: Buffer } {
  const passages = data.offsets.length - 1;
  const words = new Uint32Array(1 + data.offsets.length + data.ids.length);
  words[0] = passages;
  words.set(data.offsets, 1);
  words.set(data.ids, 1 + data.offsets.length);
  return {
    meta: JSON.stringify({ vocabulary: data.vocabulary, k1: data.k1, b: data.b }),
    ids: Buffer.from(words.buffer, words.byteOffset, words.byteLength),
  };
}

export function decodeLexical(meta: string, ids: Buffer): Bm25CompactData {
  const parsed = JSON.parse(meta) as { vocabulary: string[]; k1: number; b: number };
  if (ids.byteLength % 4 !== 0 || ids.byteLength < 8) throw new Error(`${LEXICAL_FILES.ids} has a length of ${ids.byteLength} bytes`);
  // Copy into an aligned buffer: a Buffer from readFile may start at any byte offset of a shared pool.
  const words = new Uint32Array(ids.byteLength / 4);
  new Uint8Array(words.buffer).set(ids);
  const passages = words[0] as number;
  if (words.length < passages + 2) throw new Error(`${LEXICAL_FILES.ids} is shorter than its ${passages} passages`);
  const offsets = words.subarray(1, passages + 2);
  const tokenIds = words.subarray(passages + 2);
  if (offsets[passages] !== tokenIds.length)
    throw new Error(`${LEXICAL_FILES.ids} holds ${tokenIds.length} token ids, expected ${offsets[passages]}`);
  for (const id of tokenIds)
    if (id >= parsed.vocabulary.length) throw new Error(`${LEXICAL_FILES.ids} names a token outside the vocabulary`);
  return { vocabulary: parsed.vocabulary, offsets, ids: tokenIds, k1: parsed.k1, b: parsed.b };
}

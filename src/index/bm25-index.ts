/**
 * Okapi BM25 over pre-tokenised passages (jieba tokens). Kept as plain data so it can be saved next to the vector
 * index and loaded without re-tokenising the corpus: a vocabulary, every passage's tokens as ids into it, and the
 * postings derived from them (typed arrays in CSR form), which are saved too, so a load derives nothing.
 */
export interface Bm25Data {
  /** Tokens of each passage, in the same order as the passages of the index. */
  readonly passageTokens: readonly (readonly string[])[];
  /** @default 1.2 */
  readonly k1?: number;
  /** @default 0.75 */
  readonly b?: number;
}

/**
 * The saved form: distinct tokens, and each passage's tokens as ids (passage p is ids[offsets[p]..offsets[p+1])), and,
 * once an index has been made from it, the postings derived from them (so a load need not derive them again).
 */
export interface Bm25CompactData {
  readonly vocabulary: readonly string[];
  readonly offsets: Uint32Array;
  readonly ids: Uint32Array;
  readonly k1: number;
  readonly b: number;
  readonly postings?: Bm25Postings;
}

/** Postings in CSR form: for token t, `positions[start[t]..start[t+1])` ascending, with the token's frequency there. */
export interface Bm25Postings {
  readonly start: Uint32Array;
  readonly positions: Uint32Array;
  readonly frequencies: Uint32Array;
}

export interface Bm25Hit {
  readonly position: number;
  readonly score: number;
}

export interface Bm25Index {
  /** Best first; passages with no query token are left out. */
  search(queryTokens: readonly string[], limit: number): Bm25Hit[];
  /** Inverse document frequency of a token; tokens the corpus never uses get the highest value. */
  idf(token: string): number;
  /** Whether any passage uses the token. */
  has(token: string): boolean;
  /** The tokens of the passage at `position`. */
  tokensAt(position: number): readonly string[] | undefined;
  readonly size: number;
  toCompact(): Bm25CompactData;
}

/** Token ids of every passage against a vocabulary in first-seen order. */
export function compactBm25Data(data: Bm25Data): Bm25CompactData {
  const idOf = new Map<string, number>();
  const vocabulary: string[] = [];
  const offsets = new Uint32Array(data.passageTokens.length + 1);
  let total = 0;
  for (const tokens of data.passageTokens) total += tokens.length;
  const ids = new Uint32Array(total);
  let cursor = 0;
  data.passageTokens.forEach((tokens, position) => {
    offsets[position] = cursor;
    for (const token of tokens) {
      let id = idOf.get(token);
      if (id === undefined) {
        id = vocabulary.length;
        idOf.set(token, id);
        vocabulary.push(token);
      }
      ids[cursor] = id;
      cursor += 1;
    }
  });
  offsets[data.passageTokens.length] = cursor;
  return { vocabulary, offsets, ids, k1: data.k1 ?? 1.2, b: data.b ?? 0.75 };
}

export function createBm25Index(data: Bm25Data): Bm25Index {
  return createBm25IndexFromCompact(compactBm25Data(data));
}

export function createBm25IndexFromCompact(data: Bm25CompactData): Bm25Index {
  const { vocabulary, offsets, ids, k1, b } = data;
  const size = offsets.length - 1;
  const idOf = new Map<string, number>();
  vocabulary.forEach((token, id) => {
    idOf.set(token, id);
  });
  const averageLength = size === 0 ? 0 : ids.length / size;

  const postings = data.postings ?? derivePostings(vocabulary.length, offsets, ids);
  const { start, positions: postingPositions, frequencies: postingFrequencies } = postings;
  if (
    start.length !== vocabulary.length + 1 ||
    postingPositions.length !== start[vocabulary.length] ||
    postingFrequencies.length !== postingPositions.length
  ) {
    throw new Error(`BM25 postings of ${start.length - 1} tokens for a vocabulary of ${vocabulary.length}`);
  }
  const maxIdf = Math.log(1 + (size + 0.5) / 0.5);

  function idfOfId(id: number | undefined): number {
    const frequency = id === undefined ? 0 : (start[id + 1] as number) - (start[id] as number);
    if (frequency === 0) return maxIdf;
    return Math.log(1 + (size - frequency + 0.5) / (frequency + 0.5));
  }

  function search(queryTokens: readonly string[], limit: number): Bm25Hit[] {
    const scores = new Map<number, number>();
    for (const token of new Set(queryTokens)) {
      const id = idOf.get(token);
      if (id === undefined) continue;
      const weight = idfOfId(id);
      for (let slot = start[id] as number; slot < (start[id + 1] as number); slot += 1) {
        const position = postingPositions[slot] as number;
        const frequency = postingFrequencies[slot] as number;
        const length = (offsets[position + 1] as number) - (offsets[position] as number);
        const normalizer = frequency + k1 * (1 - b + (b * length) / (averageLength || 1));
        scores.set(position, (scores.get(position) ?? 0) + (weight * frequency * (k1 + 1)) / normalizer);
      }
    }
    return [...scores.entries()]
      .map(([position, score]) => ({ position, score }))
      .sort((left, right) => right.score - left.score || left.position - right.position)
      .slice(0, limit);
  }

  return {
    search,
    idf: (token) => idfOfId(idOf.get(token)),
    has: (token) => idOf.has(token),
    tokensAt(position) {
      if (!Number.isInteger(position) || position < 0 || position >= size) return undefined;
      return Array.from(ids.subarray(offsets[position], offsets[position + 1]), (id) => vocabulary[id] as string);
    },
    size,
    toCompact: () => (data.postings ? data : { ...data, postings }),
  };
}

/** The postings of passages given as token ids: two passes, typed arrays only. */
function derivePostings(vocabularySize: number, offsets: Uint32Array, ids: Uint32Array): Bm25Postings {
  const size = offsets.length - 1;
  const documentFrequency = new Uint32Array(vocabularySize);
  const lastSeen = new Int32Array(vocabularySize).fill(-1);
  for (let position = 0; position < size; position += 1) {
    for (let cursor = offsets[position] as number; cursor < (offsets[position + 1] as number); cursor += 1) {
      const id = ids[cursor] as number;
      if (lastSeen[id] !== position) {
        lastSeen[id] = position;
        documentFrequency[id] = (documentFrequency[id] as number) + 1;
      }
    }
  }
  const start = new Uint32Array(vocabularySize + 1);
  for (let id = 0; id < vocabularySize; id += 1) start[id + 1] = (start[id] as number) + (documentFrequency[id] as number);
  const positions = new Uint32Array(start[vocabularySize] as number);
  const frequencies = new Uint32Array(positions.length);
  const fill = start.slice(0, vocabularySize);
  const slotOf = new Int32Array(vocabularySize);
  lastSeen.fill(-1);
  for (let position = 0; position < size; position += 1) {
    for (let cursor = offsets[position] as number; cursor < (offsets[position + 1] as number); cursor += 1) {
      const id = ids[cursor] as number;
      if (lastSeen[id] !== position) {
        lastSeen[id] = position;
        slotOf[id] = fill[id] as number;
        fill[id] = (fill[id] as number) + 1;
        positions[slotOf[id] as number] = position;
      }
      frequencies[slotOf[id] as number] = (frequencies[slotOf[id] as number] as number) + 1;
    }
  }
  return { start, positions, frequencies };
}

/**
 * Okapi BM25 over pre-tokenised passages (jieba tokens). Kept as plain data so it can be saved next to the vector
 * index and loaded without re-tokenising the corpus.
 */
export interface Bm25Data {
  /** Tokens of each passage, in the same order as the passages of the index. */
  readonly passageTokens: readonly (readonly string[])[];
  /** @default 1.2 */
  readonly k1?: number;
  /** @default 0.75 */
  readonly b?: number;
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
  toJSON(): Bm25Data;
}

export function createBm25Index(data: Bm25Data): Bm25Index {
  const k1 = data.k1 ?? 1.2;
  const b = data.b ?? 0.75;
  const postings = new Map<string, { position: number; frequency: number }[]>();
  const lengths = data.passageTokens.map((tokens) => tokens.length);
  const size = lengths.length;
  const averageLength = size === 0 ? 0 : lengths.reduce((sum, value) => sum + value, 0) / size;
  data.passageTokens.forEach((tokens, position) => {
    const frequencies = new Map<string, number>();
    for (const token of tokens) frequencies.set(token, (frequencies.get(token) ?? 0) + 1);
    for (const [token, frequency] of frequencies) {
      let list = postings.get(token);
      if (!list) postings.set(token, (list = []));
      list.push({ position, frequency });
    }
  });
  const maxIdf = Math.log(1 + (size + 0.5) / 0.5);

  function idf(token: string): number {
    const documentFrequency = postings.get(token)?.length ?? 0;
    if (documentFrequency === 0) return maxIdf;
    return Math.log(1 + (size - documentFrequency + 0.5) / (documentFrequency + 0.5));
  }

  function search(queryTokens: readonly string[], limit: number): Bm25Hit[] {
    const scores = new Map<number, number>();
    for (const token of new Set(queryTokens)) {
      const list = postings.get(token);
      if (!list) continue;
      const weight = idf(token);
      for (const { position, frequency } of list) {
        const length = lengths[position] as number;
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
    idf,
    has: (token) => postings.has(token),
    tokensAt: (position) => data.passageTokens[position],
    size,
    toJSON: () => ({ passageTokens: data.passageTokens, k1, b }),
  };
}

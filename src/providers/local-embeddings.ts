import { createHash } from 'node:crypto';
import { Embeddings, type EmbeddingsParams } from '@langchain/core/embeddings';
import type { TextAnalyzer } from '../retrieval/text-analyzer.js';

export interface LocalEmbeddingsOptions extends EmbeddingsParams {
  readonly analyzer: TextAnalyzer;
  /** Vector length. @default 512 */
  readonly dimensions?: number;
  /**
   * Weight of one occurrence of each feature kind; other weights than the default change the embedder id.
   * @default { word: 1, concept: 1.5, bigram: 0.5 }
   */
  readonly featureWeights?: FeatureWeights;
}

/** Weight of one occurrence of a jieba word, a glossary concept and a Chinese character bigram. */
export interface FeatureWeights {
  readonly word: number;
  readonly concept: number;
  readonly bigram: number;
}

const DEFAULT_FEATURE_WEIGHTS: FeatureWeights = { word: 1, concept: 1.5, bigram: 0.5 };

/**
 * An offline, deterministic embedder: a signed feature-hashing vector over jieba words, glossary concepts (so
 * "fine-tuning" and 微调 land on the same feature) and Chinese character bigrams, with sublinear term frequency,
 * L2-normalised so that cosine similarity is a dot product. No model weights, no network; the same text always gives
 * the same vector, so an index built once stays valid until the analyzer, glossary or dimensions change (all of which
 * are in `embedderId`).
 */
export class LocalHashingEmbeddings extends Embeddings {
  readonly dimensions: number;
  readonly embedderId: string;
  private readonly analyzer: TextAnalyzer;
  private readonly weights: FeatureWeights;
  /** md5 bucket of each feature, one cache per feature kind so that a lookup needs no prefixed string. */
  private readonly bucketCaches: Record<FeatureKind, Map<string, number>> = { w: new Map(), c: new Map(), b: new Map() };
  private cachedBuckets = 0;

  constructor(options: LocalEmbeddingsOptions) {
    super(options);
    this.analyzer = options.analyzer;
    this.dimensions = options.dimensions ?? 512;
    this.weights = options.featureWeights ?? DEFAULT_FEATURE_WEIGHTS;
    const { word, concept, bigram } = this.weights;
    const custom =
      word === DEFAULT_FEATURE_WEIGHTS.word && concept === DEFAULT_FEATURE_WEIGHTS.concept && bigram === DEFAULT_FEATURE_WEIGHTS.bigram
        ? ''
        : `:w${word}-${concept}-${bigram}`;
    this.embedderId = `local-hash-v1:d${this.dimensions}:g${options.analyzer.glossary.fingerprint}${custom}`;
  }

  override async embedDocuments(documents: string[]): Promise<number[][]> {
    return documents.map((document) => toNumberArray(this.embedText(document)));
  }

  override async embedQuery(document: string): Promise<number[]> {
    return toNumberArray(this.embedText(document));
  }

  /** Synchronous embedding for hot paths (sentence scoring); the same vector `embedQuery` returns. */
  embedText(text: string): Float32Array {
    // Counted per kind, then added in the order words, concepts, bigrams (each in first-seen order): the same additions
    // in the same order as one map of prefixed features, so the vector is bit-for-bit what it always was.
    const words = new Map<string, number>();
    for (const token of this.analyzer.tokenizeQuery(text)) words.set(token, (words.get(token) ?? 0) + this.weights.word);
    const concepts = new Map<string, number>();
    for (const term of this.analyzer.findGlossaryTerms(text)) concepts.set(term.zh, (concepts.get(term.zh) ?? 0) + this.weights.concept);
    const bigrams = new Map<string, number>();
    for (const bigram of this.analyzer.characterBigrams(text)) bigrams.set(bigram, (bigrams.get(bigram) ?? 0) + this.weights.bigram);

    const vector = new Float32Array(this.dimensions);
    this.addFeatures(vector, 'w', words);
    this.addFeatures(vector, 'c', concepts);
    this.addFeatures(vector, 'b', bigrams);
    let norm = 0;
    for (let index = 0; index < vector.length; index += 1) norm += (vector[index] as number) * (vector[index] as number);
    norm = Math.sqrt(norm);
    if (norm > 0) for (let index = 0; index < vector.length; index += 1) vector[index] = (vector[index] as number) / norm;
    return vector;
  }

  /** Adds each feature's signed, sublinear weight to its hashed bucket. */
  private addFeatures(vector: Float32Array, kind: FeatureKind, counts: ReadonlyMap<string, number>): void {
    for (const [value, weight] of counts) {
      const hashed = this.bucket(kind, value);
      const index = (hashed >>> 1) % this.dimensions;
      const sign = (hashed & 1) === 0 ? 1 : -1;
      vector[index] = (vector[index] as number) + sign * (1 + Math.log(weight));
    }
  }

  /** First four bytes (little-endian) of md5 of `kind:value`, e.g. `w:微调`. */
  private bucket(kind: FeatureKind, value: string): number {
    const cache = this.bucketCaches[kind];
    let bucket = cache.get(value);
    if (bucket === undefined) {
      bucket = createHash('md5').update(`${kind}:${value}`).digest().readUInt32LE(0);
      if (this.cachedBuckets < 200_000) {
        cache.set(value, bucket);
        this.cachedBuckets += 1;
      }
    }
    return bucket;
  }
}

/** Feature kinds: jieba word, glossary concept, Chinese character bigram. The letter is the feature's hash prefix. */
type FeatureKind = 'w' | 'c' | 'b';

/** A plain array copy of a vector; an indexed loop, because `Array.from` on a typed array is several times slower. */
function toNumberArray(vector: Float32Array): number[] {
  const array = new Array<number>(vector.length);
  for (let index = 0; index < vector.length; index += 1) array[index] = vector[index] as number;
  return array;
}

export function cosineSimilarity(left: ArrayLike<number>, right: ArrayLike<number>): number {
  let dot = 0;
  let leftNorm = 0;
  let rightNorm = 0;
  for (let index = 0; index < left.length; index += 1) {
    const a = left[index] as number;
    const b = right[index] as number;
    dot += a * b;
    leftNorm += a * a;
    rightNorm += b * b;
  }
  return leftNorm === 0 || rightNorm === 0 ? 0 : dot / Math.sqrt(leftNorm * rightNorm);
}

import { createHash } from 'node:crypto';
import { Embeddings, type EmbeddingsParams } from '@langchain/core/embeddings';
import type { TextAnalyzer } from '../retrieval/text-analyzer.js';

export interface LocalEmbeddingsOptions extends EmbeddingsParams {
  readonly analyzer: TextAnalyzer;
  /** Vector length. @default 512 */
  readonly dimensions?: number;
}

const FEATURE_WEIGHTS = { word: 1, concept: 1.5, bigram: 0.5 } as const;

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
  private readonly bucketCache = new Map<string, number>();

  constructor(options: LocalEmbeddingsOptions) {
    super(options);
    this.analyzer = options.analyzer;
    this.dimensions = options.dimensions ?? 512;
    this.embedderId = `local-hash-v1:d${this.dimensions}:g${options.analyzer.glossary.fingerprint}`;
  }

  override async embedDocuments(documents: string[]): Promise<number[][]> {
    return documents.map((document) => Array.from(this.embedText(document)));
  }

  override async embedQuery(document: string): Promise<number[]> {
    return Array.from(this.embedText(document));
  }

  /** Synchronous embedding for hot paths (sentence scoring); the same vector `embedQuery` returns. */
  embedText(text: string): Float32Array {
    const counts = new Map<string, number>();
    const add = (feature: string, weight: number): void => {
      counts.set(feature, (counts.get(feature) ?? 0) + weight);
    };
    for (const token of this.analyzer.tokenizeQuery(text)) add(`w:${token}`, FEATURE_WEIGHTS.word);
    for (const term of this.analyzer.findGlossaryTerms(text)) add(`c:${term.zh}`, FEATURE_WEIGHTS.concept);
    for (const bigram of this.analyzer.characterBigrams(text)) add(`b:${bigram}`, FEATURE_WEIGHTS.bigram);

    const vector = new Float32Array(this.dimensions);
    for (const [feature, weight] of counts) {
      const hashed = this.bucket(feature);
      const index = hashed >>> 1;
      const sign = (hashed & 1) === 0 ? 1 : -1;
      vector[index % this.dimensions] = (vector[index % this.dimensions] as number) + sign * (1 + Math.log(weight));
    }
    let norm = 0;
    for (const value of vector) norm += value * value;
    norm = Math.sqrt(norm);
    if (norm > 0) for (let index = 0; index < vector.length; index += 1) vector[index] = (vector[index] as number) / norm;
    return vector;
  }

  private bucket(feature: string): number {
    let bucket = this.bucketCache.get(feature);
    if (bucket === undefined) {
      bucket = createHash('md5').update(feature).digest().readUInt32LE(0);
      if (this.bucketCache.size < 200_000) this.bucketCache.set(feature, bucket);
    }
    return bucket;
  }
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

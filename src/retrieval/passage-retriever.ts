import type { CallbackManagerForRetrieverRun } from '@langchain/core/callbacks/manager';
import { Document } from '@langchain/core/documents';
import { BaseRetriever, type BaseRetrieverInput } from '@langchain/core/retrievers';
import type { PassageSearch } from './retrieval-types.js';

/** Metadata of each document the retriever returns: where the passage is and the evidence behind its rank. */
export interface PassageDocumentMetadata {
  readonly chunkId: string;
  readonly documentId: string;
  readonly title: string;
  readonly headingPath: readonly string[];
  /** Character offsets of the passage in its document. */
  readonly start: number;
  readonly end: number;
  /** Fused rank score of the hybrid search (only comparable within one result). */
  readonly score: number;
  readonly vectorSimilarity?: number;
  readonly lexicalScore?: number;
}

export interface PassageRetrieverInput extends BaseRetrieverInput {
  readonly passageSearch: PassageSearch;
  /** Passages returned per query. @default 4 */
  readonly k?: number;
}

/**
 * The tutor's hybrid search (vectors + BM25, overlap removal, "not covered" verdict) as a LangChain retriever, so
 * LangChain chains and agents use it as they use any retriever (`retriever.invoke(question)`, `.pipe(...)`,
 * `RunnableSequence.from([retriever, ...])`). A query the corpus does not cover returns no documents: a chain then
 * has nothing to cite rather than unrelated text.
 */
export class PassageRetriever extends BaseRetriever<PassageDocumentMetadata> {
  static override lc_name(): string {
    return 'PassageRetriever';
  }

  lc_namespace = ['finetune-tutor', 'retrievers'];
  private readonly passageSearch: PassageSearch;
  private readonly k: number;

  constructor(input: PassageRetrieverInput) {
    super(input);
    this.passageSearch = input.passageSearch;
    this.k = input.k ?? 4;
  }

  override async _getRelevantDocuments(
    query: string,
    _callbacks?: CallbackManagerForRetrieverRun,
  ): Promise<Document<PassageDocumentMetadata>[]> {
    const result = await this.passageSearch.search(query, { k: this.k });
    return result.passages.map(
      ({ chunk, score, vectorSimilarity, lexicalScore }) =>
        new Document<PassageDocumentMetadata>({
          pageContent: chunk.text,
          id: chunk.chunkId,
          metadata: {
            chunkId: chunk.chunkId,
            documentId: chunk.documentId,
            title: chunk.title,
            headingPath: chunk.headingPath,
            start: chunk.start,
            end: chunk.end,
            score,
            ...(vectorSimilarity === undefined ? {} : { vectorSimilarity }),
            ...(lexicalScore === undefined ? {} : { lexicalScore }),
          },
        }),
    );
  }
}

/**
 * TEST HELPER ONLY. A tiny `PassageSearch` over a handful of fixture chunks, scored by term overlap
 * (Chinese character bigrams and lowercase Latin words). It stands in for the real hybrid search
 * (src/retrieval/) in answerer tests, where what matters is which passages the model was given,
 * not ranking quality.
 */
import { createHash } from 'node:crypto';
import type { ChunkRecord } from '../../src/ingest/chunk-types.js';
import type { PassageSearch, PassageSearchOptions, RetrievalResult } from '../../src/retrieval/retrieval-types.js';

/** A few paragraphs of the article the tutor teaches, as one fixture document. */
export const FIXTURE_DOCUMENT = {
  documentId: 'finetune-vs-tuning',
  title: '理解大模型的微调和调教的区别',
  source: 'https://blog.csdn.net/example/article/details/fixture',
  content: [
    '在讨论大型机器学习模型时,"微调"(Fine-tuning)和"调教"(Tuning)这两个词都有其特定的含义,但它们在不同的上下文中可能有不同的适用性。',
    '微调(Fine-tuning): 微调通常指的是在预训练模型的基础上,针对特定任务进行进一步的训练。这个过程涉及调整模型的参数,使其能够更好地执行特定的任务。',
    '调教(Tuning): 调教这个词通常更广义,它可以包括微调在内的任何模型参数调整的过程。这可以包括超参数的调整、学习率的改变等。',
    '在某些情况下,"调教"可能还指的是通过人工干预来指导模型学习的过程,比如通过强化学习中的奖励机制。',
    '用烹饪的例子来理解:微调就像是根据特定需求对一道已经做得很好的菜进行小调整,只是添加或减少一些特定的调料;调教更像是从头开始做一道菜,不断地尝试和调整各种烹饪参数。',
  ].join('\n\n'),
} as const;

/** The fixture document cut at blank lines, with offsets that satisfy `content.slice(start, end) === text`. */
export function fixtureChunks(): ChunkRecord[] {
  const chunks: ChunkRecord[] = [];
  let start = 0;
  for (const text of FIXTURE_DOCUMENT.content.split('\n\n')) {
    const offset = FIXTURE_DOCUMENT.content.indexOf(text, start);
    chunks.push({
      chunkId: createHash('sha256').update(`${FIXTURE_DOCUMENT.documentId}\n${text}`).digest('hex').slice(0, 16),
      documentId: FIXTURE_DOCUMENT.documentId,
      title: FIXTURE_DOCUMENT.title,
      source: FIXTURE_DOCUMENT.source,
      language: 'zh',
      headingPath: [],
      ordinal: chunks.length,
      start: offset,
      end: offset + text.length,
      text,
    });
    start = offset + text.length;
  }
  return chunks;
}

export interface InMemoryPassageSearch extends PassageSearch {
  /** Every query searched, in order. */
  readonly queries: readonly string[];
}

export interface InMemoryPassageSearchOptions {
  /** Share of the query's terms the best passage must contain for `covered`. @default 0.25 */
  readonly minCoverage?: number;
}

export function createInMemoryPassageSearch(
  chunks: readonly ChunkRecord[],
  options: InMemoryPassageSearchOptions = {},
): InMemoryPassageSearch {
  const minCoverage = options.minCoverage ?? 0.25;
  const queries: string[] = [];
  const indexed = chunks.map((chunk) => ({ chunk, terms: termsOf(chunk.text) }));
  return {
    get queries() {
      return queries;
    },
    async search(query: string, searchOptions: PassageSearchOptions = {}): Promise<RetrievalResult> {
      queries.push(query);
      const queryTerms = termsOf(query);
      const k = searchOptions.k ?? 4;
      const scored = indexed
        .map(({ chunk, terms }) => {
          let shared = 0;
          for (const term of queryTerms) if (terms.has(term)) shared += 1;
          return { chunk, score: queryTerms.size === 0 ? 0 : shared / queryTerms.size };
        })
        .filter((entry) => entry.score > 0)
        .sort((left, right) => right.score - left.score || left.chunk.ordinal - right.chunk.ordinal);
      const confidence = scored[0]?.score ?? 0;
      const covered = confidence >= minCoverage;
      return {
        query,
        passages: covered ? scored.slice(0, k).map(({ chunk, score }) => ({ chunk, score, lexicalScore: score })) : [],
        covered,
        confidence,
      };
    },
    allChunks: () => chunks,
    getChunk: (chunkId: string) => chunks.find((chunk) => chunk.chunkId === chunkId),
  };
}

/** Chinese character bigrams plus lowercase Latin words of two letters or more. */
function termsOf(text: string): Set<string> {
  const terms = new Set<string>();
  for (const run of text.match(/\p{Script=Han}+/gu) ?? []) {
    const characters = Array.from(run);
    if (characters.length === 1) terms.add(run);
    for (let index = 0; index + 1 < characters.length; index += 1) terms.add(`${characters[index]}${characters[index + 1]}`);
  }
  for (const word of text.toLowerCase().match(/[a-z][a-z-]+/gu) ?? []) terms.add(word);
  return terms;
}

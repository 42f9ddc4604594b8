import type { PassageSearch } from '../../src/retrieval/retrieval-types.js';
import type { TutorAnswer } from '../../src/tutor/tutor-types.js';

/** The original sentences an answer's citations name, in citation order; a citation of an unknown passage fails. */
export function citedSentences(search: Pick<PassageSearch, 'getChunk'>, answer: TutorAnswer): string[] {
  return answer.citations.flatMap((citation) => {
    const chunk = search.getChunk(citation.chunkId);
    if (!chunk) throw new Error(`unknown chunk ${citation.chunkId}`);
    return (citation.spans ?? []).map((span) => chunk.text.slice(span.start - chunk.start, span.end - chunk.start));
  });
}

import type { Bm25Index } from '../index/bm25-index.js';
import type { CorpusIndex } from '../index/corpus-index-store.js';
import type { QueryWord } from './query-understanding.js';
import type { RetrievedPassage } from './retrieval-types.js';
import { ANSWER_KIND_TERMS, type TextAnalyzer } from './text-analyzer.js';

/** Share of the highest IDF that the most common terms still weigh in the coverage measure. */
export const COMMON_TERM_WEIGHT_FLOOR = 0.45;

/**
 * How well the best passages cover a question, in [0, 1] (compared with COVERAGE_THRESHOLD, calibrated with
 * `npm run eval -- --calibrate`): the IDF-weighted share of the question's topic words found in the passages, where a
 * word found only through a CC-CEDICT bridge earns the bridge's weight (0.5), not a whole word. Words the corpus never
 * uses weigh the most, so a question about something else is not covered however many common words match; words that
 * ask for a kind of answer ("例子", "difference") say nothing about the topic and are left out.
 *
 * A question that names a concept the corpus never names (LoRA, RLHF, 7B: written like a name and absent from every
 * passage) is not covered at all, whatever else matches: answering it from loosely related sentences would pretend the
 * article discusses it.
 */
export function measureCoverage(words: readonly QueryWord[], passageTokens: ReadonlySet<string>, lexicalIndex: Bm25Index): number {
  const topical = words.filter((word) => !ANSWER_KIND_TERMS.has(word.word));
  if (topical.length === 0 || passageTokens.size === 0) return 0;
  if (topical.some((word) => word.namesConcept && !word.terms.some((term) => lexicalIndex.has(term.term)))) return 0;
  // IDF with a floor: the article's own topic words (微调 is in nearly every passage) still count as evidence.
  const floor = COMMON_TERM_WEIGHT_FLOOR * lexicalIndex.idf('\u0000unseen');
  let found = 0;
  let all = 0;
  for (const word of topical) {
    const weight = Math.max(lexicalIndex.idf(word.word), floor);
    all += weight;
    let credit = 0;
    for (const term of word.terms) if (passageTokens.has(term.term)) credit = Math.max(credit, term.weight);
    found += weight * credit;
  }
  return all === 0 ? 0 : found / all;
}

/** The indexed tokens of the given passages (tokenised again only for a passage the index does not hold). */
export function passageTokenSet(passages: readonly RetrievedPassage[], index: CorpusIndex, analyzer: TextAnalyzer): Set<string> {
  const tokens = new Set<string>();
  for (const passage of passages) {
    const position = index.chunkPositionById.get(passage.chunk.chunkId);
    const stored = position === undefined ? undefined : index.lexicalIndex.tokensAt(position);
    for (const token of stored ?? analyzer.tokenize(passage.chunk.text)) tokens.add(token);
  }
  return tokens;
}

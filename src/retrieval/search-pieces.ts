import type { QueryWord, WeightedTerm } from './analyzed-query.js';

const CJK = /[\u3400-\u9fff]/;

/**
 * One word per word of the question, not per search piece: jieba's search mode cuts 多长时间 into 多长, 长时间, 时间 and
 * 多长时间, which are one word of the question. Each Chinese word that another contains joins it, its terms becoming
 * the longer word's (so 多长时间 is found where 时间 is, and counts once, not four times, for coverage). A word
 * holding an aspect piece (硬件 of 电脑硬件) asks about that aspect (QueryWord.aspect), as the piece does.
 */
export function groupSearchPieces(words: readonly QueryWord[]): QueryWord[] {
  const chinese = words.filter((word) => CJK.test(word.word));
  const containerOf = (word: QueryWord): QueryWord | undefined =>
    CJK.test(word.word)
      ? chinese.find(
          (other) => other !== word && other.word.length > word.word.length && other.word.includes(word.word) && !containedElsewhere(other),
        )
      : undefined;
  const containedElsewhere = (word: QueryWord): boolean =>
    chinese.some((other) => other !== word && other.word.length > word.word.length && other.word.includes(word.word));
  const merged = new Map<QueryWord, WeightedTerm[]>();
  /** The first aspect piece merged into each longer word (硬件 of 电脑硬件): the word asks about that aspect. */
  const aspectPieces = new Map<QueryWord, QueryWord>();
  const kept: QueryWord[] = [];
  for (const word of words) {
    const container = containerOf(word);
    if (container === undefined) {
      kept.push(word);
      continue;
    }
    let extra = merged.get(container);
    if (!extra) merged.set(container, (extra = []));
    extra.push(...word.terms);
    if (word.aspect === true && !aspectPieces.has(container)) aspectPieces.set(container, word);
  }
  return kept.map((word) => {
    const extra = merged.get(word);
    if (extra === undefined) return word;
    const terms = new Map(word.terms.map((term) => [term.term, term.weight]));
    for (const term of extra) terms.set(term.term, Math.max(term.weight, terms.get(term.term) ?? 0));
    const piece = word.aspect === true ? undefined : aspectPieces.get(word);
    const aspect = piece === undefined ? {} : { aspect: true, aspectAs: piece.aspectAs ?? piece.word };
    return { ...word, terms: [...terms].map(([term, weight]) => ({ term, weight })), ...aspect };
  });
}

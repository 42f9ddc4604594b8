const CJK = /[\u3400-\u9fff]/;

/**
 * The query with a space on either side of each glossary term it writes: jieba's guesses glue a term's last character
 * to the word after it (我把学习率调了一下 → 学习/率调), so the term is never searched. Spaces only separate words for
 * jieba; the question itself is read as typed everywhere else. `chineseTerms` longest first (超参数 before 参数).
 */
export function createKeyTermSeparator(chineseTerms: readonly string[]): (query: string) => string {
  return (query) => {
    if (!CJK.test(query)) return query;
    const taken: [number, number][] = [];
    for (const term of chineseTerms)
      for (let at = query.indexOf(term); at >= 0; at = query.indexOf(term, at + term.length))
        if (!taken.some(([start, end]) => at < end && at + term.length > start)) taken.push([at, at + term.length]);
    if (taken.length === 0) return query;
    const bounds = new Set(taken.flat());
    let spaced = '';
    for (let at = 0; at < query.length; at += 1) spaced += (bounds.has(at) && at > 0 ? ' ' : '') + query[at];
    return spaced;
  };
}

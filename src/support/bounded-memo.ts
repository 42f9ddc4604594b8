/**
 * A pure function remembered for its latest `limit` distinct keys (the oldest key is forgotten first). For values that
 * are a function of their key only (a word's pinyin readings, a text's tokens, a topic's pattern): repeated words and
 * passages are the norm, while the bound keeps a stream of new learner input from growing memory.
 */
export function boundedMemo<K, V>(limit: number, compute: (key: K) => V): (key: K) => V {
  const remembered = new Map<K, V>();
  return (key: K): V => {
    // One lookup for a remembered value; `has` only tells a remembered undefined from a key not seen.
    const known = remembered.get(key);
    if (known !== undefined || remembered.has(key)) return known as V;
    const value = compute(key);
    if (remembered.size >= limit) remembered.delete(remembered.keys().next().value as K);
    remembered.set(key, value);
    return value;
  };
}

/**
 * The reference the compact dictionary's mention index (src/retrieval/cedict-compact.ts) is checked against; the
 * derivation read the dictionary through it before the compact form.
 *
 * A test of `text[start, end)` for a word starting with one of `prefixes` (ASCII, any case), as the regular expression
 * `\b(?:prefix|…)` with the `i` flag finds it (without the `u` flag `\w` is [A-Za-z0-9_], and only ASCII letters fold
 * case), without one: a trie walked from every word boundary. The character before `start` counts as a non-word one
 * (a string's start, or the quote that opens a raw JSON string).
 */
export function createWordStartMatcher(prefixes: Iterable<string>): (text: string, start: number, end: number) => boolean {
  const root: TrieNode = { end: false, next: new Map() };
  for (const prefix of prefixes) {
    let node = root;
    for (let at = 0; at < prefix.length; at += 1) {
      const code = lowerAscii(prefix.charCodeAt(at));
      let child = node.next.get(code);
      if (!child) node.next.set(code, (child = { end: false, next: new Map() }));
      node = child;
    }
    node.end = true;
  }
  const matchesAt = (text: string, at: number, end: number): boolean => {
    let node: TrieNode | undefined = root;
    for (let position = at; ; position += 1) {
      if (node.end) return true;
      if (position >= end) return false;
      node = node.next.get(lowerAscii(text.charCodeAt(position)));
      if (node === undefined) return false;
    }
  };
  return (text, start, end) => {
    let previousIsWord = false;
    for (let at = start; at <= end; at += 1) {
      const isWord = at < end && isWordCode(text.charCodeAt(at));
      if (isWord !== previousIsWord && matchesAt(text, at, end)) return true;
      previousIsWord = isWord;
    }
    return false;
  };
}

interface TrieNode {
  end: boolean;
  readonly next: Map<number, TrieNode>;
}

/** `\w` of a regular expression without the `u` flag. */
function isWordCode(code: number): boolean {
  return (code >= 0x61 && code <= 0x7a) || (code >= 0x41 && code <= 0x5a) || (code >= 0x30 && code <= 0x39) || code === 0x5f;
}

function lowerAscii(code: number): number {
  return code >= 0x41 && code <= 0x5a ? code + 0x20 : code;
}

/**
 * Chinese words that name a corpus word in other words of the same shape: a shortened form that keeps the corpus word's
 * first and last characters and the rest in order (炖肉 for 炖牛肉: "stewed meat" for "stewed beef"), or a four-character
 * phrase that swaps one inner character (从零开始 for 从头开始, "from zero" for "from the start"). CC-CEDICT cannot
 * bridge these when the corpus word is not in it (炖牛肉, 从头开始 are not), yet a learner writes them all the time.
 *
 * Shape alone is weak evidence, so the caller weighs the match as a dictionary bridge, and a word that fits several
 * corpus words fits none (MAX_CANDIDATES).
 */

/** More corpus words of the same shape than this and the shape says nothing. */
const MAX_CANDIDATES = 2;
const CJK_WORD = /^[\u3400-\u9fff]{2,}$/;

export type ShortenedFormFinder = (word: string) => readonly string[];

/** A finder over the corpus's Chinese words (`words`: any iterable of tokens; non-Chinese ones are ignored). */
export function createShortenedFormFinder(words: Iterable<string>): ShortenedFormFinder {
  const byEnds = new Map<string, string[]>();
  for (const word of words) {
    if (!CJK_WORD.test(word)) continue;
    const key = endsOf(word);
    const list = byEnds.get(key);
    if (list) list.push(word);
    else byEnds.set(key, [word]);
  }
  return (word) => {
    if (!CJK_WORD.test(word)) return [];
    const found = (byEnds.get(endsOf(word)) ?? []).filter((candidate) => candidate !== word && isShapeOf(word, candidate));
    return found.length <= MAX_CANDIDATES ? found : [];
  };
}

function endsOf(word: string): string {
  const characters = [...word];
  return `${characters[0]}${characters[characters.length - 1]}`;
}

/** `short` keeps `long`'s characters in order with one more in `long`, or swaps one inner character of four or more. */
function isShapeOf(short: string, long: string): boolean {
  const a = [...short];
  const b = [...long];
  if (b.length === a.length + 1) {
    let at = 0;
    for (const character of b) if (character === a[at]) at += 1;
    return at === a.length;
  }
  if (b.length === a.length && a.length >= 4) return a.filter((character, index) => character !== b[index]).length === 1;
  return false;
}

/**
 * Two-character abbreviations of two corpus words, one character of each: 调参 for 调整参数 ("adjust" + "parameters"),
 * the way Chinese shortens a verb and its object. A pair counts when the corpus writes its two words next to each other,
 * in either order (the corpus has 参数调整): an abbreviation of words the corpus never joins says nothing of it. A word
 * that fits more than one pair fits none.
 */
export function createAbbreviationFinder(sequences: Iterable<readonly string[]>): ShortenedFormFinder {
  const byInitials = new Map<string, Set<string>>();
  const add = (key: string, pair: string): void => {
    const pairs = byInitials.get(key);
    if (pairs) pairs.add(pair);
    else byInitials.set(key, new Set([pair]));
  };
  for (const sequence of sequences)
    for (let index = 0; index + 1 < sequence.length; index += 1) {
      const [left, right] = [sequence[index] as string, sequence[index + 1] as string];
      if (!TWO_CHARACTERS.test(left) || !TWO_CHARACTERS.test(right) || left === right) continue;
      const pair = `${left} ${right}`;
      add(`${[...left][0]}${[...right][0]}`, pair);
      add(`${[...right][0]}${[...left][0]}`, pair);
    }
  return (word) => {
    if (!TWO_CHARACTERS.test(word)) return [];
    const pairs = byInitials.get(word);
    if (pairs?.size !== 1) return [];
    return ([...pairs][0] as string).split(' ');
  };
}

const TWO_CHARACTERS = /^[\u3400-\u9fff]{2}$/;

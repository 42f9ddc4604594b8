import { createRequire } from 'node:module';
import { dict } from '@node-rs/jieba/dict.js';

type PinyinFunction = (text: string, options: { toneType: 'none'; type: 'array'; multiple?: boolean }) => string[];
const { pinyin } = createRequire(import.meta.url)('pinyin-pro') as { pinyin: PinyinFunction };

/**
 * The 3,755 common characters of GB2312 level 1, in its order (by pinyin). What a pinyin IME offers first for a
 * syllable is among them; the order makes every choice below deterministic.
 */
export function commonCharacters(): string[] {
  const decoder = new TextDecoder('gbk');
  const characters: string[] = [];
  for (let row = 0xb0; row <= 0xd7; row += 1)
    for (let cell = 0xa1; cell <= 0xfe; cell += 1) {
      if (row === 0xd7 && cell > 0xf9) break;
      characters.push(decoder.decode(Uint8Array.of(row, cell)));
    }
  return characters;
}

const normalReading = (character: string): string => (pinyin(character, { toneType: 'none', type: 'array' })[0] ?? '').replace('ü', 'v');

/** The toneless reading each character of a word has in it (pinyin-pro reads the word in context: 微调 "wei tiao"). */
export function readingsInContext(word: string): string[] {
  return pinyin(word, { toneType: 'none', type: 'array' }).map((reading) => reading.replace('ü', 'v'));
}

/** How often jieba's dictionary counts each single character as a word of its own. */
function characterFrequencies(): Map<string, number> {
  const frequencies = new Map<string, number>();
  for (const line of Buffer.from(dict).toString('utf8').split('\n')) {
    const [word, frequency] = line.split(' ');
    if (word !== undefined && [...word].length === 1) frequencies.set(word, Number(frequency));
  }
  return frequencies;
}

/**
 * Common characters a pinyin IME offers for the syllable, other than `character`: those whose normal reading is the
 * syllable, tones aside (what a learner picks by mistake from the candidate list), the most frequent first (jieba's
 * counts; GB2312 order among equals).
 */
export function createHomophoneFinder(): (character: string, syllable: string) => string[] {
  const frequencies = characterFrequencies();
  const frequencyOf = (character: string): number => frequencies.get(character) ?? 0;
  const bySyllable = new Map<string, string[]>();
  const byFrequency = commonCharacters()
    .map((common, order) => ({ common, order }))
    .sort((left, right) => frequencyOf(right.common) - frequencyOf(left.common) || left.order - right.order);
  for (const { common } of byFrequency) {
    const reading = normalReading(common);
    const list = bySyllable.get(reading) ?? [];
    list.push(common);
    bySyllable.set(reading, list);
  }
  return (character, syllable) => (bySyllable.get(syllable) ?? []).filter((candidate) => candidate !== character);
}

export interface HomophoneTypoOptions {
  /** Whether a typed word may stand for the word: a real word (时间 beside 实践) is no typo. */
  readonly accept: (typo: string) => boolean;
  /**
   * Function characters (与, 及, 的): typed at the start or end of a word they join it to its neighbours as what they
   * are (微调与训练 is "fine-tuning and training"), so they are offered inside a word only (语了库).
   */
  readonly isFunction: (character: string) => boolean;
}

/**
 * Typos of a word with a pinyin IME: for each position, the word with that character replaced by the first common
 * homophone `accept` takes (the learner's slip must not make a real word), and the word with every character replaced.
 */
export function homophoneTyposOf(
  word: string,
  homophones: (character: string, syllable: string) => string[],
  options: HomophoneTypoOptions,
) {
  const characters = [...word];
  const syllables = readingsInContext(word);
  const atEdge = (index: number): boolean => index === 0 || index === characters.length - 1;
  const homophonesOf = (character: string, index: number): string[] =>
    homophones(character, syllables[index] as string).filter((homophone) => !atEdge(index) || !options.isFunction(homophone));
  const accept = options.accept;
  const typos: { typed: string; kind: 'one' | 'all' }[] = [];
  for (const [index, character] of characters.entries()) {
    const typed = homophonesOf(character, index)
      .map((homophone) => characters.map((original, at) => (at === index ? homophone : original)).join(''))
      .find(accept);
    if (typed !== undefined) typos.push({ typed, kind: 'one' });
  }
  // Every character replaced (words of two to four characters, which an IME offers as one candidate): the n-th
  // homophone of each position, the first combination `accept` takes.
  for (let choice = 0; choice < 4 && characters.length <= 4; choice += 1) {
    const replaced = characters.map((character, index) => homophonesOf(character, index)[choice]);
    if (replaced.some((homophone) => homophone === undefined)) break;
    const typed = replaced.join('');
    if (accept(typed)) {
      typos.push({ typed, kind: 'all' });
      break;
    }
  }
  return typos;
}

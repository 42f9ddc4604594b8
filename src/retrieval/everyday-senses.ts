import { type CompactCedict, FLAG_CJK_WORD, sensesOfEntry } from './cedict-compact.js';

/**
 * Chinese everyday words whose primary CC-CEDICT sense is one of the English everyday words the question tables are
 * written in (aspect-words.ts: 硬件 "hardware", 电脑 "computer", 贵 "expensive"), so a Chinese question reaches those
 * tables through its dictionary, as an English one reaches them through its own words. The tables stay one language's
 * general vocabulary; the dictionary says which Chinese word is which of their words.
 *
 * Only the first sense of a word's first entry counts (CC-CEDICT lists the most common first): 机器 is "machine"
 * first, so no later sense of a word drags it into a table it is rarely meant by. Only words the corpus does not use:
 * the corpus's own words are searched as written.
 */
export type EverydaySenses = Readonly<Record<string, readonly string[]>>;

/**
 * The words of `compact` outside `vocabulary` whose primary sense `isEverydaySense` accepts, each with that sense as
 * the dictionary cleaned it ("hardware"). Reads every entry once (about 124,000; a few milliseconds).
 */
export function deriveEverydaySenses(
  compact: CompactCedict,
  vocabulary: ReadonlySet<string>,
  isEverydaySense: (sense: string) => boolean,
): EverydaySenses {
  const senses: Record<string, readonly string[]> = {};
  const seen = new Set<string>();
  for (let entry = 0; entry < compact.size; entry += 1) {
    if (((compact.flags[entry] as number) & FLAG_CJK_WORD) === 0) continue;
    const word = compact.headwords[entry] as string;
    // The first entry of a word is its primary reading; a later one (便宜 biànyí "convenient") is another word.
    if (seen.has(word)) continue;
    seen.add(word);
    if (vocabulary.has(word)) continue;
    const first = sensesOfEntry(compact, entry)[0];
    if (first === undefined) continue;
    const sense = compact.senses[first] as string;
    if (isEverydaySense(sense)) senses[word] = [sense];
  }
  return senses;
}

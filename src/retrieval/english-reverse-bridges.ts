import { type CompactCedict, FLAG_CJK_WORD, sensesOfEntry } from './cedict-compact.js';
import { isStopword } from './function-words.js';

/**
 * English words the corpus does not use, reached through the Chinese words CC-CEDICT gives them as senses: "kitchen"
 * is a sense of 庖厨 and 灶间, which bridge (CorpusDictionaryData.synonyms) to 厨师 and "cook"; "accuracy" of 准确性
 * and 精确度, which bridge to 准确. The English question word itself has no sense of any corpus word, so without this
 * it would reach nothing.
 *
 * Two hops through a dictionary wander ("insides" → 中间 "during"), so a target counts only when at least
 * MIN_AGREEING_WORDS of the Chinese words meaning that English word bridge to it, and only through an English sense few
 * Chinese words share (a word many share, "handle", names too many things). Keyed like CorpusDictionaryData.english
 * (stemmed words joined by spaces); a sense the corpus's own words have is left to that map.
 */
export type EnglishReverseBridges = Readonly<Record<string, readonly string[]>>;

/** How many Chinese words of an English sense must bridge to the same corpus word for it to count. */
export const MIN_AGREEING_WORDS = 2;
/** Most Chinese words that may share the English sense; more and the sense is too general to say which thing. */
const MAX_WORDS_PER_SENSE = 12;
/** Most corpus words one English word reaches. */
const MAX_TARGETS = 3;
/** A sense of one or two words, none a function word ("kitchen", "chili pepper"). */
const MAX_CONTENT_WORDS = 2;

/**
 * Derives the reverse bridges from the compact dictionary, the corpus's bridges of the words it does not use
 * (`synonyms`) and the English senses the corpus's own words already answer (`english`). Reads every entry once.
 */
export function deriveEnglishReverseBridges(
  compact: CompactCedict,
  vocabulary: ReadonlySet<string>,
  synonyms: Readonly<Record<string, readonly string[]>>,
  english: Readonly<Record<string, readonly string[]>>,
): EnglishReverseBridges {
  const { keys, senseKey } = compact;
  /** Per sense key: the distinct Chinese words having it, and those of them that bridge. */
  const wordCount = new Uint32Array(keys.length);
  const lastWord: (string | undefined)[] = new Array(keys.length);
  const bridgingWords = new Map<number, string[]>();
  for (let entry = 0; entry < compact.size; entry += 1) {
    if (((compact.flags[entry] as number) & FLAG_CJK_WORD) === 0) continue;
    const word = compact.headwords[entry] as string;
    if (vocabulary.has(word)) continue;
    const bridged = synonyms[word] !== undefined;
    for (const sense of sensesOfEntry(compact, entry)) {
      const key = senseKey[sense] as number;
      if (lastWord[key] === word) continue;
      lastWord[key] = word;
      wordCount[key] = (wordCount[key] as number) + 1;
      if (!bridged) continue;
      const words = bridgingWords.get(key);
      if (words) words.push(word);
      else bridgingWords.set(key, [word]);
    }
  }
  const reverse: Record<string, string[]> = {};
  for (const [key, bridging] of bridgingWords) {
    if (bridging.length < MIN_AGREEING_WORDS || (wordCount[key] as number) > MAX_WORDS_PER_SENSE) continue;
    const text = keys[key] as string;
    if (english[text] !== undefined || vocabulary.has(text)) continue;
    // A phrase with function words ("in simple terms", "by the way") frames a question; it names nothing to bridge.
    const words = text.split(' ');
    if (words.length > MAX_CONTENT_WORDS || words.some((part) => isStopword(part))) continue;
    const agreeing = new Map<string, number>();
    for (const word of bridging) for (const target of synonyms[word] ?? []) agreeing.set(target, (agreeing.get(target) ?? 0) + 1);
    const targets = [...agreeing].filter(([, count]) => count >= MIN_AGREEING_WORDS).map(([target]) => target);
    if (targets.length > 0 && targets.length <= MAX_TARGETS) reverse[text] = targets;
  }
  return reverse;
}

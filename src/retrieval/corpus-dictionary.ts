import {
  type CompactCedict,
  entriesMentioning,
  entriesOf,
  FLAG_CJK_WORD,
  isCjkDictionaryWord,
  isRunWord,
  sensesOfEntry,
} from './cedict-compact.js';
import type { CedictEntry } from './cedict-table.js';
import type { EnglishReverseBridges } from './english-reverse-bridges.js';
import type { EverydaySenses } from './everyday-senses.js';
import { isStopword } from './function-words.js';
import { normalizeEnglishWord } from './text-analyzer.js';

export type { CedictEntry } from './cedict-table.js';

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
   * 现在; "work", "home"): Chinese words jieba's dictionary counts at least about 1,500 times, English words
   * at least 60 CC-CEDICT entries use in their senses. Coverage weighs them low; a word the corpus
   * does not use and that is not among them (量化, 蒸馏, "quantization") is specific: it must be accounted for.
   */
  readonly commonWords?: readonly string[];
  /**
   * Words the corpus does not use → their primary sense when it is an everyday English word of the question tables
   * (everyday-senses.ts: 硬件 → ["hardware"]). Added by the lexicon store; absent in a dictionary derived alone.
   */
  readonly everydaySenses?: EverydaySenses;
  /**
   * English words no corpus word has as a sense → the corpus words that Chinese words meaning them agree on bridging to
   * (english-reverse-bridges.ts: "kitchen" → 厨师). Added by the lexicon store; absent in a dictionary derived alone.
   */
  readonly englishReverse?: EnglishReverseBridges;
}

/** How many CC-CEDICT words may share a corpus word's primary sense for it to bridge: "cook" 27, "use" far more. */
const MAX_WORDS_PER_BRIDGING_SENSE = 30;
/** The same for its other senses, which must be more specific: "bring about" 9 words, "practice" 26. */
const MAX_WORDS_PER_SECONDARY_SENSE = 12;
/** Most corpus words one English sense or one everyday word is bridged to; more would be noise. */
const MAX_BRIDGES = 4;
const LATIN_WORD = /^[a-z][a-z0-9]+$/;
const SKIPPED_SENSE = /^(?:cl:|variant of|old variant|see |surname|abbr\.|used in|also written|pr\.|erhua|japanese variant|\(old\))/i;
const ACRONYM = /\(([A-Z][A-Z0-9]{1,7})\)/g;
/** Letters and single spaces only, and none of the words that need the full cleaning. */
const SIMPLE_SENSE = /^(?!(?:surname|variant|old|see|used|also|erhua|abbr|pr)\b)(?!.*\b(?:sth|sb|oneself)\b)[A-Za-z]+(?: [A-Za-z]+)*$/;
const LEADING_ARTICLE = /^(?:to|a|an|the) /;

/** A cleaned sense has three words at most (two spaces). */
const MAX_SENSE_WORDS = 3;
const REMOVED_WORD = /^(?:sth|sb|one's|oneself)$/i;

/**
 * A lower bound on the words the cleaning below leaves of a sense, before its leading article goes: every run of ASCII
 * letters, digits, apostrophes and hyphens outside parentheses, unless the run is one of the words the cleaning
 * removes (a run holding one among other characters keeps those). Characters outside ASCII separate runs, as the
 * cleaning makes them spaces; the two whose lower case is ASCII (İ, K) make it give up (0).
 */
function minimumCleanedWords(text: string): number {
  let words = 0;
  let runStart = -1;
  for (let at = 0; at <= text.length; at += 1) {
    const code = at < text.length ? text.charCodeAt(at) : 0x20;
    if (code === 0x130 || code === 0x212a) return 0;
    const inRun =
      (code >= 0x61 && code <= 0x7a) || (code >= 0x41 && code <= 0x5a) || (code >= 0x30 && code <= 0x39) || code === 0x27 || code === 0x2d;
    if (inRun) {
      if (runStart < 0) runStart = at;
      continue;
    }
    if (runStart >= 0 && !REMOVED_WORD.test(text.slice(runStart, at))) words += 1;
    runStart = -1;
    if (code === 0x28) {
      // The cleaning drops "(" up to the first ")" after it; an unmatched "(" is a space.
      const close = text.indexOf(')', at + 1);
      if (close >= 0) at = close;
    }
  }
  return words;
}

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
      if (trimmed.includes('(')) for (const match of trimmed.matchAll(ACRONYM)) senses.add((match[1] as string).toLowerCase());
      // A sense of one field only ("(fashion) model", "function (math.)", "(railway) train") is another sense than
      // the article's word: it neither bridges to it nor glosses it.
      if (trimmed.includes('(') && namesAField(trimmed)) continue;
      // A description ("the emergency number for ...") is no sense: told without cleaning it.
      if (minimumCleanedWords(trimmed) > MAX_SENSE_WORDS + 1) continue;
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

/**
 * Labels of register or use, not of a field: a sense so labelled ("(fig.) basis", "(dialect) hot pepper", "(not) a long
 * time") is still the word's sense in general language.
 */
const REGISTER_LABEL =
  /^(?:fig|lit|literary|coll|colloquial|dialect|idiom|loanword|formal|informal|slang|old|archaic|polite|humble|honorific|derog|derogatory|pejorative|euphemism|euphemistic|tw|onom|written|spoken|not|just|ever|also|usually|often|esp|especially|sometimes|typically|etc|and|or|by|extension|lit\. and fig)\.?$/i;

/**
 * The field the tutor's corpora are written in (machine learning): a sense labelled with it ("(computing) graphics
 * card") is the article's sense, not another one.
 */
const OWN_FIELD_LABEL = /^(?:computing|computer|comp\.)$/;

/**
 * The sense carries a label of another field (a parenthesis of one or two lowercase words, "(fashion)", "(math.)",
 * "(railway)", "(evolutionary biology)"), not of register or use ("(fig.)", "(of a person)", "(just)").
 */
function namesAField(sense: string): boolean {
  for (const [, label] of sense.matchAll(/\(([^()]*)\)/g)) {
    const text = (label as string).trim();
    const words = text.split(/\s+/);
    if (words.length > 2 || !/^[a-z][a-z .]*$/.test(text) || OWN_FIELD_LABEL.test(text)) continue;
    if (words.every((word) => !REGISTER_LABEL.test(word) && !isStopword(word.replace(/\.$/, '')))) return true;
  }
  return false;
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

/** The matching key of a cleaned sense (single spaces, lower case): its words stemmed, a hyphen splitting words too. */
export function senseKeyOf(sense: string): string {
  // A cleaned sense has single spaces and no space at either end: without a hyphen, its words are its spaces' pieces.
  const words = sense.includes('-') ? sense.split(/[\s-]+/).filter(Boolean) : sense.split(' ');
  return words.map(normalizeEnglishWord).join(' ');
}

/**
 * Derives the corpus's part of CC-CEDICT from its compact form (cedict-compact.ts: senses cleaned and keyed once per
 * installed dictionary). `vocabulary` is every token of the index (jieba words and stemmed English words). English
 * senses map to corpus words; a word the corpus does not use maps to the corpus words it shares a specific sense with
 * (a sense a dozen words share, "to use", bridges nothing). Only the entries a corpus can reach are read, in the
 * dictionary's order: those of its own words, and those whose English mentions one of their senses' words.
 */
export function deriveCorpusDictionary(
  compact: CompactCedict,
  vocabulary: ReadonlySet<string>,
  glossaryForms: ReadonlyMap<string, readonly string[]> = new Map(),
): CorpusDictionaryData {
  const { senses: senseTexts, keys, senseKey: senseKeyOfId, headwords } = compact;
  const latinWords = new Set([...vocabulary].filter((token) => LATIN_WORD.test(token)));
  const corpusEntries: number[] = [];
  for (const token of vocabulary) corpusEntries.push(...entriesOf(compact, token));
  corpusEntries.sort((left, right) => left - right);
  // First the corpus's own words: the English words of their senses are all a bridge can go through.
  const bridgeWords = new Set(latinWords);
  for (const entry of corpusEntries)
    for (const id of sensesOfEntry(compact, entry))
      for (const word of (keys[senseKeyOfId[id] as number] as string).split(' ')) if (!isStopword(word)) bridgeWords.add(word);
  // The glossary's English forms of the corpus's terms are senses of those terms too (计算资源 "computing power"), by
  // the number of the dictionary key they match; a form no dictionary sense has bridges nothing.
  const glossaryKeys = glossarySenseKeys(keys, vocabulary, glossaryForms);
  for (const key of glossaryKeys.keys()) for (const word of (keys[key] as string).split(' ')) if (!isStopword(word)) bridgeWords.add(word);
  // Senses are handled by their key's number; a word's senses map key numbers to sense numbers.
  /** Keys of the corpus words' senses. */
  const corpusKey = new Uint8Array(keys.length);
  for (const key of glossaryKeys.keys()) corpusKey[key] = 1;
  /** Words in the order the dictionary first selects them; a word none of whose senses can bridge keeps no senses. */
  const sensesByWord = new Map<string, Map<number, number> | undefined>();
  const wordCountByKey = new Uint32Array(keys.length);
  const addSense = (senses: Map<number, number>, sense: number): void => {
    const key = senseKeyOfId[sense] as number;
    if (senses.has(key)) return;
    senses.set(key, sense);
    wordCountByKey[key] = (wordCountByKey[key] as number) + 1;
  };
  for (const entry of corpusEntries) {
    if (((compact.flags[entry] as number) & FLAG_CJK_WORD) === 0) continue;
    const word = headwords[entry] as string;
    let senses = sensesByWord.get(word);
    if (!senses) sensesByWord.set(word, (senses = new Map()));
    for (const sense of sensesOfEntry(compact, entry)) {
      corpusKey[senseKeyOfId[sense] as number] = 1;
      addSense(senses, sense);
    }
  }
  // A sense of a word the corpus does not use can only bridge when it is a sense of a corpus word or names one of its
  // English words (see below): of the others, neither the sense nor how many words share it is ever read.
  // 0 not known yet, 1 bridges, 2 does not.
  const bridging = new Uint8Array(keys.length);
  const canBridge = (sense: number): boolean => {
    const key = senseKeyOfId[sense] as number;
    if (bridging[key] === 0)
      bridging[key] = corpusKey[key] === 1 || (keys[key] as string).split(' ').some((part) => latinWords.has(part)) ? 1 : 2;
    return bridging[key] === 1;
  };
  // Then the entries of other words whose English uses one of those words (most do not). Stems only strip endings, so a
  // word starting with a stem is a candidate ("cook" → "cooking"; "study" → "studies" by "stud").
  const prefixes = [...bridgeWords].map((word) => (word.endsWith('y') && word.length > 2 ? word.slice(0, -1) : word));
  const unreadable = prefixes.find((prefix) => !isRunWord(prefix));
  if (unreadable !== undefined) throw new Error(`A bridge word the compact dictionary cannot look up: ${JSON.stringify(unreadable)}`);
  const selected = entriesMentioning(compact, prefixes).filter((entry) => !vocabulary.has(headwords[entry] as string));
  // Only words with a sense that can bridge are read on; the others would keep no senses.
  const bridgingWords = new Set<string>();
  for (const entry of selected) if (sensesOfEntry(compact, entry).some(canBridge)) bridgingWords.add(headwords[entry] as string);
  // In the dictionary's order (a word's place is its first selected entry).
  for (const entry of selected) {
    const word = headwords[entry] as string;
    if (!bridgingWords.has(word)) continue;
    let senses = sensesByWord.get(word);
    if (!sensesByWord.has(word)) sensesByWord.set(word, senses);
    for (const sense of sensesOfEntry(compact, entry)) {
      if (!canBridge(sense)) continue;
      if (!senses) sensesByWord.set(word, (senses = new Map()));
      addSense(senses, sense);
    }
  }

  const glosses: Record<string, string[]> = {};
  const corpusWordsBySense = new Map<string, Set<string>>();
  const primaryCorpusWordsBySense = new Map<string, Set<string>>();
  const englishToCorpus = new Map<string, Set<string>>();
  for (const token of vocabulary) {
    const senses = sensesByWord.get(token);
    if (senses === undefined || senses.size === 0) continue;
    glosses[token] = [...senses.values()].map((sense) => senseTexts[sense] as string);
    for (const id of senses.keys()) {
      const key = keys[id] as string;
      addTo(englishToCorpus, key, token);
      addTo(corpusWordsBySense, key, token);
    }
    addTo(primaryCorpusWordsBySense, keys[senses.keys().next().value as number] as string, token);
  }
  const english: Record<string, string[]> = {};
  for (const [key, words] of englishToCorpus) if (words.size <= MAX_BRIDGES) english[key] = [...words];
  // An English word the corpus itself uses ("gpu") is a sense of its own: 图形处理器 "(GPU)" bridges to it.
  for (const token of latinWords) addTo(corpusWordsBySense, token, token);
  // A glossary form is a sense of its term (only as a bridge target: the term's glosses stay CC-CEDICT's).
  for (const [key, terms] of glossaryKeys) for (const term of terms) addTo(corpusWordsBySense, keys[key] as string, term);

  const synonyms: Record<string, string[]> = {};
  const bridge = (word: string, targets: Iterable<string>): void => {
    const bridged = new Set([...(synonyms[word] ?? []), ...targets]);
    bridged.delete(word);
    if (bridged.size > 0 && bridged.size <= MAX_BRIDGES) synonyms[word] = [...bridged];
  };
  // The content words of a sense when they are one or two English words of the corpus's renderings; once per sense.
  const renderings = new Map<string, readonly string[] | undefined>();
  const renderingOf = (key: string): readonly string[] | undefined => {
    if (renderings.has(key)) return renderings.get(key);
    const content = key.split(' ').filter((part) => !isStopword(part));
    const rendering = content.length >= 1 && content.length <= 2 && content.every((part) => latinWords.has(part)) ? content : undefined;
    renderings.set(key, rendering);
    return rendering;
  };
  for (const [word, senses] of sensesByWord) {
    if (senses === undefined || vocabulary.has(word)) continue;
    for (const id of senses.keys()) {
      const key = keys[id] as string;
      // A sense bridges when few words share it; a common one only to a corpus word whose primary sense it is (CC-CEDICT
      // lists the most common first): 做菜 meets 烹饪 "cooking", but 做法 "practice" must not meet 实际 "reality; practice".
      const sharing = wordCountByKey[id] as number;
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
      const rendering = sharing <= MAX_WORDS_PER_BRIDGING_SENSE ? renderingOf(key) : undefined;
      if (rendering !== undefined) bridge(word, rendering);
      // Chinese compounds name a kind of their last word: 独立显卡 "discrete GPU" is a kind of 显卡, so 显卡 is the
      // everyday word for what the corpus calls "GPU". Only for the corpus's own English words, which CEDICT uses so.
      const head = key.slice(key.lastIndexOf(' ') + 1);
      if (head === key || !latinWords.has(head)) continue;
      // A CJK word's characters are one code unit each: cuts after the first to before the last but one.
      for (let cut = 1; cut <= word.length - 2; cut += 1) {
        const kind = word.slice(cut);
        if (!vocabulary.has(kind) && isCjkDictionaryWord(compact, kind) && isCjkDictionaryWord(compact, word.slice(0, cut)))
          bridge(kind, [head]);
      }
    }
  }
  return { formatVersion: 1, glosses, synonyms, english, commonWords: [...compact.commonWords] };
}

/** The dictionary keys (by number) that glossary forms of corpus terms match, each with those terms. */
function glossarySenseKeys(
  keys: readonly string[],
  vocabulary: ReadonlySet<string>,
  glossaryForms: ReadonlyMap<string, readonly string[]>,
): Map<number, string[]> {
  const wanted = new Map<string, string[]>();
  for (const [term, forms] of glossaryForms) {
    if (!vocabulary.has(term)) continue;
    for (const form of forms) {
      const key = senseKey(form);
      if (key === '') continue;
      const terms = wanted.get(key) ?? [];
      if (!terms.includes(term)) wanted.set(key, [...terms, term]);
    }
  }
  const found = new Map<number, string[]>();
  if (wanted.size === 0) return found;
  keys.forEach((key, number) => {
    const terms = wanted.get(key);
    if (terms) found.set(number, terms);
  });
  return found;
}

function addTo(map: Map<string, Set<string>>, key: string, value: string): void {
  let set = map.get(key);
  if (!set) map.set(key, (set = new Set()));
  set.add(value);
}

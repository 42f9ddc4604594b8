import type { QueryWord, WeightedTerm } from './analyzed-query.js';
import { aspectStatementWordsOf } from './aspect-words.js';
import { type CorpusDictionaryData, senseKey } from './corpus-dictionary.js';
import { poleWordsOf, scaleWordsOf } from './opposite-words.js';

/**
 * Where a bridge from a question word lands in one index (query-understanding.ts reads a question through it): the
 * corpus words of a scale, a glossary term jieba cuts into pieces, a scale phrase jieba's guesses cut across, and the
 * stand-ins the yes/no plan may state a claim by.
 */
export interface BridgeIndex {
  /** Every token of the index. */
  readonly vocabulary: ReadonlySet<string>;
  /** The vocabulary and the hand glossary's Chinese terms the corpus writes (超参数, 过拟合: jieba cuts them). */
  readonly lexiconWords: ReadonlySet<string>;
  /** Words of general language (CorpusDictionaryData.commonWords); undefined before the lexicon is read. */
  readonly commonWords?: ReadonlySet<string>;
  readonly idf: (token: string) => number;
  /** The index's tokenizer (jieba search mode, stems). */
  readonly tokenize: (text: string) => readonly string[];
  /** jieba's dictionary cut, without guessing (no HMM). */
  readonly cut: (text: string) => readonly string[];
}

/**
 * Weight of a word reached through CC-CEDICT (做菜 → 烹饪, "assume" → 假设) or a scale (速度 → 快) against 1 for the
 * question's own words and the hand glossary's: it ranks below an exact match and counts for coverage only this much.
 */
export const DICTIONARY_BRIDGE_WEIGHT = 0.5;

/**
 * Weight of a word reached in two hops, through the Chinese words CC-CEDICT gives an English word as a sense
 * (english-reverse-bridges.ts: "kitchen" → 庖厨, 灶间 → 厨师): below a direct bridge, as it is one step looser.
 */
export const REVERSE_BRIDGE_WEIGHT = 0.35;

/**
 * The corpus's words of the scale a word the corpus does not use stands on, at a bridge's weight, beside the terms it
 * has. Only a scale word the analyzer reads as one word: the pieces of 更快 or "takes longer" (更, "take") are no scale.
 */
export function scaleBridges(word: string, terms: readonly WeightedTerm[], index: BridgeIndex): WeightedTerm[] {
  const targets = scaleWordsOf(word).flatMap((scaleWord) => {
    const pieces = index.tokenize(scaleWord);
    return pieces.length === 1 ? pieces : [];
  });
  return bridgesTo(word, targets, terms, index);
}

/**
 * The tokens an everyday word for an aspect the corpus does not use ("pricier", "hardware"; 硬件 by its `senses`) is
 * stated in (aspect-words.ts: "takes longer", 计算资源, "GPU"), its bridges to those the corpus uses, and the word of
 * the aspect table it was read as. A word with targets names the respect the question asks about (QueryWord.aspect),
 * whether or not the corpus uses any of them.
 */
export function aspectBridges(
  word: string,
  terms: readonly WeightedTerm[],
  index: BridgeIndex,
  senses: readonly string[] = [],
): { readonly targets: readonly string[]; readonly bridges: WeightedTerm[]; readonly askedAs?: string } {
  // A Chinese word is read by its everyday English sense (everyday-senses.ts: 硬件 "hardware"), the table's language.
  const askedAs = [word, ...senses].find((form) => aspectStatementWordsOf(form).length > 0);
  const targets = askedAs === undefined ? [] : aspectStatementWordsOf(askedAs).flatMap((stated) => index.tokenize(stated));
  return { targets, bridges: bridgesTo(word, targets, terms, index), ...(askedAs === undefined ? {} : { askedAs }) };
}

/** Bridges at the dictionary weight to the targets the corpus uses, other than the word itself and its terms. */
function bridgesTo(word: string, targets: readonly string[], terms: readonly WeightedTerm[], index: BridgeIndex): WeightedTerm[] {
  const bridges: WeightedTerm[] = [];
  for (const target of targets)
    if (target !== word && index.vocabulary.has(target) && ![...terms, ...bridges].some((term) => term.term === target))
      bridges.push({ term: target, weight: DICTIONARY_BRIDGE_WEIGHT });
  return bridges;
}

/**
 * A bridge's target as the index holds it. A glossary term the corpus writes but jieba cuts into pieces (过拟合 →
 * 过/拟合, 更快 → 更/快, 试验和错误) is no token of any passage, so a bridge to it (死记硬背 → 过拟合, 速度 → 更快)
 * would reach nothing in ranking or coverage: it stands for its most specific piece (拟合, 快): a word before a single
 * character (过 of 过拟合 is as much 经过's), then the one of highest IDF.
 */
export function indexedForm(target: string, index: BridgeIndex): string {
  if (index.vocabulary.has(target) || !index.lexiconWords.has(target)) return target;
  let best: { piece: string; rank: number } | undefined;
  for (const piece of index.tokenize(target)) {
    if (!index.vocabulary.has(piece)) continue;
    const rank = ([...piece].length > 1 ? 1000 : 0) + index.idf(piece);
    if (!best || rank > best.rank) best = { piece, rank };
  }
  return best?.piece ?? target;
}

/** A word's terms with each bridge (weight below 1) as the index holds it (indexedForm), each term once. */
export function indexedBridges(terms: readonly WeightedTerm[], index: BridgeIndex): WeightedTerm[] {
  const kept: WeightedTerm[] = [];
  for (const { term, weight } of terms) {
    const form = weight < 1 ? indexedForm(term, index) : term;
    if (!kept.some((other) => other.term === form)) kept.push({ term: form, weight });
  }
  return kept;
}

/**
 * Scale phrases jieba's guesses cut across (省时间 of 更省时间: 更省/时间), as words of the question with the corpus's
 * words of their scale; not those already `seen`, and not one whose pieces are all corpus words (大/范围 of 大范围),
 * which the question is searched by already. A scale word of jieba's own (很多 of 很多东西) is no phrase: glued to the
 * word after it, it is that word's. Adds the words it returns to `seen`.
 */
export function scalePhraseWords(query: string, seen: Set<string>, index: BridgeIndex): QueryWord[] {
  const words: QueryWord[] = [];
  if (!/[\u3400-\u9fff]/.test(query)) return words;
  for (const { word } of poleWordsOf(query)) {
    if ([...word].length < 2 || seen.has(word) || index.vocabulary.has(word)) continue;
    const pieces = index.cut(word);
    if (pieces.length < 2 || pieces.every((piece) => index.vocabulary.has(piece))) continue;
    seen.add(word);
    const terms = scaleBridges(word, [], index);
    if (terms.length > 0) words.push({ word, terms: indexedBridges(terms, index), namesConcept: false });
  }
  return words;
}

/**
 * AnalyzedQuery.standIns: of the words that are not general, their bridges to corpus words that are not common. An
 * aspect word ("pricier" → time, resources) is none: its words state the respect asked about, not the word's claim.
 */
export function standInsOf(words: readonly QueryWord[], index: BridgeIndex): Map<string, readonly WeightedTerm[]> {
  const standIns = new Map<string, readonly WeightedTerm[]>();
  for (const word of words) {
    if (word.general === true || word.aspect === true || index.vocabulary.has(word.word)) continue;
    const bridged = word.terms.filter(
      (term) => term.weight < 1 && index.vocabulary.has(term.term) && index.commonWords?.has(term.term) !== true,
    );
    if (bridged.length === 0) continue;
    standIns.set(word.word, bridged);
    for (const term of word.terms)
      if (term.weight >= 1 && !index.vocabulary.has(term.term) && !standIns.has(term.term)) standIns.set(term.term, bridged);
  }
  return standIns;
}

/**
 * CC-CEDICT's bridges of a word the corpus does not use: a Chinese word's synonyms; an English word's corpus words of
 * that sense, else the reverse bridges (two hops, weighed lower). A hyphenated English word (`surface` as written,
 * "ready-made") is looked up as the phrase of its pieces, as the dictionary keys its senses.
 */
export function dictionaryBridges(dictionary: CorpusDictionaryData, token: string, surface: string | undefined): WeightedTerm[] {
  if (/[\u3400-\u9fff]/.test(token)) return (dictionary.synonyms[token] ?? []).map((term) => ({ term, weight: DICTIONARY_BRIDGE_WEIGHT }));
  return englishBridges(dictionary, surface?.includes('-') === true ? senseKey(surface) : token);
}

/** An English sense key's corpus words: direct at the dictionary weight, else through the reverse bridges. */
function englishBridges(dictionary: CorpusDictionaryData, key: string): WeightedTerm[] {
  const direct = dictionary.english[key];
  if (direct !== undefined) return direct.map((term) => ({ term, weight: DICTIONARY_BRIDGE_WEIGHT }));
  return (dictionary.englishReverse?.[key] ?? []).map((term) => ({ term, weight: REVERSE_BRIDGE_WEIGHT }));
}

import type { Jieba } from '@node-rs/jieba';
import type { CorpusIndex } from '../index/corpus-index-store.js';
import { boundedMemo } from '../support/bounded-memo.js';
import type { AnalyzedQuery, QueryWord, WeightedTerm } from './analyzed-query.js';
import { amountSubjectsOf } from './asked-amount.js';
import { asksForCategory } from './asked-category.js';
import {
  aspectBridges,
  type BridgeIndex,
  DICTIONARY_BRIDGE_WEIGHT,
  dictionaryBridges,
  indexedBridges,
  indexedForm,
  scaleBridges,
  scalePhraseWords,
  standInsOf,
} from './bridge-targets.js';
import { compoundTopicWords } from './compound-topics.js';
import { senseKey } from './corpus-dictionary.js';
import type { CorpusLexicon, CorpusLexiconStore } from './corpus-dictionary-store.js';
import { createEverydayNameReader } from './everyday-names.js';
import { withoutFramePhrases } from './frame-phrases.js';
import { isStopword } from './function-words.js';
import { corpusWordsOfOtherSenseCompound, isGuessedName, nounsBeforeCorpusWords, straddlesRepeatedVerb } from './guessed-words.js';
import { createKeyTermSeparator } from './key-term-spacing.js';
import type { PinyinCorrection } from './pinyin-corrector.js';
import { createQueryIndexStates, type IndexState } from './query-index-state.js';
import { groupSearchPieces } from './search-pieces.js';
import { createAbbreviationFinder, createShortenedFormFinder } from './shortened-forms.js';
import { ANSWER_KIND_TERMS, getDefaultJieba, normalizeEnglishWord, type TextAnalyzer } from './text-analyzer.js';
import { nounsOf, standsAsObject, standsInEnglishTopicSlot, standsInTopicSlot } from './topic-slot.js';
import { createWordGenerality } from './word-generality.js';

export interface QueryUnderstanding {
  /**
   * Reads the saved lexicon (dictionary subset, pinyin keys) of an index, or with `derive` (ingest) derives and saves
   * it; the runtime calls it on every swap. Without either, it is derived when a question first needs it.
   */
  prepare(index: CorpusIndex, options?: { readonly derive?: boolean }): Promise<{ readonly derived: boolean }>;
  /**
   * The question as searched: everyday names of the article's terms read as the terms (everyday-names.ts), then pinyin
   * and English typos replaced by corpus words, with what was replaced (typos only: an everyday name is no mistake).
   */
  correct(question: string): PinyinCorrection;
  /** Weighted search terms and topic words of a (corrected, standalone) query. */
  analyze(query: string): AnalyzedQuery;
  /** English senses of a Chinese word: the hand glossary's rendering first, then CC-CEDICT's. Empty when unknown. */
  glossesOf(word: string): readonly string[];
}

export interface QueryUnderstandingDeps {
  readonly analyzer: TextAnalyzer;
  readonly getIndex: () => CorpusIndex;
  /** Where lexicons are kept; without one, `prepare` does nothing and only the hand glossary bridges words. */
  readonly lexiconStore?: CorpusLexiconStore;
  /** @default the process-wide jieba */
  readonly jieba?: Jieba;
}

const CJK = /[\u3400-\u9fff]/;
const CHINESE_TERM = /^[\u3400-\u9fff]{2,}$/;
/** A word of two characters opening with a localizer (里, 上, 中, 内). */
const LOCALIZED = /^[里上中内][\u3400-\u9fff]$/;
const LATIN_WORD = /[A-Za-z0-9]+(?:[-'][A-Za-z0-9]+)*/g;
/** jieba's tags of idioms (i) and set phrases (l). */
const SET_PHRASE_TAG = /^[il]$/;
/** LoRA, RLHF, GPT4, GPT-4, LLaMA-2, 7B: mixed case inside the word, two capitals, or letters with digits (hyphens inside). */
const NAME_LIKE = /^(?:[A-Za-z]+[a-z][A-Z][\w-]*|[A-Z]{2,}[\w-]*|(?=[\w-]*\d)(?=[\w-]*[A-Za-z])[\w-]+)$/;

/**
 * What the tutor makes of a question beyond its tokens, against one index's vocabulary: pinyin typo correction,
 * CC-CEDICT bridges from words the corpus does not use to words it does, and English glosses of Chinese terms. An index
 * whose lexicon is not prepared yet is searched with the question's own words and the hand glossary only.
 */
export function createQueryUnderstanding(deps: QueryUnderstandingDeps): QueryUnderstanding {
  const { analyzer } = deps;
  const jieba = deps.jieba ?? getDefaultJieba();
  const noGuessCut = (text: string): string[] => jieba.cut(text, false);
  const glossaryByZh = new Map(analyzer.glossary.terms.map((term) => [term.zh, term]));
  /** The hand glossary's Chinese terms, longest first (超参数 before 参数). */
  const chineseTerms = analyzer.glossary.terms
    .map((term) => term.zh)
    .filter((zh) => CHINESE_TERM.test(zh))
    .sort((left, right) => right.length - left.length);

  const separateKeyTerms = createKeyTermSeparator(chineseTerms);
  /** The hand glossary's English forms ("pre-trained model"): what an English compound's last word may head. */
  const englishForms = analyzer.glossary.terms.flatMap((term) => term.en);
  /** The tokens of the hand glossary's terms in both languages: the article's own words, however common. */
  const glossaryTokens = new Set(
    analyzer.glossary.terms.flatMap((term) => [
      ...analyzer.tokenize(term.zh),
      ...term.en.flatMap((form) => (form.toLowerCase().match(LATIN_WORD) ?? []).map(normalizeEnglishWord)),
    ]),
  );
  const { isDictionaryWord, isGeneralWord, isGeneralCorpusCharacter } = createWordGenerality({ cut: noGuessCut });
  const { stateOf, prepare, lexiconFor, typosOf } = createQueryIndexStates({
    analyzer,
    jieba,
    lexiconStore: deps.lexiconStore,
    isDictionaryWord,
  });

  // One answer reads a question's correction several times (the resolver, the answerer on the question and on the
  // follow-up it was rewritten into, the answer wrapper): the latest few are remembered, per index and lexicon (the
  // typo reader reads the lexicon once it is prepared).
  let corrections: { index: CorpusIndex; lexicon: CorpusLexicon | undefined; of: (question: string) => PinyinCorrection } | undefined;
  function correct(question: string): PinyinCorrection {
    const index = deps.getIndex();
    const state = stateOf(index);
    if (corrections?.index !== index || corrections.lexicon !== state.lexicon) {
      // Everyday names first: the article's term, once in place, is a corpus word no typo reading touches.
      state.everydayNames ??= createEverydayNameReader({
        terms: analyzer.glossary.terms,
        writtenByCorpus: (text) => index.chunks.some((chunk) => chunk.text.includes(text)),
        cut: noGuessCut,
      });
      const readNames = state.everydayNames;
      corrections = { index, lexicon: state.lexicon, of: boundedMemo(8, (text: string) => typosOf(index, state).correct(readNames(text))) };
    }
    return corrections.of(question);
  }

  function analyze(query: string): AnalyzedQuery {
    const index = deps.getIndex();
    const state = stateOf(index);
    const tokens = analyzer
      .tokenize(separateKeyTerms(withoutFramePhrases(query)))
      .flatMap((token, at, all) => unglued(withoutLocalizer(token, all[at - 1], query, state), state));
    // A character of a glossary term the question writes (率 of 学习率) stands for that term, not for general language:
    // the term's other piece (学习) is as much 强化学习's and 指导模型学习's.
    const termPieces = new Set(chineseTerms.filter((term) => query.includes(term)).flatMap((term) => analyzer.tokenize(term)));
    const bringsNewWords = tokens.some((token) => !state.vocabulary.has(token));
    const dictionary = bringsNewWords ? lexiconFor(state)?.dictionary : state.lexicon?.dictionary;
    // The fields bridges read, not a copy of every field of the state made for every question.
    const bridgeIndex: BridgeIndex = {
      vocabulary: state.vocabulary,
      lexiconWords: state.lexiconWords,
      ...(state.commonWords ? { commonWords: state.commonWords } : {}),
      idf: index.lexicalIndex.idf,
      tokenize: analyzer.tokenize,
      cut: noGuessCut,
    };
    const lower = query.toLowerCase();
    const words: QueryWord[] = [];
    const glossaryStems = new Set<string>();
    const seen = new Set<string>();
    // English named glossary terms: the Chinese term stands for the English words (the hand glossary wins).
    for (const term of analyzer.findGlossaryTerms(query)) {
      const forms = term.en.filter((form) => lower.includes(form));
      if (forms.length === 0) continue;
      for (const form of forms) for (const word of form.match(LATIN_WORD) ?? []) glossaryStems.add(normalizeEnglishWord(word));
      for (const piece of analyzer.tokenize(term.zh)) {
        if (seen.has(piece)) continue;
        seen.add(piece);
        words.push({ word: piece, terms: [{ term: piece, weight: 1 }], namesConcept: false });
      }
    }
    // The article's terms as the question writes them: an unknown noun they act on is used in another sense.
    const heads = [
      ...chineseTerms.filter((term) => query.includes(term) && !isSetPhrase(term)),
      ...analyzer.glossary.terms.flatMap((term) => term.en.filter((form) => lower.includes(form))),
    ];
    const nouns = tokens.some((token) => CJK.test(token) && !state.vocabulary.has(token))
      ? nounsOf(jieba, query, (word) => state.vocabulary.has(word))
      : new Set<string>();
    const modifiers = nounsBeforeCorpusWords(jieba, query, nouns, state.vocabulary);
    const nameLike = new Set(
      (query.match(LATIN_WORD) ?? []).filter((word) => NAME_LIKE.test(word)).map((word) => normalizeEnglishWord(word.toLowerCase())),
    );
    const latinWords = lower.match(LATIN_WORD) ?? [];
    const latinStems = latinWords.map(normalizeEnglishWord);
    /** The question's English words as written, by stem, for reading their place in the question. */
    const surfaceOf = new Map(latinWords.map((word, position) => [latinStems[position] as string, word]));
    const glossaryHeads: GlossaryHeads = {
      chinese: chineseTerms,
      english: englishForms,
      isCorpusWord: (word) => state.vocabulary.has(word),
    };
    const extraTerms: WeightedTerm[] = [];
    for (const token of tokens) {
      if (seen.has(token)) continue;
      seen.add(token);
      if (glossaryStems.has(token)) {
        extraTerms.push({ term: token, weight: 1 });
        continue;
      }
      const terms: WeightedTerm[] = [{ term: token, weight: 1 }];
      if (dictionary && !state.vocabulary.has(token)) terms.push(...dictionaryBridges(dictionary, token, surfaceOf.get(token)));
      if (!state.vocabulary.has(token) && CJK.test(token) && !isGeneralWord(token, state)) {
        state.shortenedForms ??= createShortenedFormFinder(state.lexiconWords);
        for (const target of state.shortenedForms(token))
          if (!terms.some((term) => term.term === target)) terms.push({ term: target, weight: DICTIONARY_BRIDGE_WEIGHT });
      }
      // A two-character word no dictionary holds may abbreviate two corpus words (调参: 调整 + 参数): it names them.
      state.abbreviations ??= createAbbreviationFinder(state.passageTokens());
      // A word jieba's dictionary holds whole (模特) is a word of its own, not an abbreviation of two corpus words.
      const abbreviated =
        terms.length === 1 && !state.vocabulary.has(token) && state.commonWords?.has(token) !== true && !isDictionaryWord(token)
          ? state.abbreviations(token)
          : [];
      for (const target of abbreviated) terms.push({ term: target, weight: DICTIONARY_BRIDGE_WEIGHT });
      const unused = !state.vocabulary.has(token);
      // A word of a scale the corpus does not use ("slower") reaches the corpus's words of that scale ("更快", "takes longer").
      if (unused) terms.push(...scaleBridges(token, terms, bridgeIndex));
      // An everyday word for an aspect the corpus does not use ("pricier") reaches the words it is stated in.
      const aspect = unused ? aspectBridges(token, terms, bridgeIndex, dictionary?.everydaySenses?.[token]) : undefined;
      if (aspect) terms.push(...aspect.bridges);
      words.push({
        word: token,
        terms: indexedBridges(terms, bridgeIndex),
        namesConcept: nameLike.has(token) && unused,
        ...((
          unused
            ? (abbreviated.length === 0 && isGeneralWord(token, state)) || straddlesRepeatedVerb(query, token)
            : isGeneralCorpusCharacter(token, state) && !termPieces.has(token)
        )
          ? { general: true }
          : {}),
        ...(unused && (standsInSlot(query, token, surfaceOf) || modifiesTopicSlot(query, token, surfaceOf.get(token), glossaryHeads))
          ? { topicSlot: true }
          : {}),
        ...(aspect && aspect.targets.length > 0 ? { aspect: true, ...(aspect.askedAs === token ? {} : { aspectAs: aspect.askedAs }) } : {}),
        ...(unused && isGuessedName(jieba, token, state.commonWords) ? { guessed: true } : {}),
        ...(unused && modifiers.has(token) ? { modifiesCorpusWord: true } : {}),
        ...(!unused && state.commonWords?.has(token) === true && !glossaryTokens.has(token) && !state.headingWords.has(token)
          ? { commonLanguage: true }
          : {}),
        ...(unused && standsAsObject(query, surfaceOf.get(token) ?? token, heads, nouns) ? { objectSlot: true } : {}),
        // A noun by jieba's tag: after 哪个 a predicate may stand as well (哪个更费时间, 什么叫做).
        ...(unused && nouns.has(token) && asksForCategory(query, token) ? { askedCategory: true } : {}),
      });
    }
    // Only where a word is new to the corpus: a phrase with a piece the corpus lacks leaves one (更省 of 更省时间).
    if (bringsNewWords) words.push(...scalePhraseWords(query, seen, bridgeIndex));
    // English phrases of two or three words ("graphics card") bridge as a whole.
    if (dictionary) {
      for (let start = 0; start < latinStems.length; start += 1) {
        for (let length = 2; length <= 3 && start + length <= latinStems.length; length += 1) {
          // A hyphenated word is as many words of a phrase ("ready-made" of "a ready-made model": "ready made").
          const phrase = latinWords
            .slice(start, start + length)
            .map((word) => senseKey(word))
            .join(' ');
          // Direct senses only: a run of the question's words ("simple terms") is no word whose meaning two hops keep.
          for (const target of dictionary.english[phrase] ?? [])
            extraTerms.push({ term: indexedForm(target, bridgeIndex), weight: DICTIONARY_BRIDGE_WEIGHT });
        }
      }
    }
    const grouped = groupSearchPieces(words);
    const best = new Map<string, number>();
    for (const { term, weight } of [...grouped.flatMap((word) => word.terms), ...extraTerms])
      best.set(term, Math.max(weight, best.get(term) ?? 0));
    let asksForKind = false;
    for (const token of seen) if (ANSWER_KIND_TERMS.has(token)) asksForKind = true;
    // An English focus ("learning rate") stands for its glossary term's pieces, as the question's words do.
    const asksAmountOf = amountSubjectsOf(query, grouped, (text) => [
      ...analyzer.tokenize(separateKeyTerms(text)),
      ...analyzer.findGlossaryTerms(text).flatMap((term) => analyzer.tokenize(term.zh)),
    ]);
    const standIns = standInsOf(grouped, bridgeIndex);
    const compound = compoundTopicWords(query, grouped, {
      ...state,
      nouns,
      surfaceOf,
      isArticleWord: (word) => state.vocabulary.has(normalizeEnglishWord(word)) || glossaryTokens.has(normalizeEnglishWord(word)),
    });
    return {
      terms: [...best].map(([term, weight]) => ({ term, weight })),
      // For coverage, a compound naming something else (汽车模型) is not found where the corpus word inside it is.
      words: grouped.map((entry) => {
        const word = compound.has(entry.word) ? { ...entry, compoundTopic: true } : entry;
        const inside = CJK.test(word.word) ? corpusWordsOfOtherSenseCompound(jieba, word.word, state.vocabulary) : [];
        return inside.length === 0 ? word : { ...word, terms: word.terms.filter((term) => !inside.includes(term.term)) };
      }),
      asksForKind,
      ...(asksAmountOf ? { asksAmountOf } : {}),
      ...(standIns.size > 0 ? { standIns } : {}),
    };
  }

  /**
   * A word jieba only guessed (its dictionary cut without HMM splits it) that glues a function character to a word the
   * corpus does not use (调参算 of 调参算调教还是微调, 要花): the word without it, so its bridges are found (调参 → 调整,
   * 参数). Any other token is kept as cut.
   */
  function unglued(token: string, state: IndexState): string[] {
    if (!CJK.test(token) || state.vocabulary.has(token) || glossaryByZh.has(token)) return [token];
    const pieces = jieba.cut(token, false);
    if (pieces.length < 2) return [token];
    const from = isStopword(pieces[0] as string) ? 1 : 0;
    const to = isStopword(pieces[pieces.length - 1] as string) ? pieces.length - 1 : pieces.length;
    const rest = pieces.slice(from, to).join('');
    if (rest === token || [...rest].length < 2) return [token];
    return [rest];
  }

  /**
   * A word jieba joins of a localizer and what follows it, right after a corpus word (里加 "Riga" of 例子里加辣椒, 模型里加
   * 一层): the localizer belongs to the word before (例子里, "in the example"), so the rest is the question's word.
   */
  function withoutLocalizer(token: string, before: string | undefined, query: string, state: IndexState): string {
    if (before === undefined || !LOCALIZED.test(token) || state.vocabulary.has(token) || !state.vocabulary.has(before)) return token;
    return query.includes(before + token) ? token.slice(1) : token;
  }

  /**
   * A glossary term jieba's dictionary holds as an idiom or set phrase (从头开始, 试验和错误): a whole predicate, which
   * takes no object, so the word after it (从头开始学: "learn") is no object used in another sense.
   */
  const setPhrases = new Map<string, boolean>();
  function isSetPhrase(term: string): boolean {
    let known = setPhrases.get(term);
    if (known === undefined) {
      const tagged = jieba.tag(term, true);
      known = tagged.length === 1 && SET_PHRASE_TAG.test((tagged[0] as { tag: string }).tag);
      setPhrases.set(term, known);
    }
    return known;
  }

  function glossesOf(word: string): readonly string[] {
    const fromGlossary = glossaryByZh.get(word)?.gloss;
    const fromDictionary = stateOf(deps.getIndex()).lexicon?.dictionary.glosses[word] ?? [];
    return fromGlossary === undefined ? fromDictionary : [fromGlossary, ...fromDictionary.filter((gloss) => gloss !== fromGlossary)];
  }

  return { prepare, correct, analyze, glossesOf };
}

/**
 * A word the corpus does not use that opens the compound standing in the topic slot ("量子计算是什么？": 量子 before 计算):
 * the compound is the concept asked, which the article never names though its last word is the article's. Not when
 * that word heads glossary terms (模型 of 预训练模型, 微调): "开源模型", "传统微调" name a kind of the article's own thing;
 * nor when it asks for a kind of answer ("厨房故事里…": the kitchen story is the analogy asked for).
 */
function modifiesTopicSlot(query: string, token: string, surface: string | undefined, heads: GlossaryHeads): boolean {
  if (!CJK.test(token)) return surface !== undefined && modifiesEnglishTopicSlot(query, surface, heads.english, heads.isCorpusWord);
  const { chinese: glossaryTerms, isCorpusWord } = heads;
  const at = query.indexOf(token);
  if (at < 0) return false;
  // A compound, not a phrase: "开源的预训练模型" is a 预训练模型 the article names, described.
  const following = /^(?!的)[\u3400-\u9fff]{1,4}/.exec(query.slice(at + token.length))?.[0] ?? '';
  for (let length = 1; length <= following.length; length += 1) {
    const head = following.slice(0, length);
    if (ANSWER_KIND_TERMS.has(head)) return false;
    if (isCorpusWord(head) && standsInTopicSlot(query, token + head)) return !glossaryTerms.some((term) => term.endsWith(head));
  }
  return false;
}

/** What modifiesTopicSlot asks of the corpus: the glossary's forms in each language, and whether a word is the corpus's. */
interface GlossaryHeads {
  readonly chinese: readonly string[];
  readonly english: readonly string[];
  readonly isCorpusWord: (word: string) => boolean;
}

/**
 * The same in English: an unseen word before a corpus word that together stand in the topic slot ("What is quantum
 * computing?": "computing" is the article's, of "computing resources"); not before the last word of a glossary form
 * ("an open-source model": a kind of pre-trained model) nor before a word asking for a kind of answer.
 */
function modifiesEnglishTopicSlot(
  query: string,
  surface: string,
  glossaryForms: readonly string[],
  isCorpusWord: (word: string) => boolean,
): boolean {
  const at = query.toLowerCase().indexOf(surface.toLowerCase());
  if (at < 0) return false;
  const next = /^\s+([a-z][a-z-]*)/i.exec(query.slice(at + surface.length))?.[1];
  if (next === undefined) return false;
  const stem = normalizeEnglishWord(next);
  if (ANSWER_KIND_TERMS.has(stem) || !isCorpusWord(stem)) return false;
  if (!standsInEnglishTopicSlot(query, `${surface} ${next}`)) return false;
  return !glossaryForms.some((form) => form.toLowerCase().endsWith(next.toLowerCase()));
}

/** standsInTopicSlot for a Chinese token; for an English one, its written form in the English slots. */
function standsInSlot(query: string, token: string, surfaceOf: ReadonlyMap<string, string>): boolean {
  if (CJK.test(token)) return standsInTopicSlot(query, token);
  const surface = surfaceOf.get(token);
  return surface !== undefined && standsInEnglishTopicSlot(query, surface);
}

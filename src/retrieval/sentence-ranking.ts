import type { CorpusIndex } from '../index/corpus-index-store.js';
import type { ChunkRecord } from '../ingest/chunk-types.js';
import { splitSentences } from '../ingest/sentence-splitter.js';
import { boundedMemo } from '../support/bounded-memo.js';
import type { AnalyzedQuery } from './analyzed-query.js';
import { asksForKindOnly } from './coverage.js';
import { type CueSentence, carriesCue, type EvidenceKind, SHARED_HEADING } from './evidence-cues.js';
import {
  ANAPHORIC_OPENING,
  compoundHeadOf,
  openingOf,
  openingTopicOf,
  sharesToken,
  type TopicOpening,
  topicOpenings,
} from './sentence-openings.js';
import { bestSidePair, type SideOpenings, type SideSentence, sideOf } from './side-pairs.js';
import type { TextAnalyzer } from './text-analyzer.js';

export interface SentenceRankingSettings {
  /**
   * Credit of a question word found in the passage's headings or elsewhere in the passage rather than in the sentence
   * itself: the context makes a sentence under "4. 时间和资源" an answer on time, but less than the sentence saying it.
   * @default 0.4
   */
  readonly contextCredit: number;
  /**
   * Credit of a question word that the passage's headings name: a section is about what its heading says ("2. 训练过程"
   * for "在训练过程上有什么不同"), more than about a word found elsewhere in it, less than the sentence saying it.
   * @default 0.6
   */
  readonly headingCredit: number;
  /** Added to a sentence that holds a question word and carries the cue of the question's kind (例如, 但也可能, 因为). @default 0.3 */
  readonly cueBonus: number;
  /**
   * The cue bonus of a risk question instead: what may go wrong is the whole of what it asks ("微调有什么坏处？" has no
   * other word than its topic, which every passage on the topic holds), so a sentence without the cue does not answer
   * it however well it names the topic. The same holds of a question on what two things share ("有什么相同的地方？"
   * names nothing but its two topics, which the introduction names too): the section headed so is what it asks.
   * @default 0.5
   */
  readonly riskCueBonus: number;
  /**
   * What a sentence without the risk cue keeps of its word score on a risk question: "**应用**:通常是直接使用预训练模型…"
   * names every word of "直接拿预训练模型来用，有啥短板？" and no shortcoming, "**应用**:…但可能效果不如微调" names one.
   * @default 0.7
   */
  readonly uncuedRiskShare: number;
  /** Weight of the fused vector + BM25 rank score (normalised to the best candidate's) beside the sentence score. @default 0.3 */
  readonly passageWeight: number;
  /**
   * Added to a sentence that opens with a question word (after list markup: "**微调**:…", "调教则是…"): a sentence is
   * about what it opens with, so "**微调**:…但也可能过拟合" answers a question on fine-tuning's risks before
   * "**应用**:…但可能效果不如微调".
   * @default 0.1
   */
  readonly openingBonus: number;
  /**
   * Weight of a respect the question asks about in everyday words (aspect-words.ts `respectsAsked`: "accuracy",
   * "各自是为了什么", "pros and cons") as a share of the question's heaviest word: the section headed by the respect's
   * name ("3. 效果", "1. 目的") is what such a question asks for, though its sentences rarely use the learner's word, and
   * a sentence that uses the word in another sense ("更准确地传达你的意图" for "accuracy") would otherwise win on it.
   * @default 1
   */
  readonly respectShare: number;
  /**
   * Credit of a respect asked in a sentence that states it in its own words (aspect-words.ts: a cost in time and
   * resources) outside a section headed by it: a bridge, weighed as a dictionary bridge is, below the section's heading.
   * @default 0.5
   */
  readonly statedRespectCredit: number;
  /**
   * Share of the highest IDF that the commonest question words still weigh. Lower than coverage's floor: ranking is
   * decided by the words that tell passages apart (目的, 共性), coverage by whether the question's words are there at all.
   * @default 0.2
   */
  readonly weightFloor: number;
  /**
   * Added to a pair of sentences of one passage that open with the two sides of a question setting two things against
   * each other (side-pairs.ts): "**应用**:…" and "**微调**:…" state the contrast together, above an introduction that
   * names both in one sentence and says only that they differ. The cue of a difference, which has no word of its own;
   * a comparison's cue is its comparative (cueBonus).
   * @default 0.3
   */
  readonly pairBonus: number;
}

export const defaultSentenceRankingSettings: SentenceRankingSettings = {
  contextCredit: 0.4,
  headingCredit: 0.6,
  cueBonus: 0.3,
  riskCueBonus: 0.5,
  uncuedRiskShare: 0.7,
  passageWeight: 0.3,
  weightFloor: 0.2,
  openingBonus: 0.1,
  respectShare: 1,
  statedRespectCredit: 0.5,
  pairBonus: 0.3,
};

/** One sentence of a passage with the tokens of the sentence and of its aligned rendering. */
interface RankingSentence extends CueSentence {
  readonly tokens: ReadonlySet<string>;
  /** The original without list markup, bold markers and quotes, lower-cased (for what it opens with). */
  readonly opening: string;
  /** The same of the aligned rendering, when there is one. */
  readonly renderingOpening?: string;
}

/** What ranking keeps of one passage: its sentences, its heading tokens and all its tokens. */
/** What joins the two things a title sets side by side ("模型应用与大模型微调的区别", "A and B"). */
const TITLE_JOINER = /与|和|跟|及|\band\b|\bvs\.?/;

interface RankingPassage {
  readonly sentences: readonly RankingSentence[];
  readonly headingTokens: ReadonlySet<string>;
  readonly tokens: ReadonlySet<string>;
  /**
   * For a section headed as what things share ("共性"), the tokens of its document's title and the title's sides (the
   * things it joins, "模型应用" | "大模型微调的区别"): each sentence says it of both ("都需要较高的计算资源" of 模型应用
   * and 微调), as if it named them, to a question asking about both.
   */
  readonly saidOf?: { readonly tokens: ReadonlySet<string>; readonly sides: readonly string[] };
}

/** A topical question word with its weight (IDF with a floor) and the terms that stand for it. */
interface RankingWord {
  readonly weight: number;
  /** The word's terms of positive weight, each once at its best weight, heaviest first (see `creditIn`). */
  readonly terms: readonly { readonly term: string; readonly weight: number }[];
}

/** A word's terms for `creditIn`: the best weight of each, heaviest first, so the first one a sentence holds is its credit. */
function rankedTerms(terms: readonly { readonly term: string; readonly weight: number }[]): RankingWord['terms'] {
  const best = new Map<string, number>();
  for (const { term, weight } of terms) if (weight > (best.get(term) ?? 0)) best.set(term, weight);
  return [...best].map(([term, weight]) => ({ term, weight })).sort((left, right) => right.weight - left.weight);
}

/** A respect the question asks about in other words: the words its headings use and the words it is stated in. */
export interface RespectAsked {
  readonly heading: readonly string[];
  readonly statedIn: readonly string[];
}

/** A respect as a ranking word: its heading terms, and the terms a sentence states it in (see `respectWords`). */
interface RespectWord extends RankingWord {
  readonly statedIn: RankingWord;
}

/** Passages remembered per ranker (least recently used dropped first), so a passage is cut into sentences once. */
const MAX_REMEMBERED_PASSAGES = 5000;

/**
 * Sentence-level ranking with the passage as context: each candidate passage is scored by its best sentence (the
 * IDF-weighted share of the question's topic words the sentence holds, in the original or its aligned English
 * rendering, words found only in the headings or elsewhere in the passage earning `contextCredit`), plus `cueBonus`
 * when that sentence carries the discourse cue of the question's kind, plus the fused vector/BM25 score. A long passage
 * no longer wins by holding each word somewhere, nor a short one (an introduction, a heading-only passage) by being
 * short: the passage that says the thing in one sentence does.
 */
export function createSentenceRanker(deps: { readonly analyzer: TextAnalyzer; readonly settings?: Partial<SentenceRankingSettings> }) {
  const settings: SentenceRankingSettings = { ...defaultSentenceRankingSettings, ...deps.settings };
  const { analyzer } = deps;
  const passages = new Map<ChunkRecord, RankingPassage>();
  /** A heading path's tokens, remembered by the joined path. */
  const headingPathTokens = boundedMemo(MAX_REMEMBERED_PASSAGES, (path: string): ReadonlySet<string> => new Set(analyzer.tokenize(path)));
  function headingTokensOf(headings: readonly string[] | undefined): readonly string[] {
    if (headings === undefined || headings.length === 0) return [];
    return [...headingPathTokens(headings.join(' / '))];
  }

  /** A topic's (or a respect word's) tokens, remembered per word. */
  const topicTokensOf = boundedMemo(MAX_REMEMBERED_PASSAGES, (topic: string): ReadonlySet<string> => new Set(analyzer.tokenize(topic)));
  /** compoundHeadOf, remembered per topic. */
  const headOf = boundedMemo(MAX_REMEMBERED_PASSAGES, (topic: string): string | undefined =>
    compoundHeadOf(topic, (text) => analyzer.tokenize(text)),
  );

  function passageOf(chunk: ChunkRecord): RankingPassage {
    const known = passages.get(chunk);
    if (known) {
      passages.delete(chunk);
      passages.set(chunk, known);
      return known;
    }
    const headingText = [...chunk.headingPath, ...(chunk.translation?.headingPath ?? [])].join(' / ');
    const spans = splitSentences(chunk.text);
    const rendered = chunk.translation?.sentences;
    const aligned = rendered !== undefined && rendered.length === spans.length;
    const sentences: RankingSentence[] = spans.map((span, index) => {
      const original = chunk.text.slice(span.start, span.end);
      const rendering = aligned ? (rendered[index] as string) : undefined;
      return {
        original,
        opening: openingOf(original),
        headings: headingText,
        ...(rendering === undefined ? {} : { rendering, renderingOpening: openingOf(rendering) }),
        tokens: new Set(analyzer.tokenize(`${original}\n${rendering ?? ''}`)),
      };
    });
    // A rendering that does not align sentence by sentence is ranked by its own sentences.
    if (!aligned && chunk.translation !== undefined) {
      const text = chunk.translation.text;
      for (const span of splitSentences(text)) {
        const rendering = text.slice(span.start, span.end);
        sentences.push({
          original: '',
          opening: '',
          rendering,
          renderingOpening: openingOf(rendering),
          headings: headingText,
          tokens: new Set(analyzer.tokenize(rendering)),
        });
      }
    }
    // The document's title heads every section of it: "**应用**:…" in a document on 模型应用 is about 模型应用.
    const headings = new Set([
      ...headingTokensOf([chunk.title]),
      ...headingTokensOf(chunk.headingPath),
      ...headingTokensOf(chunk.translation?.headingPath),
    ]);
    const tokens = new Set(headings);
    for (const sentence of sentences) for (const token of sentence.tokens) tokens.add(token);
    const saidOf = SHARED_HEADING.test(headingText)
      ? { tokens: new Set(headingTokensOf([chunk.title])), sides: chunk.title.split(TITLE_JOINER) }
      : undefined;
    const passage: RankingPassage = { sentences, headingTokens: headings, tokens, ...(saidOf ? { saidOf } : {}) };
    passages.set(chunk, passage);
    if (passages.size > MAX_REMEMBERED_PASSAGES) passages.delete(passages.keys().next().value as ChunkRecord);
    return passage;
  }

  /**
   * Scores of the candidates, in the order given. `fused` is each candidate's fused rank score; `kind` the evidence the
   * question asks for; `topics` the question's topic words as a defining sentence would name them (微调, fine-tuning);
   * `respects` the heading and statement words of each respect the question asks about in other words (see
   * `respectShare`); `named` the glossary terms the question names (Chinese), which tell whether it asks about both
   * things a document's title joins; `sides` the forms of each of the two (or more) things a question sets against
   * each other (empty when it compares nothing), whose side-by-side sentences `pairBonus` rewards.
   */
  function score(
    query: AnalyzedQuery,
    index: CorpusIndex,
    candidates: readonly { readonly chunk: ChunkRecord; readonly fused: number }[],
    kind: EvidenceKind | undefined,
    topics: readonly string[],
    respects: readonly RespectAsked[] = [],
    named: readonly string[] = [],
    sides: readonly (readonly string[])[] = [],
  ): number[] {
    const { lexicalIndex } = index;
    const floor = settings.weightFloor * lexicalIndex.idf('\u0000unseen');
    // A word no passage holds (nor any of its bridges) tells no passage from another: coverage deals with it.
    const words: RankingWord[] = query.words
      .filter((word) => !asksForKindOnly(word) && word.terms.some((term) => lexicalIndex.has(term.term)))
      // A word of general language (不多, "wrong", 好) weighs as little as the corpus's commonest words: its bridges are
      // loose, and as an unseen word its IDF would otherwise be the highest of the question. Unless it stands in the
      // topic slot ("…在结果上有什么差别") or names an aspect ("differ in cost"): then it is what the question asks about.
      .map((word) => ({
        weight: word.general && !word.topicSlot && !word.aspect ? floor : Math.max(lexicalIndex.idf(word.word), floor),
        terms: rankedTerms(word.terms),
      }));
    const asked = respectWords(respects, words, lexicalIndex);
    const total = [...words, ...asked].reduce((sum, word) => sum + word.weight, 0);
    const bestFused = Math.max(0, ...candidates.map((candidate) => candidate.fused));
    const cueBonus = kind === 'risk' || kind === 'shared' || kind === 'analogy' ? settings.riskCueBonus : settings.cueBonus;
    // Once per call, not per sentence: each topic's lower-case form, head word and tokens.
    const openings = topicOpenings(topics, headOf, topicTokensOf);
    const sideOpenings: SideOpenings[] = sides.length >= 2 ? sides.map((forms) => topicOpenings(forms, headOf, topicTokensOf)) : [];
    const weights = words.map((word) => word.weight);
    // Plain loops over reused arrays: this runs for every sentence of 30 passages per search, and closures or arrays
    // made per sentence were a good part of what an answer allocates (hence of its garbage-collection pauses).
    const context: number[] = new Array(words.length).fill(0);
    return candidates.map(({ chunk, fused }) => {
      const passage = passageOf(chunk);
      const prior = bestFused > 0 ? (settings.passageWeight * fused) / bestFused : 0;
      // A summary asked with no word of its own (这篇文章主要讲了什么: the search passes none) is the sections headed as one,
      // the article's own (a top-level heading) before a section's (the analogy's "总结"); what the vector or BM25 found
      // for such words says nothing of the article.
      if (total === 0 && kind === 'summary')
        return passage.sentences.some((sentence) => carriesCue('summary', sentence, topics))
          ? cueBonus / Math.max(1, chunk.headingPath.length)
          : 0;
      if (total === 0) return prior;
      for (let position = 0; position < words.length; position += 1)
        context[position] = Math.max(
          settings.contextCredit * creditIn(words[position] as RankingWord, passage.tokens),
          settings.headingCredit * creditIn(words[position] as RankingWord, passage.headingTokens),
        );
      // A respect is credited in full by the passage's headings: it is the section's subject, not a word to find in a
      // sentence (训练 of "2. 训练过程" is in half the article's sentences). The others, by a sentence stating them.
      let headed = 0;
      const unheaded: RespectWord[] = [];
      for (const respect of asked)
        if (creditIn(respect, passage.headingTokens) > 0) headed += respect.weight;
        else unheaded.push(respect);
      // A question naming a term of each side of the title (模型应用和微调…) asks about both.
      const bothAsked =
        passage.saidOf !== undefined && passage.saidOf.sides.filter((side) => named.some((term) => side.includes(term))).length >= 2;
      let best = 0;
      const sideSentences: SideSentence[] = [];
      // The topic the sentence before opened with, which a sentence opening with an anaphor carries on.
      let carried: TopicOpening | undefined;
      for (const sentence of passage.sentences) {
        const opened = openingTopicOf(sentence, openings) ?? (ANAPHORIC_OPENING.test(sentence.opening) ? carried : undefined);
        carried = opened;
        // Credited with the topic's words only when it does not name the topic itself.
        const inherited = opened !== undefined && !sharesToken(opened.tokens, sentence.tokens) ? opened : undefined;
        let found = headed;
        // …or by a sentence stating it in its own words ("都需要较高的计算资源" states a cost under "共性").
        for (const respect of unheaded)
          if (creditIn(respect.statedIn, sentence.tokens) > 0) found += settings.statedRespectCredit * respect.weight;
        let holdsWord = false;
        const side = sideOpenings.length > 0 ? sideOf(sentence, sideOpenings, kind === 'analogy') : -1;
        const credits: number[] | undefined = side >= 0 ? [] : undefined;
        const stated = found - headed;
        for (let position = 0; position < words.length; position += 1) {
          const word = words[position] as RankingWord;
          const credit = Math.max(
            creditIn(word, sentence.tokens),
            inherited ? creditIn(word, inherited.tokens) : 0,
            bothAsked ? creditIn(word, (passage.saidOf as NonNullable<RankingPassage['saidOf']>).tokens) : 0,
          );
          if (credit > 0) holdsWord = true;
          credits?.push(credit);
          found += word.weight * Math.max(credit, context[position] as number);
        }
        let value = found / total;
        const cued = kind !== undefined && holdsWord && carriesCue(kind, sentence, topics);
        if (credits) sideSentences.push({ side, credits, stated, cued });
        if (cued) value += cueBonus;
        // A risk question asks for nothing but what may go wrong: a sentence that names none answers it only in part.
        else if (kind === 'risk') value *= settings.uncuedRiskShare;
        if (holdsWord && opened !== undefined) value += settings.openingBonus;
        if (value > best) best = value;
      }
      if (sideSentences.length >= 2) {
        // A comparative sentence states the comparison itself ("调教这个词通常更广义"): a pair outranks it only by holding more.
        const pairBonus = kind === undefined ? settings.pairBonus : 0;
        const { openingBonus } = settings;
        best = Math.max(best, bestSidePair(sideSentences, { weights, context, headed, total, pairBonus, openingBonus, cueBonus }));
      }
      return best + prior;
    });
  }

  /**
   * One ranking word per respect asked whose heading words the corpus uses and the question does not already name
   * ("效果" asked as 效果 weighs once), at `respectShare` of the question's heaviest word; `score` credits it in full
   * to every sentence of a passage whose headings name it, and at `statedRespectCredit` to a sentence elsewhere that
   * states it. Heading and statement words are tokenized once per word (the ranker's memo), not once per search.
   */
  function respectWords(
    respects: readonly RespectAsked[],
    words: readonly RankingWord[],
    lexicalIndex: CorpusIndex['lexicalIndex'],
  ): RespectWord[] {
    const named = new Set(words.flatMap((word) => word.terms.map((term) => term.term)));
    const heaviest = Math.max(0, ...words.map((word) => word.weight));
    const termsOf = (forms: readonly string[]) =>
      [...new Set(forms.flatMap((form) => [...topicTokensOf(form)]))]
        .filter((term) => lexicalIndex.has(term))
        .map((term) => ({ term, weight: 1 }));
    const added: RespectWord[] = [];
    for (const respect of respects) {
      const terms = termsOf(respect.heading);
      if (terms.length === 0 || terms.some(({ term }) => named.has(term))) continue;
      added.push({ weight: settings.respectShare * heaviest, terms, statedIn: { weight: 0, terms: termsOf(respect.statedIn) } });
    }
    return added;
  }

  return { score };
}

/** The best weight among a word's terms that `tokens` holds (1 for the word itself, 0.5 for a dictionary bridge). */
function creditIn(word: RankingWord, tokens: ReadonlySet<string>): number {
  for (const term of word.terms) if (tokens.has(term.term)) return term.weight;
  return 0;
}

export type SentenceRanker = ReturnType<typeof createSentenceRanker>;

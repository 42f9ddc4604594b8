import type { EmbeddingsInterface } from '@langchain/core/embeddings';
import type { CorpusIndex } from '../index/corpus-index-store.js';
import type { ChunkRecord } from '../ingest/chunk-types.js';
import type { GlossaryTerm } from '../ingest/glossary.js';
import type { AnalyzedQuery } from './analyzed-query.js';
import { sentencesWithRenderings } from './asked-amount.js';
import { asksToCompare, aspectStatementWordsOf, respectStatementWords, respectsAsked } from './aspect-words.js';
import { asksForKindOnly, asksForSummaryOfTheWhole, measureCoverage, passageTokenSet, summarySections } from './coverage.js';
import { ANALOGY_QUESTION, ASKS_DIFFERENCE, type EvidenceKind, evidenceKindOf, RELATION_QUESTION } from './evidence-cues.js';
import { createQueryUnderstanding, type QueryUnderstanding } from './query-understanding.js';
import type { PassageSearch, PassageSearchOptions, QueryBridge, RetrievalResult, RetrievedPassage } from './retrieval-types.js';
import { createSentenceRanker, type SentenceRankingSettings } from './sentence-ranking.js';
import type { TextAnalyzer } from './text-analyzer.js';
import { searchWeighted } from './weighted-lexical-search.js';

export interface HybridSearchSettings {
  /**
   * Minimum evidence (IDF-weighted share of the query's content terms found in the best passages) for a query to count
   * as covered by the corpus. Calibrated with `npm run eval -- --calibrate`: cases.json is flat (verdict accuracy 0.964)
   * over 0.15-0.40, so the setting sits inside that plateau rather than at its edge, checked on the held-out set.
   * @default 0.3
   */
  readonly coverageThreshold: number;
  /** Candidates taken from each of the vector and lexical indexes before fusion. @default 20 */
  readonly candidatePool: number;
  /** Reciprocal rank fusion constant: larger flattens the advantage of the first ranks. @default 60 */
  readonly rrfK: number;
  /** How many of the best fused passages the coverage is measured over. @default 3 */
  readonly coverageDepth: number;
  /**
   * Results remembered per index build (least recently used dropped first; 0 turns the cache off). A search is a pure
   * function of the query, k and the index, and many learners ask the same questions (and the follow-up suggester
   * checks the same candidate questions again and again), so repeated searches cost a Map lookup.
   * @default 2000
   */
  readonly resultCacheSize: number;
  /** How many of the best fused candidates are ranked again by their best sentence (sentence-ranking.ts). @default 30 */
  readonly rerankDepth: number;
  /** Settings of the sentence-level ranking. @default defaultSentenceRankingSettings */
  readonly sentenceRanking?: Partial<SentenceRankingSettings>;
}

export const defaultHybridSearchSettings: HybridSearchSettings = {
  coverageThreshold: 0.3,
  candidatePool: 20,
  rrfK: 60,
  coverageDepth: 3,
  resultCacheSize: 2000,
  rerankDepth: 30,
};

export interface HybridPassageSearchDeps {
  /** The index to search; a function so that a rebuilt index can be swapped in while serving. */
  readonly getIndex: () => CorpusIndex;
  readonly analyzer: TextAnalyzer;
  readonly embeddings: EmbeddingsInterface;
  readonly settings?: Partial<HybridSearchSettings>;
  /** Weighted terms and topic words of a query (dictionary bridges). @default the analyzer and hand glossary alone */
  readonly understanding?: Pick<QueryUnderstanding, 'analyze'>;
}

/**
 * Words that set two things against each other, beside a difference and a comparative (evidence-cues.ts), or ask the
 * same of each of them (分别, 各自, "each": "模型应用和微调分别是拿来干嘛的？").
 */
const SETS_AGAINST =
  /对比|相比|分别|各自|\beach\b|\brespectively\b|(?:跟|和|与)[^，。？?]{1,12}比(?![方喻如])|\bcompar(?:e|ed|es|ing|ison)\b|\bvs\.?|\bversus\b|trade-?offs?|优缺点|优劣|利弊|pros and cons/i;

/**
 * A question that sets things against each other: how they differ, which is more so, how they compare. Not a choice of
 * the word for something ("…算微调还是调教？", "Is that fine-tuning or tuning?": the fitting side's definition answers
 * it) nor what both share; and only when it asks for nothing else: a reason, an example, a risk or an amount asked of
 * the two is the sentence that gives it ("为什么微调和调教不同？" asks for the 因为, not for the two sides again). When to
 * use each of two ("什么时候用微调，什么时候用调教？") is the pair of their conditions, and how two differ in the analogy
 * ("With the chef and the beef stew, how do fine-tuning and tuning differ?") the pair of their figures.
 */
const asksAboutTwo = (query: string, kind: EvidenceKind | undefined): boolean =>
  kind === 'comparison' ||
  kind === 'condition' ||
  ((kind === undefined || kind === 'analogy') && (ASKS_DIFFERENCE.test(query) || SETS_AGAINST.test(query)));

/**
 * The sides a comparing question names, for the sentence ranking's side pairs: each glossary term it names with its
 * English forms, but not a term inside another it names (预训练 of 预训练模型). Fewer than two is none.
 */
function sidesOf(named: readonly GlossaryTerm[]): (readonly string[])[] {
  const outer = named.filter((term) => !named.some((other) => other !== term && other.zh.includes(term.zh)));
  return outer.length >= 2 ? outer.map((term) => [term.zh, ...term.en]) : [];
}

/** The frame patterns of the kinds `withoutFrame` reads, global for matchAll (compiled once, not per search). */
const FRAMES_OF_KIND: Readonly<Record<string, RegExp | undefined>> = {
  relation: new RegExp(RELATION_QUESTION.source, 'gi'),
  analogy: new RegExp(ANALOGY_QUESTION.source, 'gi'),
};

/**
 * A question without the words of its frame, for ranking: a relation's ("…调教的一部分？", "a kind of") name the relation
 * asked, which the relation cue finds, not a topic ("一部分" would match "部分或全部参数"); an analogy's ("在烹饪的比喻里",
 * "in the cooking analogy", "the chef") name the figure, whose sections the analogy cue finds, and would otherwise rank
 * the passage that says 烹饪 or 厨师 most above the one on the asked topic.
 */
function withoutFrame(
  analyzed: AnalyzedQuery,
  query: string,
  kind: EvidenceKind | undefined,
  englishFormsOf: (zh: string) => readonly string[],
): AnalyzedQuery {
  const pattern = FRAMES_OF_KIND[kind ?? ''];
  if (pattern === undefined) return analyzed;
  const frames = [...query.matchAll(pattern)].map((match) => match[0].toLowerCase());
  // A word asked in English stands as its glossary term (烹饪 for "cooking"): its English forms are what the frame holds.
  const inFrame = (form: string): boolean => frames.some((frame) => frame.includes(form.toLowerCase()));
  const words = analyzed.words.filter((word) => !inFrame(word.word) && !englishFormsOf(word.word).some(inFrame));
  // A question of nothing but its frame ("讲讲那个做菜的比喻") keeps its words: the figure is then what it asks about.
  return words.length > 0 ? { ...analyzed, words } : analyzed;
}

/** A scored candidate before overlap removal. */
interface Candidate {
  readonly position: number;
  score: number;
  vectorSimilarity?: number;
  lexicalScore?: number;
}

/**
 * Hybrid retrieval: HNSW cosine search over embeddings and BM25 over jieba tokens, fused by reciprocal rank, with
 * overlapping or duplicate passages removed and a "not covered" verdict when the query's content terms are mostly
 * absent from the best passages (so questions outside the article are not answered from unrelated text).
 */
export function createHybridPassageSearch(deps: HybridPassageSearchDeps): PassageSearch & {
  /** Scores without the coverage cut, for calibration and diagnostics. */
  searchWithEvidence(
    query: string,
    options?: PassageSearchOptions,
  ): Promise<RetrievalResult & { readonly ranked: readonly RetrievedPassage[] }>;
} {
  const settings: HybridSearchSettings = { ...defaultHybridSearchSettings, ...deps.settings };
  const understanding = deps.understanding ?? createQueryUnderstanding({ analyzer: deps.analyzer, getIndex: deps.getIndex });
  const sentenceRanker = createSentenceRanker({
    analyzer: deps.analyzer,
    ...(settings.sentenceRanking ? { settings: settings.sentenceRanking } : {}),
  });
  const englishFormsByZh = new Map(deps.analyzer.glossary.terms.map((term) => [term.zh, term.en]));
  type EvidenceResult = RetrievalResult & { readonly ranked: readonly RetrievedPassage[] };
  /** One cache per index object: a rebuilt index swapped in starts with an empty cache, and the old one is collected. */
  const caches = new WeakMap<CorpusIndex, Map<string, Promise<EvidenceResult>>>();

  function searchWithEvidence(query: string, options: PassageSearchOptions = {}): Promise<EvidenceResult> {
    const k = options.k ?? 4;
    const index = deps.getIndex();
    if (settings.resultCacheSize <= 0) return computeSearch(index, query, k);
    let cache = caches.get(index);
    if (!cache) caches.set(index, (cache = new Map()));
    const key = `${k}\u0000${query}`;
    const cached = cache.get(key);
    if (cached) {
      // Map order is recency order: move the entry to the end.
      cache.delete(key);
      cache.set(key, cached);
      return cached;
    }
    const pending = computeSearch(index, query, k);
    cache.set(key, pending);
    // A failed search is not remembered: the next caller tries again.
    pending.catch(() => cache.delete(key));
    while (cache.size > settings.resultCacheSize) cache.delete(cache.keys().next().value as string);
    return pending;
  }

  async function computeSearch(index: CorpusIndex, query: string, k: number): Promise<EvidenceResult> {
    const analyzed = understanding.analyze(query);
    const tokens = analyzed.terms;
    const candidates = new Map<number, Candidate>();
    const candidate = (position: number): Candidate => {
      let found = candidates.get(position);
      if (!found) candidates.set(position, (found = { position, score: 0 }));
      return found;
    };

    const total = index.chunks.length;
    const pool = Math.min(settings.candidatePool, total);
    if (tokens.length > 0 && pool > 0) {
      const queryVector = await deps.embeddings.embedQuery(query);
      // The adapter picks ef for this query and reports cosine similarity (higher is closer).
      index.vectorIndex.search(queryVector, pool).forEach(({ position, similarity }, rank) => {
        if (similarity <= 0) return; // Orthogonal vectors share no feature at all: not evidence.
        const entry = candidate(position);
        entry.score += 1 / (settings.rrfK + rank + 1);
        entry.vectorSimilarity = similarity;
      });
      searchWeighted(index.lexicalIndex, tokens, pool).forEach((hit, rank) => {
        const entry = candidate(hit.position);
        entry.score += 1 / (settings.rrfK + rank + 1);
        entry.lexicalScore = hit.score;
      });
    }

    // A summary asked in words no passage holds ("the main takeaway", 核心观点) still reaches the sections headed as one,
    // which the sentence ranking's summary cue weighs; otherwise it ranked passages the vector only brushed.
    const kind = evidenceKindOf(query);
    const summaries = kind === 'summary' ? new Set(summarySections(index)) : undefined;
    if (summaries) for (const position of summaries) candidate(position);
    const fused = [...candidates.values()].sort((left, right) => right.score - left.score || left.position - right.position);
    // The best fused candidates again, by their best sentence with the passage as context and the question's kind; the
    // summary sections for a summary whatever their fused rank ("这篇文章主要讲了什么" shares no word with them).
    const head = fused.filter((entry, rank) => rank < settings.rerankDepth || summaries?.has(entry.position) === true);
    const rest = fused.filter((entry, rank) => rank >= settings.rerankDepth && summaries?.has(entry.position) !== true);
    // What a defining or opening sentence would name: the question's words and the glossary terms it names, both languages.
    const named = deps.analyzer.findGlossaryTerms(query);
    const topics = [
      ...named.flatMap((term) => [term.zh, ...term.en]),
      ...analyzed.words.flatMap((word) => [word.word, ...(englishFormsByZh.get(word.word) ?? [])]),
    ];
    // A summary of the whole is ranked by the summary cue alone: its words (文章, 主要, "article") name nothing in it.
    const ofTheWhole =
      kind === 'summary' &&
      asksForSummaryOfTheWhole(
        analyzed.words.filter((word) => !asksForKindOnly(word)),
        query,
        deps.analyzer.tokenize,
      );
    const sentenceScores = sentenceRanker.score(
      ofTheWhole ? { ...analyzed, words: [] } : withoutFrame(analyzed, query, kind, (zh) => englishFormsByZh.get(zh) ?? []),
      index,
      head.map((entry) => ({ chunk: index.chunks[entry.position] as ChunkRecord, fused: entry.score })),
      kind,
      topics,
      asksToCompare(query)
        ? respectsAsked(query).map((respect) => ({ heading: respect.heading, statedIn: respectStatementWords(respect) }))
        : [],
      named.map((term) => term.zh),
      asksAboutTwo(query, kind) ? sidesOf(named) : [],
    );
    head.forEach((entry, position) => {
      entry.score = sentenceScores[position] as number;
    });
    const ranked = [...head.sort((left, right) => right.score - left.score || left.position - right.position), ...rest];
    const selected: RetrievedPassage[] = [];
    for (const entry of ranked) {
      const chunk = index.chunks[entry.position] as ChunkRecord;
      if (selected.some((kept) => overlapsTooMuch(kept.chunk, chunk))) continue;
      selected.push({
        chunk,
        score: entry.score,
        ...(entry.vectorSimilarity === undefined ? {} : { vectorSimilarity: entry.vectorSimilarity }),
        ...(entry.lexicalScore === undefined ? {} : { lexicalScore: entry.lexicalScore }),
      });
      if (selected.length >= Math.max(k, settings.coverageDepth)) break;
    }

    const coverageDepth = selected.slice(0, settings.coverageDepth);
    const confidence = measureCoverage(analyzed, passageTokenSet(coverageDepth, index, deps.analyzer), index, {
      sentences: () => coverageDepth.flatMap((passage) => sentencesWithRenderings(passage.chunk)),
      tokenize: deps.analyzer.tokenize,
      question: query,
    });
    const covered = selected.length > 0 && confidence >= settings.coverageThreshold;
    const bridges = bridgesOf(analyzed, deps.analyzer.tokenize);
    return {
      query,
      passages: covered ? selected.slice(0, k) : [],
      covered,
      confidence,
      ranked: selected.slice(0, k),
      ...(bridges.length > 0 ? { bridges } : {}),
      ...(analyzed.standIns ? { standIns: analyzed.standIns } : {}),
    };
  }

  return {
    searchWithEvidence,
    async search(query, options) {
      const { ranked: _ranked, ...result } = await searchWithEvidence(query, options);
      return result;
    },
    allChunks: () => deps.getIndex().chunks,
    getChunk: (chunkId) => {
      const index = deps.getIndex();
      const position = index.chunkPositionById.get(chunkId);
      return position === undefined ? undefined : index.chunks[position];
    },
  };
}

/**
 * The bridges of the question's aspect words ("cost" → time, resources; "hardware" → GPU), for the answer's sentence
 * choice. Other bridges stay with ranking: a dictionary sense or a scale's other pole ("existing" → "from scratch",
 * 底子 → 基础) reaches looser sentences than the question's own words do, and the answers that followed them cited
 * worse sentences on the evaluation sets (cases.json and a held-out set's citation precision both fell).
 */
function bridgesOf(analyzed: AnalyzedQuery, tokenize: (text: string) => readonly string[]): QueryBridge[] {
  const bridges: QueryBridge[] = [];
  for (const word of analyzed.words) {
    if (!word.aspect) continue;
    // The aspect's words as written ("time", "computing resources", 计算资源), those the search reached: a stem ("tim")
    // would be found inside other words ("optimises") by the plans that read sentences as text.
    const reached = new Set(word.terms.map((term) => term.term));
    const terms = aspectStatementWordsOf(word.aspectAs ?? word.word).filter((form) => tokenize(form).every((token) => reached.has(token)));
    if (terms.length > 0) bridges.push({ word: word.word, terms });
  }
  return bridges;
}

/** Same document and more than half of the shorter passage shared, or the very same text anywhere. */
function overlapsTooMuch(left: ChunkRecord, right: ChunkRecord): boolean {
  if (left.text === right.text) return true;
  if (left.documentId !== right.documentId) return false;
  const shared = Math.min(left.end, right.end) - Math.max(left.start, right.start);
  return shared > 0.5 * Math.min(left.end - left.start, right.end - right.start);
}

import type { ChunkRecord } from '../../ingest/chunk-types.js';
import { splitSentences } from '../../ingest/sentence-splitter.js';
import { DICTIONARY_BRIDGE_WEIGHT } from '../../retrieval/bridge-targets.js';
import { ANALOGY_HEADING } from '../../retrieval/evidence-cues.js';
import type { RetrievedPassage } from '../../retrieval/retrieval-types.js';
import type { TextAnalyzer } from '../../retrieval/text-analyzer.js';
import { boundedMemo } from '../../support/bounded-memo.js';
import { escapeRegExp } from '../../support/escape-regexp.js';
import { INTENT_SENTENCE_CUES, type QuestionIntent } from '../question-intent.js';

/** One sentence of a passage (or a lead-in joined with the sentence it introduces), scored for one question. */
export interface EvidenceSentence {
  readonly chunk: ChunkRecord;
  /** Indexes of the passage's sentences (as `splitSentences(chunk.text)` cuts them) this evidence covers, in order. */
  readonly indexes: readonly number[];
  /** Document offsets: `document.content.slice(start, end)` is the sentence, inside [chunk.start, chunk.end). */
  readonly start: number;
  readonly end: number;
  /** The sentence as the article writes it. */
  readonly text: string;
  /** Relevance to the question: query terms in the sentence and in its passage's headings, the passage's rank, cues. */
  readonly score: number;
  /** The part of `score` the sentence earns by its own words: the IDF-weighted share of the query terms it contains (0..1). */
  readonly match: number;
  /** Query terms the sentence contains. */
  readonly terms: ReadonlySet<string>;
}

/**
 * A sentence that opens by pointing back ("这可以包括…", "它可以…", "因为它强调了…"): it says nothing without the sentence
 * it points to.
 */
const POINTS_BACK = /^(?:这|它|其|此|因为|由于|所以|因此)/;

/** Whether a sentence points back to the one before it ("这可以包括超参数的调整…"). */
export const pointsBack = (sentence: { readonly text: string }): boolean => POINTS_BACK.test(plain(sentence.text));

/**
 * The heading a sentence stands under, and its rendering's, lower-cased: what a section on a respect is named by, in
 * either language ("1. 目的 1. purpose" for "differ in purpose").
 */
export function sectionHeadings(sentence: { readonly chunk: ChunkRecord }): string {
  const { chunk } = sentence;
  let headings = sectionHeadingsByChunk.get(chunk);
  if (headings === undefined)
    sectionHeadingsByChunk.set(
      chunk,
      (headings = `${chunk.headingPath.at(-1) ?? ''} ${chunk.translation?.headingPath?.at(-1) ?? ''}`.toLowerCase()),
    );
  return headings;
}
/** Per chunk: the plans ask it of every sentence of their pool. */
const sectionHeadingsByChunk = new WeakMap<ChunkRecord, string>();

const SUMMARY_HEADING = /总结|小结|概括|summary/i;

/** A passage of the article's analogy (the cooking example): a heading above it names it so. */
export const isAnalogyChunk = (chunk: ChunkRecord): boolean => chunk.headingPath.some((heading) => ANALOGY_HEADING.test(heading));
/**
 * A sentence of the analogy that speaks in its figure ("就像是…", "更像是…", "想象你是…", "另一方面,如果你刚开始学习做这道
 * 菜…", "这个过程就是微调"), not the analogy's literal restatement ("在机器学习中,…微调通常指的是…").
 */
export const isFigurative = (sentence: { readonly chunk: ChunkRecord; readonly text: string }): boolean =>
  isAnalogyChunk(sentence.chunk) && FIGURATIVE_CUE.test(sentence.text);
const FIGURATIVE_CUE = /就像|像是|更像|好比|想象|假设|这个过程就是|另一方面|如果你/;

/** A passage of one of the article's summaries ("总结一下"). */
export const isSummaryChunk = (chunk: ChunkRecord): boolean => chunk.headingPath.some((heading) => SUMMARY_HEADING.test(heading));

const spansByChunk = new WeakMap<ChunkRecord, readonly { start: number; end: number }[]>();

/** The sentence spans of a passage, in document offsets (memoised per chunk). */
export function passageSentenceSpans(chunk: ChunkRecord): readonly { start: number; end: number }[] {
  let spans = spansByChunk.get(chunk);
  if (!spans) spansByChunk.set(chunk, (spans = splitSentences(chunk.text, chunk.start)));
  return spans;
}

/**
 * Strips list markup, bold markers and soft line breaks so a quoted sentence reads as prose. Remembered for the latest
 * sentences: the plans read the same corpus sentences again and again.
 */
export const prose = boundedMemo(4000, (text: string): string =>
  text
    .replace(/^\s*(?:[-*•]|\d+[.)])\s+/, '')
    .replace(/\s*\n\s*(?:(?:[-*•]|\d+[.)])\s+)?/g, (_match, offset: number, whole: string) =>
      /[\u3400-\u9fff:：,，]/.test(whole[offset - 1] ?? '') ? '' : ' ',
    )
    .trim(),
);

/** The sentence without markup, for pattern tests: "**应用**:通常是…" → "应用:通常是…". */
export const plain = boundedMemo(4000, (text: string): string => prose(text).replace(/\*\*/g, ''));

/**
 * Names of a term a sentence may open with: the term, and for a compound of four or more characters its two-character
 * head word, which the article uses as a label ("**应用**:" in a section on 模型应用).
 */
export function labelsOf(term: string): string[] {
  const characters = [...term];
  return characters.length >= 4 ? [term, characters.slice(-2).join('')] : [term];
}

/**
 * The general definitional predicates of Chinese: the copula 是 (not inside 但是, 还是, 都是…), 指 (是指, 指的是),
 * naming verbs (称为, 叫做, 定义为, 意味着), and a sentence about the term as a word (X这个词 / X一词 / X这个概念).
 */
const DEFINING_PREDICATE = '(?<![但还于都总或凡只要若可像])是|指|称为|称作|叫做|叫作|定义为|意味着|这个词|一词|这个概念';

/**
 * A sentence that opens by defining one of the terms: the term as its subject or label, then a definitional predicate
 * within a short stretch ("微调(Fine-tuning): 微调通常指的是…"), or for the loose form a bare label ("调教:更像是…").
 * With `strict`, only a definitional predicate counts, not a bare label ("**微调**:时间较长…"). `apposed`: the terms that
 * may stand in apposition (@default all of `terms`): a head word ("模型" of 原始模型) in
 * "…大型预训练模型,这些模型通常是…" is the end of another noun, not the term described.
 */
export function definitionPatternFor(terms: readonly string[], strict = false, apposed: readonly string[] = terms): RegExp | undefined {
  const defined = terms.filter((term) => /[\u3400-\u9fff]/.test(term) && [...term].length >= 2);
  if (defined.length === 0) return undefined;
  const inApposition = defined.filter((term) => apposed.includes(term));
  return definitionPattern(`${strict ? 'strict' : 'loose'}\u0000${defined.join('\u0001')}\u0000${inApposition.join('\u0001')}`);
}

/** The pattern per (strictness, defined terms), remembered: compiling it was a cost of every answer. */
const definitionPattern = boundedMemo(500, (key: string): RegExp => {
  const [mode = '', opened = '', apposed = ''] = key.split('\u0000');
  const defined = opened.split('\u0001');
  const strict = mode === 'strict';
  const verbs = DEFINING_PREDICATE;
  // A term joined with another as the subject ("模型应用和大模型微调是…") is not what the sentence defines. A loose
  // reading also takes a term described in apposition ("…大型预训练模型,这些模型通常是在大规模数据集上训练得到的").
  const terms = defined.map(escapeRegExp).join('|');
  const opening = `^"?(?:${terms})"?(?![和与跟及、])[^。！？]{0,${strict ? 24 : 16}}?(?:${strict ? verbs : `${verbs}|:|：`})`;
  const described = apposed.split('\u0001').filter(Boolean).map(escapeRegExp).join('|');
  const apposition = `(?:${described})"?[,，](?:这些|这种|这类|它们|它)[^,，。！？]{0,6}?(?:通常|一般)?(?:${verbs})`;
  return new RegExp(strict || described === '' ? opening : `${opening}|${apposition}`);
});

/** What a piece of evidence states: a lead-in joined with its sentence ("在机器学习中,…类似:微调通常指的是…") states the latter. */
export function statementOf(sentence: EvidenceSentence): string {
  if (sentence.indexes.length < 2) return sentence.text;
  const span = passageSentenceSpans(sentence.chunk)[sentence.indexes[sentence.indexes.length - 1] as number];
  return span ? sentence.chunk.text.slice(span.start - sentence.chunk.start, span.end - sentence.chunk.start) : sentence.text;
}

/** A sentence that opens with the term as its subject or label ("**微调**:则是…", "调教则是一个…"). */
export function opensWith(sentence: EvidenceSentence, term: string): boolean {
  const text = plain(sentence.text);
  return labelsOf(term).some((label) => text.startsWith(label) || text.startsWith(`"${label}"`));
}

export interface ScoringContext {
  readonly queryTerms: readonly string[];
  readonly intent: QuestionIntent;
  readonly analyzer: TextAnalyzer;
  /** The content tokens of a sentence (memoised by the caller: they depend on the text alone). */
  readonly tokensOf: (text: string) => ReadonlySet<string>;
  /** The aligned English rendering of sentences of a passage, if any: an English question's words match it too. */
  readonly renderingOf?: (chunk: ChunkRecord, indexes: readonly number[]) => string | undefined;
  /**
   * The words an aspect word of the query is stated in, as the search read them (RetrievalResult.bridges: "cost" →
   * time, resources; "hardware" → GPU): a sentence holding one holds the term, at `BRIDGE_SHARE` of its weight.
   */
  readonly bridges?: ReadonlyMap<string, readonly string[]>;
}

/** What a query term earns in a sentence that holds only a word standing for it: the search's bridge weight. */
const BRIDGE_SHARE = DICTIONARY_BRIDGE_WEIGHT;

const lowerTextByChunk = new WeakMap<ChunkRecord, string>();
/** A passage's text and its translation, lower-cased (memoised per chunk: every query term of every answer reads it). */
function lowerPassageText(chunk: ChunkRecord): string {
  let lower = lowerTextByChunk.get(chunk);
  if (lower === undefined) lowerTextByChunk.set(chunk, (lower = `${chunk.text}\n${chunk.translation?.text ?? ''}`.toLowerCase()));
  return lower;
}

/** A sentence of a passage as scored: a sentence ending in a colon joined with the next one; labels alone left out. */
interface SentenceUnit {
  readonly indexes: readonly number[];
  readonly start: number;
  readonly end: number;
  readonly text: string;
  /** The latest rendering `lower` was made with, and the lower-cased text and rendering (one language per learner). */
  rendered?: string | undefined;
  lower?: string;
}

const unitsByChunk = new WeakMap<ChunkRecord, readonly SentenceUnit[]>();
/** A passage's sentence units (memoised per chunk: every answer whose pool holds the passage scores them). */
function sentenceUnits(chunk: ChunkRecord): readonly SentenceUnit[] {
  let units = unitsByChunk.get(chunk);
  if (units) return units;
  const found: SentenceUnit[] = [];
  const spans = passageSentenceSpans(chunk);
  for (let index = 0; index < spans.length; index += 1) {
    const span = spans[index] as { start: number; end: number };
    let end = span.end;
    const indexes = [index];
    const next = spans[index + 1];
    if (next && /[:：]$/.test(chunk.text.slice(span.start - chunk.start, span.end - chunk.start))) {
      end = next.end;
      indexes.push(index + 1);
    }
    const text = chunk.text.slice(span.start - chunk.start, end - chunk.start);
    if (text.replace(/[^\p{L}\p{N}]/gu, '').length < 6) continue;
    found.push({ indexes, start: span.start, end, text });
  }
  unitsByChunk.set(chunk, (units = found));
  return units;
}

/** The unit's text and rendering, lower-cased, remade only when the rendering asked for differs from the last one. */
function lowerUnit(unit: SentenceUnit, rendered: string | undefined): string {
  if (unit.lower === undefined || unit.rendered !== rendered) {
    unit.rendered = rendered;
    unit.lower = `${unit.text}\n${rendered ?? ''}`.toLowerCase();
  }
  return unit.lower;
}

/**
 * Every sentence of the passages, scored with its passage as context: the IDF-weighted query terms it contains, those
 * its passage's headings name (a sentence under "4. 时间和资源" answers a question on time), the passage's rank and a cue
 * for the kind of question. A sentence ending in a colon introduces the next one and is joined with it. Labels alone
 * ("微调:") are dropped.
 */
export function scoreSentences(passages: readonly RetrievedPassage[], context: ScoringContext): EvidenceSentence[] {
  const { queryTerms } = context;
  const weights = new Map<string, number>();
  for (const term of queryTerms) {
    const containing = passages.filter((passage) => lowerPassageText(passage.chunk).includes(term)).length;
    weights.set(term, 1 + Math.log((passages.length + 1) / (containing + 1)));
  }
  const totalWeight = [...weights.values()].reduce((sum, value) => sum + value, 0) || 1;
  // The terms and their weights side by side, walked for every sentence: no closure, iterator or pair per sentence.
  const weightedTerms = [...weights.keys()];
  const termWeights = [...weights.values()];
  const cue = INTENT_SENTENCE_CUES[context.intent];
  const definitionPattern = definitionPatternFor(queryTerms);
  const evidence: EvidenceSentence[] = [];
  passages.forEach((passage, passageRank) => {
    const { chunk } = passage;
    const headings = chunk.headingPath.join(' ').toLowerCase();
    let headingWeight = 0;
    for (const [term, weight] of weights)
      if (headings.includes(term)) headingWeight += weight;
      else if (context.bridges?.get(term)?.some((bridge) => headings.includes(bridge)) === true) headingWeight += BRIDGE_SHARE * weight;
    for (const unit of sentenceUnits(chunk)) {
      const { indexes, start, end, text } = unit;
      const rendered = context.renderingOf?.(chunk, indexes);
      const tokens = context.tokensOf(text);
      const renderedTokens = rendered === undefined ? undefined : context.tokensOf(rendered);
      const lower = lowerUnit(unit, rendered);
      const terms = new Set<string>();
      let matched = 0;
      for (let at = 0; at < weightedTerms.length; at += 1) {
        const term = weightedTerms[at] as string;
        const weight = termWeights[at] as number;
        if (holdsTerm(term, tokens, renderedTokens, lower)) matched += weight;
        else if (holdsBridge(context.bridges?.get(term), tokens, renderedTokens, lower)) matched += BRIDGE_SHARE * weight;
        else continue;
        terms.add(term);
      }
      const match = matched / totalWeight;
      let score = match + (0.3 * headingWeight) / totalWeight + 0.5 / (passageRank + 1) + (cue?.test(text) ? 0.25 : 0);
      if (context.intent === 'definition' && definitionPattern?.test(plain(text))) score += 0.4;
      evidence.push({ chunk, indexes, start, end, text, score, match, terms });
    }
  });
  return evidence;
}

/** Whether a sentence holds a query term: among its tokens or its rendering's, or in its lower-cased text. */
function holdsTerm(term: string, tokens: ReadonlySet<string>, renderedTokens: ReadonlySet<string> | undefined, lower: string): boolean {
  return tokens.has(term) || renderedTokens?.has(term) === true || containsTerm(lower, term);
}

/** Whether a sentence holds one of the words a query term's aspect is stated in (its bridges), if it has any. */
function holdsBridge(
  bridges: readonly string[] | undefined,
  tokens: ReadonlySet<string>,
  renderedTokens: ReadonlySet<string> | undefined,
  lower: string,
): boolean {
  if (bridges === undefined) return false;
  for (const bridge of bridges) if (holdsTerm(bridge, tokens, renderedTokens, lower)) return true;
  return false;
}

/**
 * Whether a text holds a query term: Chinese terms anywhere, an English term (or stem, "differenc") only where a word
 * starts, and a short one (three letters or fewer) only as a whole word: "go" is not in "good", "use" is in "used" only
 * as a stem of four letters or more.
 */
export function containsTerm(lower: string, term: string): boolean {
  return /^[a-z]/i.test(term) ? englishTermPattern(term).test(lower) : lower.includes(term);
}

const englishTermPattern = boundedMemo(2000, (term: string): RegExp => {
  const escaped = escapeRegExp(term);
  return new RegExp(term.length <= 3 ? `(?<![a-z])${escaped}(?![a-z])` : `(?<![a-z])${escaped}`, 'i');
});

export function jaccard(left: ReadonlySet<string>, right: ReadonlySet<string>): number {
  if (left.size === 0 || right.size === 0) return 0;
  let shared = 0;
  for (const item of left) if (right.has(item)) shared += 1;
  return shared / (left.size + right.size - shared);
}

/** Whether two pieces of evidence overlap (the same sentence reached twice, or a lead-in pair and its second half). */
export const overlaps = (left: EvidenceSentence, right: EvidenceSentence): boolean =>
  left.chunk.chunkId === right.chunk.chunkId && left.start < right.end && right.start < left.end;

/** Reading order across the corpus: by the passage's position, then by offset. */
export function inReadingOrder(sentences: readonly EvidenceSentence[], order: ReadonlyMap<string, number>): EvidenceSentence[] {
  return [...sentences].sort(
    (left, right) => (order.get(left.chunk.chunkId) ?? 0) - (order.get(right.chunk.chunkId) ?? 0) || left.start - right.start,
  );
}

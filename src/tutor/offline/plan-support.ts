import type { GlossaryTerm } from '../../ingest/glossary.js';
import { INTENT_SENTENCE_CUES } from '../question-intent.js';
import type { PlanContext } from './plan-types.js';
import {
  definitionPatternFor,
  type EvidenceSentence,
  inReadingOrder,
  isAnalogyChunk,
  isSummaryChunk,
  jaccard,
  labelsOf,
  overlaps,
  passageSentenceSpans,
  plain,
} from './sentence-evidence.js';

/** Picks sentences best first, skipping repeats and overlaps, within the answer's sentence and character budgets. */
export function pickDistinct(
  context: PlanContext,
  ranked: readonly EvidenceSentence[],
  options: { readonly limit: number; readonly taken?: readonly EvidenceSentence[] },
): EvidenceSentence[] {
  const taken = [...(options.taken ?? [])];
  const picked: EvidenceSentence[] = [];
  let chars = taken.reduce((sum, sentence) => sum + sentence.text.length, 0);
  for (const candidate of ranked) {
    if (picked.length >= options.limit || taken.length >= context.settings.maxSentences) break;
    if (taken.some((kept) => overlaps(kept, candidate))) continue;
    const grams = context.bigrams(candidate.text);
    if (taken.some((kept) => jaccard(context.bigrams(kept.text), grams) > context.settings.redundancyThreshold)) continue;
    if (taken.length > 0 && chars + candidate.text.length > context.settings.maxQuotedChars) continue;
    picked.push(candidate);
    taken.push(candidate);
    chars += candidate.text.length;
  }
  return picked;
}

/** Sentences ranked by score plus a bonus, best first (ties keep reading order). */
export function rankBy(
  context: PlanContext,
  sentences: readonly EvidenceSentence[],
  bonus: (sentence: EvidenceSentence) => number,
): EvidenceSentence[] {
  const ordered = inReadingOrder(sentences, context.order);
  return ordered
    .map((sentence, position) => ({ sentence, value: sentence.score + bonus(sentence), position }))
    .sort((left, right) => right.value - left.value || left.position - right.position)
    .map((entry) => entry.sentence);
}

/** Plain questions prefer the article's literal statements; the cooking analogy is for analogy questions. */
export const literalBonus = (context: PlanContext) => (sentence: EvidenceSentence) =>
  context.kind === 'analogy' ? 0 : isAnalogyChunk(sentence.chunk) ? -0.35 : 0;

/**
 * Plain questions prefer sentences on the question's topics: one that opens with another term's label ("**应用**:…"
 * for a question on 微调) is about something else.
 */
export const topicalBonus = (context: PlanContext) => {
  const labels = context.topics.flatMap((topic) => labelsOf(topic.zh));
  return (sentence: EvidenceSentence): number => {
    if (labels.length === 0) return 0;
    const label = /^"?([^\s:：,，。"]{1,8})"?[:：]/.exec(plain(sentence.text))?.[1];
    const aboutTopic = label !== undefined && labels.some((known) => label.includes(known) || known.includes(label));
    // A label naming another term ("**应用**:" asked about 微调) is about that term; a label such as "计算资源需求" is not.
    if (label !== undefined && !aboutTopic && context.termLabels.has(label)) return -0.5;
    return mentionsAny(sentence, labels) ? 0.1 : -0.2;
  };
};

export const mentionsAny = (sentence: EvidenceSentence, terms: readonly string[]): boolean =>
  terms.some((term) => sentence.text.includes(term));

/** The sentence right before or after one, in the same passage, if the pool holds it. */
export function neighbour(context: PlanContext, sentence: EvidenceSentence, step: -1 | 1): EvidenceSentence | undefined {
  const target = step < 0 ? (sentence.indexes[0] as number) - 1 : (sentence.indexes[sentence.indexes.length - 1] as number) + 1;
  if (target < 0 || target >= passageSentenceSpans(sentence.chunk).length) return undefined;
  return context.pool.find((candidate) => candidate.chunk.chunkId === sentence.chunk.chunkId && candidate.indexes.includes(target));
}

/**
 * The general plan: greedy coverage inside the retrieved passages. Each pick adds the most query terms not yet covered,
 * so a question about two things gets a sentence on each; a further sentence must add a query term the chosen ones lack
 * and match the question nearly as well by its own words as the first (the passage's rank alone does not pad it in).
 */
export function generalSentences(context: PlanContext, limit = context.settings.maxSentences): EvidenceSentence[] {
  const cue = INTENT_SENTENCE_CUES[context.kind === 'simpler' ? 'definition' : context.kind];
  const remaining = context.pool.filter((sentence) => context.retrievedIds.has(sentence.chunk.chunkId));
  // What the question asks beyond its topics tells apart sentences that all name the topics.
  const asked = askedTerms(context, context.topics);
  const weightOf = (sentence: EvidenceSentence): number =>
    sentence.score + 0.5 * askedShare(sentence, asked) + (cue?.test(sentence.text) ? 0.1 : 0);
  const chosen: EvidenceSentence[] = [];
  const covered = new Set<string>();
  const total = Math.max(1, context.queryTerms.length);
  let firstMatch = 0;
  while (chosen.length < limit && remaining.length > 0) {
    let best: { index: number; gain: number; fresh: number } | undefined;
    remaining.forEach((candidate, index) => {
      const fresh = [...candidate.terms].filter((term) => !covered.has(term)).length;
      const gain = weightOf(candidate) + (fresh / total) * 0.6;
      if (!best || gain > best.gain) best = { index, gain, fresh };
    });
    if (!best) break;
    const { index, fresh } = best;
    const candidate = remaining.splice(index, 1)[0] as EvidenceSentence;
    if (chosen.length === 0) firstMatch = candidate.match;
    else if (fresh === 0 || candidate.match < firstMatch * 0.7) continue;
    if (pickDistinct(context, [candidate], { limit: 1, taken: chosen }).length === 0) continue;
    chosen.push(candidate);
    for (const term of candidate.terms) covered.add(term);
  }
  return inReadingOrder(chosen, context.order);
}

/**
 * Sentences of the article's own summary sections about the terms, in reading order: a literal summary ("总结一下")
 * for plain questions, the analogy's summary for analogy questions.
 */
export function summarySentences(context: PlanContext, terms: readonly string[], limit: number, taken: readonly EvidenceSentence[]) {
  const wantAnalogy = context.kind === 'analogy';
  const inSummary = context.pool.filter(
    (sentence) =>
      isSummaryChunk(sentence.chunk) &&
      isAnalogyChunk(sentence.chunk) === wantAnalogy &&
      (terms.length === 0 || mentionsAny(sentence, terms)),
  );
  // One summary section: the one whose sentences score best together.
  const bySection = new Map<string, EvidenceSentence[]>();
  for (const sentence of inSummary) bySection.set(sentence.chunk.chunkId, [...(bySection.get(sentence.chunk.chunkId) ?? []), sentence]);
  const sections = [...bySection.values()].sort(
    (left, right) =>
      coverage(right, terms) - coverage(left, terms) ||
      right.reduce((sum, s) => sum + s.score, 0) - left.reduce((sum, s) => sum + s.score, 0),
  );
  const section = sections[0];
  if (!section) return [];
  const picked = pickDistinct(
    context,
    rankBy(context, section, () => 0),
    { limit, taken },
  );
  return inReadingOrder(picked, context.order);
}

const coverage = (sentences: readonly EvidenceSentence[], terms: readonly string[]): number =>
  terms.filter((term) => sentences.some((sentence) => sentence.text.includes(term))).length;

/**
 * The first sentence in reading order that defines the term with a defining verb: an article defines a term
 * canonically where it introduces it, and later restatements are shorter or figurative.
 */
export function firstDefinition(context: PlanContext, term: string): EvidenceSentence | undefined {
  const strict = definitionPatternFor(labelsOf(term), true);
  if (!strict) return undefined;
  return inReadingOrder(
    context.pool.filter((sentence) => strict.test(plain(sentence.text))),
    context.order,
  )[0];
}

/** Where a term stands in a question: its earliest form (the Chinese term or an English form, any case), or undefined. */
export function termSpan(query: string, term: GlossaryTerm): { start: number; end: number } | undefined {
  const lower = query.toLowerCase();
  let best: { start: number; end: number } | undefined;
  for (const form of [term.zh, ...term.en]) {
    const wanted = form.toLowerCase();
    let start = lower.indexOf(wanted);
    // An English form stands alone: "tuning" inside "fine-tuning" is not the term 调教.
    if (/^[a-z]/.test(wanted))
      while (start >= 0 && (/[a-z-]/.test(lower[start - 1] ?? '') || /[a-z]/.test(lower[start + wanted.length] ?? '')))
        start = lower.indexOf(wanted, start + 1);
    if (start >= 0 && (!best || start < best.start || (start === best.start && start + form.length > best.end)))
      best = { start, end: start + form.length };
  }
  return best;
}

/**
 * The question's own words beyond the given terms (its topics, the analogy's figure): what it asks about them
 * ("因素", "效果", "faster"). Only words some sentence of the pool contains count.
 */
export function askedTerms(context: PlanContext, beyond: readonly GlossaryTerm[]): string[] {
  const names = beyond.flatMap((term) => [...labelsOf(term.zh), ...term.en.map((form) => form.toLowerCase())]);
  return context.queryTerms.filter(
    (term) =>
      ([...term].length >= 2 || context.termLabels.has(term)) &&
      !names.some((name) => name.includes(term) || term.includes(name)) &&
      context.pool.some((sentence) => sentence.terms.has(term)),
  );
}

/** The share of the asked terms a sentence contains (0 when there are none). */
export const askedShare = (sentence: EvidenceSentence, asked: readonly string[]): number =>
  asked.length === 0 ? 0 : asked.filter((term) => sentence.terms.has(term)).length / asked.length;

import type { GlossaryTerm } from '../../ingest/glossary.js';
import { SHARED_HEADING } from '../../retrieval/evidence-cues.js';
import { ANSWER_KIND_TERMS } from '../../retrieval/text-analyzer.js';
import { INTENT_SENTENCE_CUES } from '../question-intent.js';
import type { PlanContext } from './plan-types.js';
import {
  definitionPatternFor,
  type EvidenceSentence,
  inReadingOrder,
  isAnalogyChunk,
  isFigurative,
  isSummaryChunk,
  jaccard,
  labelsOf,
  overlaps,
  passageSentenceSpans,
  plain,
  pointsBack,
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

/**
 * A follow-up's own words, without the topics the resolver put beside it ("那在时间和资源上呢？（模型应用、训练过程）"):
 * what it asks, not what the turns before it asked.
 */
export const withoutCarriedTopics = (query: string): string => query.replace(/\s*[（(][^（()）]+[)）]$/, '');

/** Plain questions prefer the article's literal statements; the cooking analogy is for analogy questions. */
export const literalBonus = (context: PlanContext) => (sentence: EvidenceSentence) =>
  context.kind === 'analogy' ? 0 : isAnalogyChunk(sentence.chunk) ? -0.35 : 0;

/** A label a sentence opens with: "**应用**:", "微调(Fine-tuning):" (a gloss in brackets after it is not the label). */
const LABEL = /^"?([^\s:：,，。"(（]{1,8})"?(?:[(（][^)）]{0,24}[)）])?[:：]/;

/** The label a sentence opens with ("**应用**:…" → "应用"), if any. */
export const labelOf = (sentence: EvidenceSentence): string | undefined => LABEL.exec(plain(sentence.text))?.[1];

/**
 * The label of the item a sentence belongs to: its own, or, for a sentence that points back ("这个过程涉及调整模型的参数"
 * after "微调(Fine-tuning): 微调通常指的是…"), the label of the sentence before it in its passage.
 */
export const itemLabelOf = (context: PlanContext, sentence: EvidenceSentence): string | undefined => {
  const own = labelOf(sentence);
  if (own !== undefined || !pointsBack(sentence)) return own;
  const before = neighbour(context, sentence, -1);
  return before === undefined ? undefined : labelOf(before);
};

/**
 * Whether a sentence states another term than the question's topics, in parallel with a topic: it opens with another
 * term's label ("**应用**:…" asked about 微调), a sentence of its passage opens with a topic's label ("**微调**:…"), and
 * it holds no more of what the question asks beyond its topics than that counterpart does. A label that is a term but
 * no counterpart of a topic ("复用价值:" in a list of what both share) does not count.
 */
export const aboutOtherTerm = (context: PlanContext) => {
  const labels = context.topics.flatMap((topic) => labelsOf(topic.zh));
  const asked = askedTerms(context, context.topics);
  const isTopic = (label: string): boolean => labels.some((known) => label === known || label.startsWith(known));
  return (sentence: EvidenceSentence): boolean => {
    const label = labelOf(sentence);
    if (labels.length === 0 || label === undefined || !context.termLabels.has(label) || isTopic(label)) return false;
    // In its passage, or an item of the topic anywhere ("这个过程涉及调整模型的参数" of the 微调 item, asked what the
    // fine-tuning process adjusts, against "调教(Tuning): …参数调整的过程…").
    // Elsewhere only a literal one that holds some of what is asked: the analogy's "预训练模型:就像是…厨师" is no
    // counterpart of "应用:更快,…但可能效果不如微调" asked about a pretrained model's shortcomings.
    const counterparts = context.pool.filter(
      (candidate) =>
        (candidate.chunk.chunkId === sentence.chunk.chunkId && isTopic(labelOf(candidate) ?? '')) ||
        (isTopic(itemLabelOf(context, candidate) ?? '') && !isFigurative(candidate) && askedShare(candidate, asked) > 0),
    );
    return counterparts.some((candidate) => askedShare(candidate, asked) >= askedShare(sentence, asked));
  };
};

/**
 * Plain questions prefer sentences on the question's topics: one that opens with another term's label ("**应用**:…"
 * for a question on 微调) is about something else. A sentence pointing back ("这个过程涉及调整模型的参数" after
 * "微调通常指的是…") is on the topic the sentence before it names.
 */
export const topicalBonus = (context: PlanContext) => {
  const labels = context.topics.flatMap((topic) => labelsOf(topic.zh));
  const continuesTopic = (sentence: EvidenceSentence): boolean => {
    const before = pointsBack(sentence) ? neighbour(context, sentence, -1) : undefined;
    return before !== undefined && mentionsAny(before, labels);
  };
  return (sentence: EvidenceSentence): number => {
    if (labels.length === 0) return 0;
    const label = labelOf(sentence);
    // A label naming another term ("**应用**:" asked about 微调) is about that term; a label such as "计算资源需求" is not.
    if (label !== undefined && context.termLabels.has(label) && !labels.some((known) => label.includes(known) || known.includes(label)))
      return -0.5;
    return mentionsAny(sentence, labels) || saidOfBoth(sentence, labels) || continuesTopic(sentence) ? 0.1 : -0.2;
  };
};

/**
 * A sentence of the section on what two things share ("共性": "都需要较高的计算资源"), in a document whose title names
 * the topic: what it says of both it says of the topic, though it names neither.
 */
export const saidOfBoth = (sentence: EvidenceSentence, labels: readonly string[]): boolean =>
  sentence.chunk.headingPath.some((heading) => SHARED_HEADING.test(heading)) &&
  labels.some((label) => sentence.chunk.title.includes(label));

export const mentionsAny = (sentence: EvidenceSentence, terms: readonly string[]): boolean =>
  terms.some((term) => sentence.text.includes(term));

/** The sentence right before or after one, in the same passage, if the pool holds it. */
export function neighbour(context: PlanContext, sentence: EvidenceSentence, step: -1 | 1): EvidenceSentence | undefined {
  const target = step < 0 ? (sentence.indexes[0] as number) - 1 : (sentence.indexes[sentence.indexes.length - 1] as number) + 1;
  if (target < 0 || target >= passageSentenceSpans(sentence.chunk).length) return undefined;
  return sentencesAt(context.pool).get(sentence.chunk.chunkId)?.[target];
}

/**
 * Per pool (pools are never changed once made), per passage: the first sentence of the pool, in pool order, that covers
 * each sentence index. The plans ask for neighbours of every sentence they weigh; a scan of the pool per ask was the cost.
 */
const sentencesAtByPool = new WeakMap<readonly EvidenceSentence[], ReadonlyMap<string, readonly (EvidenceSentence | undefined)[]>>();
function sentencesAt(pool: readonly EvidenceSentence[]): ReadonlyMap<string, readonly (EvidenceSentence | undefined)[]> {
  let byChunk = sentencesAtByPool.get(pool);
  if (!byChunk) {
    const made = new Map<string, (EvidenceSentence | undefined)[]>();
    for (const candidate of pool) {
      let slots = made.get(candidate.chunk.chunkId);
      if (!slots) made.set(candidate.chunk.chunkId, (slots = []));
      for (const index of candidate.indexes) slots[index] ??= candidate;
    }
    sentencesAtByPool.set(pool, (byChunk = made));
  }
  return byChunk;
}

/**
 * The weight of each query term by how few sentences of the pool hold it (IDF over the pool): what a further sentence
 * adds to an answer is the weight of the terms it covers that the chosen ones lack.
 */
export function termWeights(context: PlanContext): ReadonlyMap<string, number> {
  const weights = new Map<string, number>();
  const size = context.pool.length;
  for (const term of context.queryTerms) {
    const holding = context.pool.filter((sentence) => sentence.terms.has(term)).length;
    if (holding > 0) weights.set(term, 1 + Math.log((size + 1) / (holding + 1)));
  }
  return weights;
}

/**
 * The share of the question's weighted terms a candidate adds beyond those already covered: the stop rule. A sentence
 * that adds less than `minCoverageGain` of the question repeats what the answer says (or only its passage's rank
 * brought it).
 */
export function coverageGain(weights: ReadonlyMap<string, number>, covered: ReadonlySet<string>, candidate: EvidenceSentence): number {
  let total = 0;
  let fresh = 0;
  for (const [term, weight] of weights) {
    total += weight;
    if (candidate.terms.has(term) && !covered.has(term)) fresh += weight;
  }
  return total === 0 ? 0 : fresh / total;
}

/**
 * The answer first: the best sentence leads (with the sentences of its own passage, in their order), the others follow
 * in reading order. Reading order alone would let an earlier document's weaker sentence open the answer.
 */
export function leadWithBest(chosen: readonly EvidenceSentence[], context: PlanContext): EvidenceSentence[] {
  const best = chosen[0];
  if (!best) return [];
  const ordered = inReadingOrder(chosen, context.order);
  const own = ordered.filter((sentence) => sentence.chunk.chunkId === best.chunk.chunkId);
  return [...own, ...ordered.filter((sentence) => sentence.chunk.chunkId !== best.chunk.chunkId)];
}

/**
 * The general plan: greedy coverage inside the retrieved passages. Each pick adds the most query terms not yet covered,
 * so a question about two things gets a sentence on each. Sentences on the question's topics and literal statements are
 * preferred (one labelled with another term, or one from the analogy, answers a plain question about something else).
 * A further sentence must add at least `minCoverageGain` of the question's weighted terms and match the question
 * nearly as well by its own words as the first (the passage's rank alone does not pad it in); once every word the
 * question asks beyond its topics is covered, the answer stops.
 */
/** A question asking which things ("调哪些东西", "调些什么", "what kinds of things", "what sort of settings"). */
const ASKS_FOR_THINGS =
  /(?:哪些|些什么|什么)(?:东西|方面|参数|因素)|调(?:些|了)?(?:什么|啥|哪些)|\bwhat (?:kinds?|sorts?|types?) of (?:things|settings|parameters|factors)\b|\bwhat (?:things|settings)\b/i;
/** A sentence listing instances: "包括超参数的调整、学习率的改变等", "such as…". */
const LISTS_INSTANCES = /包括[^。；]*、[^。；]*等|\bsuch as\b|\bincluding\b/i;

export function generalSentences(context: PlanContext, limit = context.settings.maxSentences): EvidenceSentence[] {
  const cue = INTENT_SENTENCE_CUES[context.kind === 'simpler' ? 'definition' : context.kind];
  // A sentence labelled with another term than the question's topics is about that term: not an answer here.
  const other = aboutOtherTerm(context);
  // The analogy's figure answers a plain question only when it asks for the figure (an analogy, an example, its words).
  const figureAsked = context.kind === 'analogy' || context.kind === 'example' || context.vehicles.length > 0;
  const remaining = context.pool.filter(
    (sentence) => context.retrievedIds.has(sentence.chunk.chunkId) && !other(sentence) && (figureAsked || !isFigurative(sentence)),
  );
  // What the question asks beyond its topics tells apart sentences that all name the topics.
  const asked = askedTerms(context, context.topics);
  const literal = literalBonus(context);
  const topical = topicalBonus(context);
  const weights = termWeights(context);
  const carried = carriedTopicShare(context, weights);
  // Asked what things are done or changed ("调些什么东西", "what kinds of things"), a sentence listing them answers.
  const listAsked = ASKS_FOR_THINGS.test(context.query);
  const weightOf = (sentence: EvidenceSentence): number =>
    sentence.score +
    (askedShare(sentence, asked) > 0 ? carried(sentence) : 0) +
    0.5 * askedShare(sentence, asked) +
    (cue?.test(sentence.text) ? 0.1 : 0) +
    literal(sentence) +
    topical(sentence) +
    (listAsked && LISTS_INSTANCES.test(sentence.text) ? 0.3 : 0);
  const topicLabels = context.topics.flatMap((topic) => labelsOf(topic.zh));
  const onTopics = (sentence: EvidenceSentence): boolean => {
    const heading = sentence.chunk.headingPath[sentence.chunk.headingPath.length - 1] ?? '';
    return topicLabels.length === 0 || mentionsAny(sentence, topicLabels) || topicLabels.some((label) => heading.includes(label));
  };
  const chosen: EvidenceSentence[] = [];
  const covered = new Set<string>();
  const total = Math.max(1, context.queryTerms.length);
  let firstMatch = 0;
  while (chosen.length < limit && remaining.length > 0) {
    if (chosen.length > 0 && asked.length > 0 && asked.every((term) => covered.has(term))) break;
    let best: { index: number; gain: number } | undefined;
    remaining.forEach((candidate, index) => {
      const fresh = [...candidate.terms].filter((term) => !covered.has(term)).length;
      const gain = weightOf(candidate) + (fresh / total) * 0.6;
      if (!best || gain > best.gain) best = { index, gain };
    });
    if (!best) break;
    const candidate = remaining.splice(best.index, 1)[0] as EvidenceSentence;
    if (chosen.length === 0) firstMatch = candidate.match;
    else if (coverageGain(weights, covered, candidate) < context.settings.minCoverageGain || candidate.match < firstMatch * 0.7) continue;
    if (pickDistinct(context, [candidate], { limit: 1, taken: chosen }).length === 0) continue;
    if (chosen.length > 0 && !onTopics(candidate) && !chosen.some((kept) => neighbour(context, kept, 1) === candidate)) continue;
    chosen.push(candidate);
    for (const term of candidate.terms) covered.add(term);
    // A word the sentence's headings name is answered by it too ("2. 训练过程" above "**微调**:模型的参数会…").
    const headings = candidate.chunk.headingPath.join(' ').toLowerCase();
    for (const term of context.queryTerms) if (headings.includes(term)) covered.add(term);
  }
  return leadWithBest(chosen, context);
}

/**
 * The share of the question's weighted words a sentence holds by pointing back: "这个过程涉及调整模型的参数" after
 * "微调通常指的是…" speaks of 微调 without naming it, and its match would otherwise lack the topic's words that every
 * sentence naming the topic holds (asked what the fine-tuning process adjusts, "微调假设…需要调整…" won by its name).
 */
function carriedTopicShare(context: PlanContext, weights: ReadonlyMap<string, number>): (sentence: EvidenceSentence) => number {
  const total = [...weights.values()].reduce((sum, weight) => sum + weight, 0);
  // Each topic's labels, and the question's words that name it (its Chinese pieces, its English stems).
  const topics = context.topics.map((topic) => {
    const names = termNames([topic]);
    return {
      labels: labelsOf(topic.zh),
      words: [...weights.keys()].filter((term) => names.some((name) => name.includes(term) || term.includes(name))),
    };
  });
  return (sentence) => {
    if (total === 0 || !pointsBack(sentence)) return 0;
    const before = neighbour(context, sentence, -1);
    if (!before) return 0;
    // Only the topics the sentence before names, and that this one does not name itself.
    const carried = topics.filter(({ labels }) => mentionsAny(before, labels) && !mentionsAny(sentence, labels));
    const lacking = new Set(carried.flatMap(({ words }) => words.filter((term) => !sentence.terms.has(term))));
    return [...lacking].reduce((sum, term) => sum + (weights.get(term) ?? 0), 0) / total;
  };
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

/**
 * The question's own words beyond the given terms (its topics, the analogy's figure): what it asks about them
 * ("因素", "效果", "faster"). Only words some sentence of the pool contains count.
 */
export function askedTerms(context: PlanContext, beyond: readonly GlossaryTerm[]): string[] {
  const names = termNames(beyond);
  const frame = new Set([...context.query.matchAll(WHEN_FRAME)].map((match) => match[1] as string));
  return context.queryTerms.filter(
    (term) =>
      ([...term].length >= 2 || context.termLabels.has(term)) &&
      !frame.has(term) &&
      !names.some((name) => name.includes(term) || term.includes(name)) &&
      context.pool.some((sentence) => sentence.terms.has(term)),
  );
}

/**
 * The noun of a "when" question ("什么情况下", "什么时候", "在哪种场合"): it asks for the circumstances, and a sentence
 * saying "在某些情况下" does not state them.
 */
const WHEN_FRAME = /(?:什么|哪些|哪种|哪个|何种)(情况|时候|场合)/g;

/** The names a question may call terms by: their labels (微调, 应用 of 模型应用) and English forms, lower-cased. */
export const termNames = (terms: readonly GlossaryTerm[]): string[] =>
  terms.flatMap((term) => [...labelsOf(term.zh), ...term.en.map((form) => form.toLowerCase())]);

/**
 * The question's words beyond the things it names (`names`, see termNames): two characters or more, not words asking
 * for a kind of answer (例子, "example"), none inside a name or holding one. What it asks of those things (目的, 成本).
 */
export const wordsBeyond = (queryTerms: readonly string[], names: readonly string[]): string[] =>
  queryTerms.filter(
    (term) => [...term].length >= 2 && !ANSWER_KIND_TERMS.has(term) && !names.some((name) => name.includes(term) || term.includes(name)),
  );

/** The share of the asked terms a sentence contains (0 when there are none). */
export const askedShare = (sentence: EvidenceSentence, asked: readonly string[]): number =>
  asked.length === 0 ? 0 : asked.filter((term) => sentence.terms.has(term)).length / asked.length;

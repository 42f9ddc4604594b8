import type { GlossaryTerm } from '../../ingest/glossary.js';
import { ASKS_PLAINLY } from '../../retrieval/frame-phrases.js';
import { INTENT_SENTENCE_CUES } from '../question-intent.js';
import { poleStance } from './asked-poles.js';
import { askedRelevance, keepRelevant, SUPPORT_RATIO } from './asked-relevance.js';
import { planMentionedTerm } from './mentioned-term-plan.js';
import {
  aboutOtherTerm,
  askedShare,
  askedTerms,
  firstDefinition,
  generalSentences,
  labelOf,
  literalBonus,
  mentionsAny,
  neighbour,
  pickDistinct,
  rankBy,
  summarySentences,
  termNames,
  topicalBonus,
  wordsBeyond,
} from './plan-support.js';
import type { AnswerPlan, PlanBlock, PlanContext } from './plan-types.js';
import {
  definitionPatternFor,
  type EvidenceSentence,
  isSummaryChunk,
  labelsOf,
  opensWith,
  plain,
  sectionHeadings,
} from './sentence-evidence.js';
import { mostSpecificTopic } from './specific-topic.js';
import { termSpan } from './term-spans.js';

const CONTINUATION = /^(?:这个|这|它|其|因为|由于|所以|因此|但|但是|而)/;
/** A sentence that starts a list item ("- …", "2. …"). */
const ITEM_START = /^\s*(?:[-*•]|\d+[.)])\s+/;

/**
 * A definition: the sentence that defines the topic (literal statements before the analogy) and the one continuing it
 * in its passage ("这个过程涉及…") while it stays on the topic; a third sentence of the passage only when it holds what
 * the question asks beyond the topic as well as the best of them ("微调假设…" answers what fine-tuning assumes, not
 * what it is; "这可以包括超参数的调整…" what tuning can include).
 */
export function planDefinition(question: PlanContext): AnswerPlan | undefined {
  const context = withDefinedTopicFirst(question);
  const topic = context.topics[0];
  if (!topic) return undefined;
  const labels = labelsOf(topic.zh);
  const pattern = definitionPatternFor(labels, false, [topic.zh]);
  const strict = definitionPatternFor(labels, true);
  const literal = literalBonus(context);
  // A head word opening another term ("模型" of 模型应用, for 预训练模型) does not name the topic.
  const longer = context.glossary.filter(
    (term) => term !== topic && labels.some((label) => term.zh.length > label.length && term.zh.startsWith(label)),
  );
  const opensWithOther = (text: string): boolean => longer.some((term) => text.replace(/^"/, '').startsWith(term.zh));
  const defining = context.pool.filter((sentence) => pattern?.test(plain(sentence.text)) && !opensWithOther(plain(sentence.text)));
  const canonical = firstDefinition(context, topic.zh);
  const purpose = purposeOf(context);
  const headed = headedByAsked(context);
  const ranked = rankBy(
    context,
    defining,
    (sentence) =>
      literal(sentence) +
      (strict?.test(plain(sentence.text)) ? 0.6 : 0) +
      (sentence === canonical ? 0.3 : 0) +
      0.5 * purpose(sentence) +
      (headed(sentence) ? 0.5 : 0),
  );
  const first = pickDistinct(context, ranked, { limit: 1 })[0];
  // A term the article names without defining it: what it says of the term, under a frame that says so.
  if (!first) return planMentionedTerm(context);
  const sentences = [first];
  const asked = askedRelevance(context, askedTerms(context, context.topics));
  const relevance = (sentence: EvidenceSentence): number => Math.max(asked(sentence), purpose(sentence));
  // Asked for the short version ("basically", "说白了"): the defining sentence alone, not what continues it.
  const most = ASKS_PLAINLY.test(context.query) ? 1 : 3;
  let current: EvidenceSentence | undefined = first;
  while (sentences.length < most && current) {
    current = neighbour(context, current, 1);
    if (!current || !(CONTINUATION.test(plain(current.text)) || mentionsAny(current, labels))) break;
    // A new list item under a label of its own ("2. **复用价值**:…" after "1. **基础模型强大**:…预训练模型…") states
    // another point, though it names the topic's head word in passing, unless it holds what the question asks.
    if (ITEM_START.test(current.text) && labelOf(current) !== undefined && !opensWith(current, topic.zh) && relevance(current) === 0) break;
    if (pickDistinct(context, [current], { limit: 1, taken: sentences }).length === 0) break;
    sentences.push(current);
  }
  // The defining sentence and the one continuing it are the definition; a further one (what it assumes, what it can
  // include) answers another question unless it holds the asked words (or the purpose asked for: "…,以改善模型的表现")
  // as much as the best sentence holds them.
  const best = Math.max(...sentences.map(relevance));
  // Asked what it is for, the definition's continuation stays only when it states an aim too.
  const told = ASKS_PURPOSE.test(context.query) ? 1 : 2;
  const kept = sentences.filter((sentence, index) => index < told || (best > 0 && relevance(sentence) >= best * SUPPORT_RATIO));
  return { kind: 'definition', topics: context.topics, blocks: [{ role: 'main', sentences: kept }] };
}

/** The Chinese frames of a definition that follow what is defined ("X是什么", "X指什么", "X的含义", "X怎么理解"). */
const DEFINED_BEFORE = /是什么|是啥|是个|指的是|指什么|是指|的意思|是.{0,2}意思|的含义|的定义|是怎么|怎么理解|是一种|是怎样/;

/**
 * The context with the topic the question defines first: in Chinese the term right before the definition's frame
 * ("大模型的微调指什么" defines 微调, "在机器学习中，调教是什么意思" 调教), not the first term named; English questions
 * name what they define first ("What is tuning in machine learning?").
 */
function withDefinedTopicFirst(context: PlanContext): PlanContext {
  const frame = DEFINED_BEFORE.exec(context.query);
  if (!frame || context.topics.length < 2) return context;
  const before = context.topics
    .map((topic) => ({ topic, span: termSpan(context.query, topic) }))
    .filter(({ span }) => span !== undefined && span.end <= frame.index)
    .sort((left, right) => (right.span?.end ?? 0) - (left.span?.end ?? 0))[0];
  if (!before || before.topic === context.topics[0]) return context;
  // Terms joined as one subject ("调教和微调是什么关系") are both defined: the first stays first.
  const first = termSpan(context.query, context.topics[0] as GlossaryTerm);
  const between = first && before.span ? context.query.slice(first.end, before.span.start) : '';
  if (/[和与跟及、]|还是/.test(between)) return context;
  return { ...context, topics: [before.topic, ...context.topics.filter((topic) => topic !== before.topic)] };
}

/** A question on what a thing is for ("目的", "为了什么", "what's the point of", "what is it for"). */
const ASKS_PURPOSE =
  /目的|为了什么|有什么用|用来(?:做|干)什么|干什么用|\bpurpose\b|\bpoint of\b|\baims?\b|\bgoals?\b|\bwhat (?:is|are|'s) [\w -]{1,40} for\W*$|\bwhat for\b/i;
/** A clause stating what something is done for: "…,以改善模型的表现", "旨在…", "为了…", "使其能够…". */
const PURPOSE_CLAUSE = /[,，](?:以|以便|使其|使得)|旨在|为了/;

/** 1 for a sentence stating a purpose when the question asks what its topic is for, else 0. */
function purposeOf(context: PlanContext): (sentence: EvidenceSentence) => number {
  const asked = ASKS_PURPOSE.test(context.query);
  return (sentence) => (asked && PURPOSE_CLAUSE.test(plain(sentence.text)) ? 1 : 0);
}

/**
 * Whether the section a sentence stands in is headed by what the question asks beyond its topics ("1. 目的" /
 * "1. Purpose" for "微调的目的是什么"): that section defines the topic in the respect asked.
 */
function headedByAsked(context: PlanContext): (sentence: EvidenceSentence) => boolean {
  const words = wordsBeyond(context.queryTerms, termNames(context.topics));
  return (sentence) => {
    const heading = sectionHeadings(sentence);
    return words.some((word) => heading.includes(word));
  };
}

/** What stating the question's pole counts for in a cued sentence: as much as a strong cue, since it is what was asked. */
const POLE_CREDIT = 0.5;

/** A sentence without its label ("**应用**:更快,因为…" → "更快,因为…"): what a cue at its start must follow. */
export const unlabelled = (text: string): string => plain(text).replace(/^"?[^\s:：,，。"]{1,8}"?[:：]\s*/, '');

/**
 * Evidence chosen by the cue words of the question's kind (a reason's 因为, a risk's 可能 / 过拟合): the cued sentences
 * ranked by the question's own words (beyond its topics), a strong cue (a stated cause, a named risk) and the topic;
 * each with the sentence it continues when it opens with 因为 / 这 / 但, the strongest first. Comparison sections count:
 * "**应用**:更快,因为无需重新训练" gives a reason after its label.
 */
function planByCue(context: PlanContext, kind: 'reason' | 'risk'): AnswerPlan | undefined {
  const cue = INTENT_SENTENCE_CUES[kind];
  const strong = STRONG_CUES[kind];
  const literalOnly = literalBonus(context);
  const topical = topicalBonus(context);
  const asked = askedTerms(context, context.topics);
  // A reason often follows its claim ("…这个词更准确。因为它强调了…"): it is as relevant as the claim it continues,
  // and on the topic its claim names.
  const claimOf = (sentence: EvidenceSentence): EvidenceSentence | undefined =>
    CONTINUATION.test(plain(sentence.text)) ? neighbour(context, sentence, -1) : undefined;
  const onTopic = (sentence: EvidenceSentence): number => {
    const claim = claimOf(sentence);
    return Math.max(topical(sentence), claim ? topical(claim) : Number.NEGATIVE_INFINITY);
  };
  const literal = (sentence: EvidenceSentence): number => literalOnly(sentence) + onTopic(sentence);
  // The topic's own words are in nearly every candidate: what the question asks beyond them tells the candidates apart.
  const own = (sentence: EvidenceSentence | undefined): number => (sentence ? 0.4 * sentence.match + askedShare(sentence, asked) : 0);
  const relevance = (sentence: EvidenceSentence): number => Math.max(own(sentence), own(claimOf(sentence)) - 0.05) + 0.2 * sentence.score;
  // A sentence labelled with another term ("**应用**:…" asked about 微调) states that term's cause or risk.
  const other = aboutOtherTerm(context);
  // A sentence stating the pole the question presupposes ("Why is it quick?": "**应用**:更快,因为…") states its word in
  // other words; one stating only the opposite pole ("时间较长,因为…") gives the reason for the opposite.
  const stance = poleStance(context);
  const cued = context.pool.filter(
    (sentence) =>
      cue?.test(sentence.text) &&
      !other(sentence) &&
      (sentence.terms.size > 0 || (claimOf(sentence)?.terms.size ?? 0) > 0 || stance(sentence) === 'agrees'),
  );
  const strengthOf = (sentence: EvidenceSentence): number =>
    relevance(sentence) +
    literal(sentence) +
    (strong.test(unlabelled(sentence.text)) ? 0.5 : 0) +
    (stance(sentence) === 'agrees' ? POLE_CREDIT : 0);
  // A risk the article names (不如, 过拟合) answers a risk question before a sentence that only hedges (可能只需…): where a
  // literal sentence of the retrieved passages names one, the hedges are left out. Causes are stated more loosely.
  const namesRisk = (sentence: EvidenceSentence): boolean => strong.test(unlabelled(sentence.text)) && literalOnly(sentence) === 0;
  const retrievedNamed = cued.filter((sentence) => namesRisk(sentence) && context.retrievedIds.has(sentence.chunk.chunkId));
  // A risk question in everyday words ("有什么需要担心的") may retrieve only the topic's hedges ("但需要调整…"): a risk the
  // article names for the topic in a passage found for it then still comes before them.
  const named =
    retrievedNamed.length > 0 || kind !== 'risk' ? retrievedNamed : cued.filter((sentence) => namesRisk(sentence) && topical(sentence) > 0);
  const stated = kind === 'risk' && named.length > 0 ? named : cued;
  // What the question turns on (为啥微调会过拟合: 过拟合, in one sentence of the pool): where some cued sentence, or the
  // claim it continues, names it, the causes of something else ("因为它强调了…" of the word 微调) are left out.
  const specific = mostSpecificTopic(context);
  const namesSpecific = (sentence: EvidenceSentence): boolean =>
    specific !== undefined && [sentence, claimOf(sentence)].some((part) => part !== undefined && mentionsAny(part, labelsOf(specific)));
  const specificOnes = stated.some(namesSpecific) ? stated.filter(namesSpecific) : stated;
  // Once the subject has had its say (other terms' sentences are out), the asked pole decides: the opposite pole's
  // sentences give way where a sentence states the asked one.
  const candidates = specificOnes.some((sentence) => stance(sentence) === 'agrees')
    ? specificOnes.filter((sentence) => stance(sentence) !== 'opposed')
    : specificOnes;
  const ranked = rankBy(context, candidates, (sentence) => strengthOf(sentence) - sentence.score);
  const picked = pickDistinct(context, ranked, { limit: 2 });
  if (picked.length === 0) return undefined;
  // A second sentence only when it is nearly as strong as the first and holds what was asked nearly as well (a
  // second 因为 sentence sharing only "need" with the question is not a reason for it): a weak one dilutes the answer.
  const second = picked[1];
  const first = picked[0] as EvidenceSentence;
  const askedOf = askedRelevance(context, asked, mostSpecificTopic(context));
  const withClaim = (of: (sentence: EvidenceSentence) => number) => (sentence: EvidenceSentence) => {
    const claim = claimOf(sentence);
    return Math.max(of(sentence), claim ? of(claim) : 0);
  };
  const askedWithClaim = withClaim(askedOf);
  const matchWithClaim = withClaim((sentence) => sentence.match);
  // A second reason must also add a word of the question the first (with its claim) does not hold: one that repeats
  // only the topic's name ("微调为啥要花那么久" after "时间较长,因为涉及到训练": "由于针对性地优化…") gives the cause of
  // something else. Two risks of one topic are two answers to what was asked, and both stay.
  const firstWords = new Set([...first.terms, ...(claimOf(first)?.terms ?? [])]);
  const adds = (sentence: EvidenceSentence): boolean =>
    [sentence, claimOf(sentence)].some((part) => part !== undefined && [...part.terms].some((term) => !firstWords.has(term)));
  if (
    second &&
    (strengthOf(second) < strengthOf(first) * 0.85 ||
      matchWithClaim(second) < matchWithClaim(first) * 0.7 ||
      keepRelevant(picked, askedWithClaim).length < 2 ||
      (kind === 'reason' && !adds(second)))
  )
    picked.pop();
  const sentences: EvidenceSentence[] = [];
  for (const sentence of picked) {
    const before = claimOf(sentence);
    if (before && pickDistinct(context, [before], { limit: 1, taken: [...sentences, ...picked] }).length > 0) sentences.push(before);
    sentences.push(sentence);
  }
  // Answer first: the strongest cause or risk leads (with the claim it continues), the weaker one follows.
  return { kind, topics: context.topics, blocks: [{ role: 'main', sentences }] };
}

/** Cue words that are the answer in themselves: a stated cause (at the start or after a comma), a named risk. */
export const STRONG_CUES: Readonly<Record<'reason' | 'risk', RegExp>> = {
  reason: /(?:^|[,，])(?:因为|由于)|旨在|强调/,
  risk: /过拟合|风险|局限|缺点|代价|不如/,
};

export const planReason = (context: PlanContext) => planByCue(context, 'reason');
export const planRisk = (context: PlanContext) => planByCue(context, 'risk');

/**
 * Which term to use: the article's recommendation, ranked by the question's own words ("更广", "learning rate"),
 * with its reason; then the lines of its summary rule that share those words (all of them when the question has none).
 */
export function planWhich(context: PlanContext): AnswerPlan | undefined {
  const cue = INTENT_SENTENCE_CUES.which;
  const labels = context.topics.flatMap((topic) => labelsOf(topic.zh));
  const asked = askedTerms(context, context.topics);
  const recommending = context.pool.filter(
    (sentence) => askedShare(sentence, asked) > 0 || (cue?.test(sentence.text) && (labels.length === 0 || mentionsAny(sentence, labels))),
  );
  const literal = literalBonus(context);
  // The question's comparative ("更广", "broader") is the criterion the choice turns on: it weighs double.
  const criterion = asked.filter((term) => /^(?:更|较|最)|[a-z]{3,}er$/.test(term));
  const value = (sentence: EvidenceSentence): number =>
    literal(sentence) +
    askedShare(sentence, asked) +
    askedShare(sentence, criterion) +
    (cue?.test(sentence.text) ? 0.3 : 0) +
    (mentionsAny(sentence, labels) ? 0.1 : 0);
  const recommendation = pickDistinct(context, rankBy(context, recommending, value), { limit: 1 });
  const blocks: PlanBlock[] = [];
  if (recommendation[0]) {
    const reason = neighbour(context, recommendation[0], 1);
    const sentences = reason && /^(?:因为|由于)/.test(plain(reason.text)) ? [recommendation[0], reason] : [recommendation[0]];
    blocks.push({ role: 'recommendation', sentences });
  }
  const taken = blocks.flatMap((block) => block.sentences);
  // A recommendation taken from the summary already is the summary's rule.
  const fromSummary = taken.some((sentence) => isSummaryChunk(sentence.chunk));
  const summary = (fromSummary ? [] : summarySentences(context, labels, 2, taken)).filter(
    (sentence) => asked.length === 0 || askedShare(sentence, asked) > 0,
  );
  if (summary.length > 0) blocks.push({ role: 'summary', sentences: summary });
  return blocks.length > 0 ? { kind: 'which', topics: context.topics, blocks } : undefined;
}

/** The gist: the article's summary section on the topics, else the general plan's best sentences. */
export function planSummary(context: PlanContext): AnswerPlan | undefined {
  const labels = context.topics.flatMap((topic) => labelsOf(topic.zh));
  const summary = summarySentences(context, labels, 3, []);
  if (summary.length === 0) return undefined;
  return { kind: 'summary', topics: context.topics, blocks: [{ role: 'summary', sentences: summary }] };
}

/** Any question: the general plan's sentences in reading order. */
export function planGeneral(context: PlanContext): AnswerPlan | undefined {
  const sentences = generalSentences(context);
  return sentences.length > 0 ? { kind: context.kind, topics: context.topics, blocks: [{ role: 'main', sentences }] } : undefined;
}

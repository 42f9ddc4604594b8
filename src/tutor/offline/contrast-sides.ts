import type { GlossaryTerm } from '../../ingest/glossary.js';
import { respectStatementWords, respectsAsked } from '../../retrieval/aspect-words.js';
import { escapeRegExp } from '../../support/escape-regexp.js';
import { isGenericConcept } from '../concept-map.js';
import { PAIR_WORDS } from '../pair-reference.js';
import { labelOf, mentionsAny, wordsBeyond } from './plan-support.js';
import type { PlanContext } from './plan-types.js';
import { type EvidenceSentence, isAnalogyChunk, labelsOf, plain } from './sentence-evidence.js';
import { termSpan } from './term-spans.js';

/**
 * What joins the two sides of a comparison in a question: "A和B", "A还是B", "A or B", "A different from B", and the
 * links of a question whether one is the other or a kind of it ("A是不是就是一种B", "A the same as B", "A a kind of B").
 */
const JOINING = new RegExp(
  [
    // Chinese joiners, with the verb of a choice repeated after them ("用A还是用B", "A和直接用B").
    '(?:和|与|跟|同|及|以及|还是|或|或者|或是|、|/|／|对比|比|比起|相比|相对于|相较于|而不是|而非|不同于)(?:直接)?(?:用|说|叫|选|选择)?',
    // English joiners, after a few words that only finish the first side ("applying the model as it is or …").
    '(?:(?:it|them|as is|as it is|directly|alone|itself|on its own|instead) )?(?:vs\\.?|versus|and|or)(?: to| just| simply)?',
    'from|with|than|to|over|instead of|rather than|unlike|as opposed to|(?:is |are )?(?:different|differs?) (?:from|to)|compared? (?:to|with)',
    // A comparative between them ("tuning broader than fine-tuning", "调教比微调宽泛").
    '(?:is |are )?(?:\\w+er|more \\w+|less \\w+) than',
    '(?:是不是|是否|算不算|算是|就是|只是|是|属于)+(?:一种|一类)?',
    '(?:is |are )?(?:just |really |basically )?(?:the same (?:thing )?as|same as|like|an? (?:kind|type|form|sort|part) of|(?:another|other) (?:word|name|term) for|a synonym (?:of|for))',
  ]
    .map((alternative) => `^(?:${alternative})$`)
    .join('|'),
  'i',
);

/** A joiner that offers a choice ("A还是B", "A or B", "A/B"), not a plain pair ("A和B"). */
const ALTERNATIVE = /还是|或|\bor\b|\bvs\b|versus|[/／]/i;

/**
 * The two sides of a contrast. Two topics the question joins ("微调和调教", "applying a model different from
 * fine-tuning") or asks the same of in two clauses (`parallelSides`) come first; else its first two topics; with only one, a query word the passages use as a label
 * ("**应用**:" for "应用和微调的区别") stands for the other side, else the counterpart the article sets against the topic.
 * A side the article never states in parallel with the other ("a pretrained model" against 微调) gives way to that
 * counterpart when the counterpart's statements name it ("**应用**:通常是直接使用预训练模型…").
 */
export function contrastSides(context: PlanContext): GlossaryTerm[] {
  const joined = joinedSides(context) ?? parallelSides(context) ?? pointedPair(context);
  const sides = subjectsOf(context, joined ? [...joined] : context.topics.slice(0, 2));
  if (sides.length >= 2) {
    const [one, two] = sides as [GlossaryTerm, GlossaryTerm];
    if (statedInParallel(context, one, two) || labelledInFigure(context, [one, two])) return sides;
    const names = (side: GlossaryTerm) => (sentence: EvidenceSentence) => (mentionsAny(sentence, labelsOf(side.zh)) ? 1 : 0);
    const forOne = counterpartOf(context, two, names(one));
    if (forOne && forOne.zh !== two.zh) return [forOne, two];
    const forTwo = counterpartOf(context, one, names(two));
    return forTwo && forTwo.zh !== one.zh ? [one, forTwo] : sides;
  }
  for (const word of wordsBeyond(
    context.queryTerms,
    sides.flatMap((side) => labelsOf(side.zh)),
  )) {
    if (sides.length >= 2) break;
    // The word is the whole label ("应用:", "调教(Tuning):"), not the start of another one ("计算资源需求:" for 计算).
    const label = new RegExp(`^${escapeRegExp(word)}(?:[(（][^)）]{0,24}[)）])?[:：]`);
    if (context.pool.some((sentence) => label.test(plain(sentence.text)))) sides.push({ zh: word, en: [], gloss: word });
  }
  if (sides.length === 0) {
    const best = context.pool.find((sentence) => context.retrievedIds.has(sentence.chunk.chunkId));
    return best ? titleSides(best.chunk.title, context.glossary) : [];
  }
  const only = sides[0];
  if (sides.length === 1 && only) {
    const counterpart = counterpartOf(context, only, (sentence) => sentence.match);
    if (counterpart) sides.push(counterpart);
  }
  return sides;
}

/**
 * The two topics a pair word points back to within the question ("…一会儿说微调一会儿说调教，…这俩到底差在哪儿？",
 * "…fine-tuning and tuning… the two"): the last two it names before the pair word, not a word of the context
 * before them ("一篇讲大模型的文章").
 */
function pointedPair(context: Pick<PlanContext, 'query' | 'topics'>): [GlossaryTerm, GlossaryTerm] | undefined {
  const pair = PAIR_WORDS.exec(context.query);
  if (!pair) return undefined;
  const before = context.topics
    .map((topic) => ({ topic, start: termSpan(context.query, topic)?.start }))
    .filter((entry): entry is { topic: GlossaryTerm; start: number } => entry.start !== undefined && entry.start < pair.index)
    .sort((left, right) => left.start - right.start);
  const [one, two] = before.slice(-2);
  return before.length > 2 && one && two ? [one.topic, two.topic] : undefined;
}

/** A negation right before a word: "无需重新训练" says the item does without it. */
const NEGATED_BEFORE = /(?:无需|不需要|不用|不必|无|不|没有|未)$/;

/**
 * The sides as the things the article contrasts. A side the article never uses as a label ("重新训练", "retraining"),
 * though its labelled statements name it, stands for the one labelled item whose statements name it and do not
 * negate it ("**微调**:则是对模型的…参数进行重新训练…", not "**应用**:…无需重新训练"); a side that names the asked
 * respect instead ("compute" of "Which costs more compute…"), or that no labelled item names alone (训练过程, carried
 * from an earlier turn), is no side: the counterpart takes its place. Sides the article labels stay as asked.
 */
function subjectsOf(context: PlanContext, sides: GlossaryTerm[]): GlossaryTerm[] {
  const labelledAnywhere = (side: GlossaryTerm): boolean => context.pool.some((sentence) => labelledAs(sentence, side));
  if (sides.length === 0 || sides.every(labelledAnywhere)) return sides;
  const respectWords = new Set(respectsAsked(context.query).flatMap(respectStatementWords));
  const mapped: GlossaryTerm[] = [];
  for (const side of sides) {
    if (!labelledAnywhere(side) && respectWords.has(side.zh)) continue;
    const item = labelledAnywhere(side) ? side : itemNaming(context, side);
    if (item && !mapped.some((kept) => kept.zh === item.zh)) mapped.push(item);
  }
  return mapped.length > 0 ? mapped : sides;
}

/** The one labelled item whose statements name a term without negating it, if exactly one does. */
function itemNaming(context: PlanContext, term: GlossaryTerm): GlossaryTerm | undefined {
  const items = new Set<string>();
  for (const sentence of context.pool) {
    const label = labelOf(sentence);
    if (!label || !context.termLabels.has(label)) continue;
    const text = plain(sentence.text);
    // The term as written, not its head alone (训练 of 重新训练 is in every training sentence).
    const at = text.indexOf(term.zh);
    if (at >= 0 && !NEGATED_BEFORE.test(text.slice(0, at))) items.add(label);
  }
  const [only] = items;
  return items.size === 1 && only !== undefined ? (context.termOf(only) ?? { zh: only, en: [], gloss: only }) : undefined;
}

const labelledAs = (sentence: EvidenceSentence, side: GlossaryTerm): boolean => {
  const label = labelOf(sentence);
  return label !== undefined && labelsOf(side.zh).includes(label);
};

/**
 * Asked about the analogy, whether the figure labels each side ("预训练模型:就像是…厨师", "微调:就像是…"): each is
 * told by its own figure there, and neither gives way to a counterpart outside it.
 */
function labelledInFigure(context: PlanContext, sides: readonly GlossaryTerm[]): boolean {
  return (
    context.kind === 'analogy' &&
    sides.every((side) => context.pool.some((sentence) => isAnalogyChunk(sentence.chunk) && labelledAs(sentence, side)))
  );
}

/** Whether one passage states both sides, each in a sentence labelled with it ("微调:…" beside "调教:…"). */
function statedInParallel(context: PlanContext, one: GlossaryTerm, two: GlossaryTerm): boolean {
  const chunks = new Set(context.pool.filter((sentence) => labelledAs(sentence, one)).map((sentence) => sentence.chunk.chunkId));
  return context.pool.some((sentence) => chunks.has(sentence.chunk.chunkId) && labelledAs(sentence, two));
}

/**
 * The term the article sets against a side: the glossary term labelling sentences in the passages where a sentence is
 * labelled with the side ("**应用**:…" beside "**微调**:…"), the one whose sentences score best by `value`; undefined
 * when none scores above zero.
 */
function counterpartOf(context: PlanContext, side: GlossaryTerm, value: (sentence: EvidenceSentence) => number): GlossaryTerm | undefined {
  const own = new Set(labelsOf(side.zh));
  const chunks = new Set(context.pool.filter((sentence) => labelledAs(sentence, side)).map((sentence) => sentence.chunk.chunkId));
  const totals = new Map<string, number>();
  for (const sentence of context.pool) {
    const label = labelOf(sentence);
    if (!label || own.has(label) || !chunks.has(sentence.chunk.chunkId) || !context.termLabels.has(label)) continue;
    totals.set(label, (totals.get(label) ?? 0) + value(sentence));
  }
  const best = [...totals].sort((left, right) => right[1] - left[1])[0];
  return best && best[1] > 0 ? (context.termOf(best[0]) ?? { zh: best[0], en: [], gloss: best[0] }) : undefined;
}

/**
 * Two topics the question joins as the sides of a comparison ("微调和调教", "A or B", "A different from B"), if any.
 * With `choice`, a pair offered as alternatives ("…算是微调还是调教", "A or B") wins over one joined by 和 / and before
 * it ("调整超参数和学习率算是微调还是调教": the choice is between 微调 and 调教).
 */
export function joinedSides(
  context: Pick<PlanContext, 'query' | 'topics'>,
  options: { readonly choice?: boolean } = {},
): [GlossaryTerm, GlossaryTerm] | undefined {
  const placed = context.topics
    .map((topic) => ({ topic, span: termSpan(context.query, topic) }))
    .filter((entry): entry is { topic: GlossaryTerm; span: { start: number; end: number } } => entry.span !== undefined)
    .sort((left, right) => left.span.start - right.span.start);
  let joined: [GlossaryTerm, GlossaryTerm] | undefined;
  for (let index = 0; index + 1 < placed.length; index += 1) {
    const [left, right] = [placed[index], placed[index + 1]] as [(typeof placed)[number], (typeof placed)[number]];
    const between = context.query
      .slice(left.span.end, right.span.start)
      .replace(/["'“”「」\s,，]+/g, ' ')
      .trim();
    if (!JOINING.test(between)) continue;
    if (!options.choice || ALTERNATIVE.test(between)) return [left.topic, right.topic];
    joined ??= [left.topic, right.topic];
  }
  return joined;
}

/**
 * The article's own two sides, for a comparison that names none ("这两个词有什么区别？", "How do the two terms
 * differ?"): the two terms a document's title joins ("理解大模型的微调和调教的区别"), else the first two it names.
 */
export function titleSides(title: string, glossary: readonly GlossaryTerm[]): GlossaryTerm[] {
  const named = glossary.filter((term) => title.includes(term.zh) && !isGenericConcept(term.zh));
  const specific = named.filter((term) => !named.some((other) => other !== term && other.zh.includes(term.zh)));
  // A term right before another one in the title modifies it ("大模型微调" is about 微调).
  const heads = specific
    .filter((term) => !specific.some((other) => title.includes(`${term.zh}${other.zh}`)))
    .sort((left, right) => title.indexOf(left.zh) - title.indexOf(right.zh));
  return joinedSides({ query: title, topics: heads }) ?? heads.slice(0, 2);
}

/** Where a question's clauses part: a comma or semicolon, or an English ", and" / "and what…". */
const CLAUSE_BREAK = /[，,；;]|\band (?=what|how|does|do|is|are|can)\b/gi;

/** A clause that asks again what the one before it asked, of another subject. */
const ASKED_AGAIN = /也|同样|呢|^\s*那|what about|how about|\btoo\b|\balso\b|as well/i;

/** Words two clauses share beyond the sides' names: English words of four letters or more, Chinese character pairs. */
function sharedWords(one: string, two: string, names: readonly string[]): number {
  const strip = (text: string): string => names.reduce((rest, name) => rest.split(name).join(' '), text.toLowerCase());
  const words = (text: string): Set<string> => {
    const stripped = strip(text);
    const latin = (stripped.match(/[a-z]{4,}/g) ?? []).filter((word) => !/^(?:what|does|have|with|that|this|which)$/.test(word));
    const han = [...stripped.matchAll(/[\u4e00-\u9fff]{2,}/g)].flatMap(([run]) =>
      [...run].slice(1).map((char, index) => `${run[index]}${char}`),
    );
    return new Set([...latin, ...han]);
  };
  const left = words(one);
  return [...words(two)].filter((word) => left.has(word)).length;
}

/**
 * Two topics asked about in two clauses of one question, one each ("微调要在新数据集上训练，模型应用也要吗？", "What does
 * the effect of X depend on, and what does the effect of Y depend on?"): the same question put to each side, so they
 * are its sides. Undefined unless exactly two clauses name topics, and their subjects (the topic each names first) differ.
 */
export function parallelSides(context: Pick<PlanContext, 'query' | 'topics'>): [GlossaryTerm, GlossaryTerm] | undefined {
  const clauses = context.query.split(CLAUSE_BREAK).filter((clause) => clause.trim() !== '');
  if (clauses.length < 2) return undefined;
  // Each clause's subject: the topic it names first ("微调可能会过拟合" is about 微调, not 过拟合).
  const subjects = clauses
    .map((clause) => {
      const placed = context.topics
        .map((topic) => ({ topic, start: termSpan(clause, topic)?.start }))
        .filter((entry): entry is { topic: GlossaryTerm; start: number } => entry.start !== undefined);
      return placed.sort((left, right) => left.start - right.start)[0]?.topic;
    })
    .filter((topic): topic is GlossaryTerm => topic !== undefined);
  if (subjects.length !== 2) return undefined;
  const [one, two] = subjects as [GlossaryTerm, GlossaryTerm];
  if (one.zh === two.zh) return undefined;
  // The same question: a later clause that says so ("也", "那…呢", "too"), or two clauses asking in the same words.
  const [first, ...rest] = clauses.filter((clause) => context.topics.some((topic) => termSpan(clause, topic) !== undefined));
  const later = rest.join(' ');
  const forms = [one, two].flatMap((side) => [side.zh, ...side.en]);
  return ASKED_AGAIN.test(later) || sharedWords(first ?? '', later, forms) >= 2 ? [one, two] : undefined;
}

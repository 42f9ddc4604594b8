/**
 * Questions that ask for an amount: how much, how many, how long, what value ("微调要花多长时间？", "学习率设成多少比较好？",
 * "What is the best learning rate for fine-tuning?"). Such a question is answered only by a sentence that states an
 * amount of what it asks about (a number, or a word of the duration, amount or scope scales: 时间较长, 较高的计算资源,
 * 部分或全部参数); a sentence that merely names the thing (学习率的改变) does not say how much of it there is. Coverage
 * uses this so that a question asking for a value the article never gives is "not covered" however many of its words
 * match. A yes/no question about an amount ("微调需要更长时间吗？", "Does the amount of data matter?") asks whether, not
 * how much, and is not one of them.
 */
import { alignedRendering } from '../ingest/aligned-rendering.js';
import type { ChunkRecord } from '../ingest/chunk-types.js';
import { splitSentences } from '../ingest/sentence-splitter.js';
import type { AnalyzedQuery, QueryWord } from './analyzed-query.js';
import { poleWordsOf, type Scale } from './opposite-words.js';

/** What an amount question asks for, as written in the question. */
export interface AskedAmount {
  /** The words that ask for the amount (多长时间, "how many", "best … rate"): they say nothing about its subject. */
  readonly phrase: string;
  /**
   * The thing whose amount is asked, as written, when the question names it next to the phrase (多少钱 → 钱, 学习率设成多少
   * → 学习率, "how many epochs" → epochs, "the best learning rate" → learning rate); absent when it is the question's
   * other words ("How long does fine-tuning take?").
   */
  readonly focus?: string;
  /**
   * What is asked: a duration (多久, "how long") is stated only by words of the duration scale; other amounts by theirs;
   * a count or a value (几张, 多少度, "how many GPUs", "what batch size") only by a number or a definite share (部分或全部).
   */
  readonly scale: AmountScale;
}

/**
 * `count`: the question counts things or asks a value in units (a measure word or unit after 多少/几: 几张GPU, 多少度,
 * 几个轮次; "how many" + a noun; the value of a quantity, "what batch size"): "较高的计算资源" says there is much of it,
 * not how many there are, so only a number answers, or a definite share of a whole ("部分或全部参数").
 */
export type AmountScale = 'duration' | 'amount' | 'count';

const CHINESE_DURATION = /^(?:多长时间|多少时间|多久|多长|几(?:天|周|年|个月|小时|分钟))$/;

/** A yes/no question (…吗？, 是否…, "Does…?", "Is…?") asks whether, not how much. */
const CHINESE_YES_NO = /[吗嘛][？?！!。\s]*$|是否|是不是|有没有|能不能|会不会|要不要/;
const ENGLISH_OPENING = /^\s*(?:(?:so|and|but|ok|okay|then)[,\s]+)?(?:how|what|which)\b/i;

/** Chinese words that ask for a duration or a value (多久, 几个, 多大); 多少 also as "whatever amount" (数据多少有影响吗 is yes/no). */
const CHINESE_AMOUNT = /多长时间|多少时间|多久|多长|多大|多高|多少|几(?:[个块只次轮步层天周年]|个月|小时|分钟)?/;
/** The thing right after the amount word (多少钱, 几个轮次), or right before a verb setting it (学习率设成多少, 学习率是多少). */
const CHINESE_FOCUS_AFTER =
  /^(?!比较|最|合适|为宜|好|呢|才|就|吧|啊|呀)([\u3400-\u9fff]{1,4}?)(?=[，,。？?！!\s]|$|合适|比较|最|为宜|好|呢)/;
const MEASURE = /^(?:[个块只次轮步层张台位种份]|的)/;
const CHINESE_FOCUS_BEFORE =
  /([\u3400-\u9fff]{2,4}?)(?:应该|要|得|最好|具体)*(?:设成|设为|设置为|设置成|设到|调到|调成|定为|取|选|是|为|用|有)$/;

/** Nouns that name a quantity: the best or right one of them is a value ("the best learning rate", "what batch size"). */
const QUANTITY_NOUN = '(?:rate|size|value|number|amount|ratio|count|temperature|length|price|cost|budget|epochs?|steps?|dose)';
const ENGLISH_AMOUNT: readonly RegExp[] = [
  /\bhow\s+(?:long|much\s+time)\b/i,
  /\bhow\s+(?:many|much)\s+(?:of\s+(?:the|its|their|my)\s+)?((?:[a-z][\w'-]*\s+){0,1}[a-z][\w-]*)/i,
  /\bhow\s+(?:many|much)\b/i,
  new RegExp(`\\b(?:best|optimal|ideal|right|recommended|typical|correct|good)\\s+((?:[a-z][\\w-]*\\s+){0,2}${QUANTITY_NOUN})\\b`, 'i'),
  new RegExp(`\\bwhat\\s+((?:[a-z][\\w-]*\\s+){0,2}${QUANTITY_NOUN})\\s+(?:should|do|would|to|is|works)\\b`, 'i'),
];
const ENGLISH_NON_FOCUS = /^(?:do|does|did|is|are|will|would|should|can|time|more|less|longer)\b/i;

/** The amount a question asks for, or undefined when it asks for none (or asks only whether there is one). */
export function askedAmountOf(question: string): AskedAmount | undefined {
  if (/[\u3400-\u9fff]/.test(question) && !ENGLISH_OPENING.test(question)) return chineseAmount(question);
  if (!ENGLISH_OPENING.test(question)) return undefined;
  for (const pattern of ENGLISH_AMOUNT) {
    const match = pattern.exec(question);
    if (!match) continue;
    const focus = match[1]?.trim();
    const scale = englishScale(pattern, match[0]);
    return focus && !ENGLISH_NON_FOCUS.test(focus) ? { phrase: match[0], focus, scale } : { phrase: match[0], scale };
  }
  return undefined;
}

/** "how long" asks a duration; "how many" + a noun (not "how many of the…", a share) and a quantity's value ask a count. */
function englishScale(pattern: RegExp, phrase: string): AmountScale {
  if (pattern === ENGLISH_AMOUNT[0]) return 'duration';
  if (pattern === ENGLISH_AMOUNT[3] || pattern === ENGLISH_AMOUNT[4]) return 'count';
  return /^how\s+many\s+(?!of\b)[a-z]/i.test(phrase) ? 'count' : 'amount';
}

/** A measure word or unit right after 多少/几: what is asked is counted (几张GPU, 多少度, 几个轮次, 几天). */
const COUNTED = /^(?:[个块只次轮步层张台位种份度元勺件条根倍秒天周年]|个月|小时|分钟|星期)/;

function chineseAmount(question: string): AskedAmount | undefined {
  if (CHINESE_YES_NO.test(question)) return undefined;
  const match = CHINESE_AMOUNT.exec(question);
  if (!match) return undefined;
  // A measure word before the thing (多少个模型, 几块显卡) is not the thing, unless it is the thing's first character (几个轮次).
  const rest = question.slice(match.index + match[0].length);
  const unmeasured = rest.replace(MEASURE, '');
  const measured = CHINESE_FOCUS_AFTER.exec(unmeasured)?.[1];
  const after = measured !== undefined && measured.length >= 2 ? measured : (CHINESE_FOCUS_AFTER.exec(rest)?.[1] ?? measured);
  const counted = /^几./.test(match[0]) || COUNTED.test(rest);
  const scale: AmountScale = counted ? 'count' : CHINESE_DURATION.test(match[0]) ? 'duration' : 'amount';
  // What is counted may be written in Latin letters after its measure word (几张GPU).
  const latin = counted ? /^[A-Za-z][\w-]*/.exec(rest.replace(COUNTED, ''))?.[0] : undefined;
  if (latin) return { phrase: match[0], focus: latin, scale };
  // A unit alone after the amount word (多少度) is not the thing: it is named before (空调温度调到多少度).
  const unitOnly = after !== undefined && COUNTED.test(after) && after.length === 1;
  if (after && !unitOnly && !/^(?:时间|钟|呢)$/.test(after) && /^多少|^几/.test(match[0])) return { phrase: match[0], focus: after, scale };
  const before = CHINESE_FOCUS_BEFORE.exec(question.slice(0, match.index))?.[1];
  return before ? { phrase: match[0], focus: before, scale } : { phrase: match[0], scale };
}

/** Scales whose words state each kind of amount: 时间较长 and "takes longer"; 较高的计算资源, 部分或全部参数. */
const STATING_SCALES: Readonly<Record<AmountScale, ReadonlySet<Scale>>> = {
  duration: new Set<Scale>(['duration']),
  amount: new Set<Scale>(['amount', 'scope']),
  count: new Set<Scale>(['scope']),
};
/** Indefinite words of the scope scale say that there are some, not how many: "在某些情况下", "添加一些调料". */
const INDEFINITE: ReadonlySet<string> = new Set(['某些', '一些', '有些', '任何', 'some', 'certain', 'any']);
/**
 * Shares of a whole that answer a count of its parts ("部分或全部参数"); not 只 or "only", and not "all", which is as
 * often "all kinds of" as a share.
 */
const DEFINITE_SHARES: ReadonlySet<string> = new Set(['全部', '所有', '整个', '部分', 'entire', 'whole', 'part', 'partial']);

/**
 * The sentence states an amount of the kind: a number, or a word of its scales (a duration: 较长, 更快; another amount:
 * 较高, 大量, 部分, 全部 but not 一些). "经过多次尝试" states how many attempts, not how long the stew simmers.
 */
export function statesAmount(sentence: string, scale: AmountScale): boolean {
  const scales = STATING_SCALES[scale];
  // A list item's number (1. **基础模型强大**) is no amount.
  const text = sentence.replace(/^\s*(?:\d+[.、)]|[-*])\s*/gm, '');
  return (
    /\d/.test(text) ||
    NUMBER_WORD.test(text) ||
    CHINESE_NUMBER.test(text) ||
    poleWordsOf(text).some(
      (pole) => scales.has(pole.scale) && !INDEFINITE.has(pole.word) && (scale !== 'count' || DEFINITE_SHARES.has(pole.word)),
    )
  );
}

/** A number written as a word ("within eight hours", "a dozen epochs"); "one" only before a unit (not "the one"). */
const NUMBER_WORD =
  /\b(?:two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|hundreds?|thousands?|millions?|billions?|dozens?|one (?:second|minute|hour|day|week|month|year|epoch|step)s?)\b/i;
/** A Chinese numeral before a unit of time, count or money (八小时, 两天, 三轮, 五倍): not 一样, 一种 or 进一步. */
const CHINESE_NUMBER = /[一二两三四五六七八九十百千万半]+(?:个)?(?:秒|分钟|小时|天|周|星期|个月|月|年|次|轮|倍|元|块钱|张)/;

/**
 * A passage's sentences, each with its aligned English rendering (alignedRendering) when the passage has one sentence
 * by sentence (the question's English words, "model", are matched there), for reading which of them states an amount
 * of what.
 */
export function sentencesWithRenderings(chunk: ChunkRecord): readonly string[] {
  const known = sentencesByChunk.get(chunk);
  if (known) return known;
  const spans = splitSentences(chunk.text);
  const aligned = alignedRendering(chunk);
  const sentences = spans.map((span, position) => {
    const sentence = chunk.text.slice(span.start, span.end);
    return aligned ? `${sentence}\n${aligned[position]}` : sentence;
  });
  sentencesByChunk.set(chunk, sentences);
  return sentences;
}

const sentencesByChunk = new WeakMap<ChunkRecord, readonly string[]>();

/**
 * AnalyzedQuery.asksAmountOf of a question: the words naming the focus (all of them, `together`), else the words outside
 * the asking phrase. `tokensOf` reads a piece of the question as the analyzer reads the question.
 */
export function amountSubjectsOf(
  question: string,
  words: readonly QueryWord[],
  tokensOf: (text: string) => readonly string[],
): AnalyzedQuery['asksAmountOf'] {
  const asked = askedAmountOf(question);
  if (!asked) return undefined;
  const names = (word: QueryWord, tokens: ReadonlySet<string>): boolean =>
    tokens.has(word.word) || word.terms.some((term) => term.weight === 1 && tokens.has(term.term));
  if (asked.focus !== undefined) {
    const focus = new Set(tokensOf(asked.focus));
    const named = words.filter((word) => names(word, focus));
    if (named.length > 0) return { words: named, together: true, scale: asked.scale };
  }
  const phrase = new Set(tokensOf(asked.phrase));
  return { words: words.filter((word) => !names(word, phrase)), together: false, scale: asked.scale };
}

/**
 * The respects two ways of working are compared in, as learners ask about them: for retrieval, everyday words of an
 * aspect with the words in which a text states it (the bridging table, next); for the answer plans, the patterns that
 * ask about a respect with the words of the headings that name it (RESPECTS, below).
 *
 * Everyday words for an aspect two ways of working are compared in, with the words in which a text states that aspect:
 * a cost is stated in time, money and resources ("Is fine-tuning pricier?" is answered by "takes longer" and "needs
 * substantial computing resources"), hardware in the machines and chips that do the computing ("What hardware does it
 * need?" by "such as GPU support"), quality in effect and results ("differ in quality" by "works better").
 *
 * The table is general language, not any article's phrasing: an aspect word is here because a dictionary would define
 * it by the words it is stated in (a price is what something costs in money, time or effort). Only the question's
 * words the corpus does not use are bridged (query-understanding.ts), and only to words the corpus does use, at the
 * dictionary bridge's weight: a question on the price of something the article never names ("How much does a GPU cost
 * to rent?") still has nothing but its bridges in the article, which coverage weighs low.
 */
import type { Scale } from './opposite-words.js';
import { normalizeEnglishWord } from './text-analyzer.js';

/** What an everyday aspect word asks about: the comparison respects below, or the machines a job runs on. */
export type Aspect = 'cost' | 'hardware' | 'effect';

interface AspectWords {
  /** Everyday words that ask about the aspect (stemmed when looked up). */
  readonly asking: readonly string[];
  /** Words, in both languages, in which a text states it. */
  readonly statedIn: readonly string[];
}

const ASPECTS: Readonly<Record<Aspect, AspectWords>> = {
  cost: {
    asking: [
      'cost',
      'costs',
      'costly',
      'cheap',
      'cheaper',
      'cheapest',
      'cheaply',
      'expensive',
      'inexpensive',
      'pricey',
      'pricier',
      'price',
      'prices',
      'expense',
      'expenses',
      'afford',
      'affordable',
      'budget',
      'overhead',
    ],
    statedIn: [
      'time',
      'resources',
      'resource',
      'compute',
      'computing resources',
      'money',
      'effort',
      '时间',
      '资源',
      '计算资源',
      '成本',
      '费用',
    ],
  },
  effect: {
    asking: ['quality', 'outcome', 'outcomes', 'payoff', 'payoffs'],
    statedIn: ['effectiveness', 'effect', 'results', 'performance', '效果', '性能'],
  },
  hardware: {
    asking: ['hardware', 'computer', 'computers', 'chip', 'chips', 'accelerator', 'accelerators', 'server', 'servers', 'equipment'],
    statedIn: ['gpu', 'gpus', 'cpu', 'computing resources', 'compute', 'computing power', 'GPU', '计算资源', '算力', '显卡'],
  },
};

const ASPECT_OF_WORD = new Map<string, Aspect>();
for (const [aspect, words] of Object.entries(ASPECTS) as [Aspect, AspectWords][])
  for (const word of words.asking) {
    ASPECT_OF_WORD.set(word, aspect);
    ASPECT_OF_WORD.set(normalizeEnglishWord(word), aspect);
  }

/** The aspect an everyday word asks about (a stem or a word as written), or undefined ("model"). */
export function aspectOf(word: string): Aspect | undefined {
  return ASPECT_OF_WORD.get(word.toLowerCase());
}

/** The words an aspect word's aspect is stated in ("pricier" → time, resources, 时间, …; none for a word of no aspect). */
export function aspectStatementWordsOf(word: string): readonly string[] {
  const aspect = aspectOf(word);
  return aspect === undefined ? [] : ASPECTS[aspect].statedIn;
}

/**
 * One respect: the words that ask about it, and the words a heading naming it uses (Chinese and English). Its name is
 * the bridging table's aspect where both have one: "pricier" is bridged to the words cost is stated in and asks about
 * the section headed by time and resources.
 */
export interface Respect {
  readonly name: Exclude<Aspect, 'hardware'> | 'purpose' | 'process';
  readonly asked: RegExp;
  readonly heading: readonly string[];
}

/**
 * The respects in which two methods are compared, as a learner asks about them and as a comparison's headings name
 * them: "哪个成本更低", "Is it cheaper", "费不费时间", "pros and cons" ask about time and resources ("4. 时间和资源"); "准确",
 * "更准", "accuracy", "好处", and the risk of results that do not hold (过拟合, "riskier") about the effect ("3. 效果"); what
 * a method needs in data ("哪个更需要数据", "needs more data") and whether the model learns anything new about how it
 * is trained ("2. 训练过程"). A learner rarely
 * uses the heading's own word, and without this the aspect plan found no section and the contrast plan answered with
 * each side's definition.
 *
 * The table is general language about comparing ways of doing a job (what it costs, how well it works, what it is for,
 * how it is done), not any article's phrasing: the heading words are the ordinary names of each respect.
 */
const RESPECTS: readonly Respect[] = [
  {
    name: 'cost',
    asked:
      /成本|花费|开销|费用|代价|便宜|贵|省钱|划算|耗时|费时|省时|省事|[费花耗省]不[费花耗省](?:时|钱|力|事)|速度|快慢|多长时间|多久|资源|算力|\bcosts?\b|\bcostly\b|\bcheap(?:er|est)?\b|\bexpensive\b|\bpric(?:e|ey|ier)\b|\bbudget\b|\bspeed\b|\bquick(?:er|ly)?\b|\bfast(?:er)?\b|\bslow(?:er)?\b|\bhow long\b|\btime\b|time-consuming|\bresources?\b|\bcompute\b|\beffort\b/i,
    heading: ['时间', '资源', 'time', 'resources'],
  },
  {
    name: 'effect',
    asked:
      /效果|准确|精度|精确|性能|表现|结果|质量|过拟合|风险|更准|准不准|不准|准(?:一些|一点|些|点)|\boverfit(?:s|ting)?\b|\brisk(?:s|y|ier|iest)?\b|\baccura(?:te|cy)\b|\bprecis(?:e|ion)\b|\bperform(?:s|ance)?\b|\bresults?\b|\beffect(?:s|ive|iveness)?\b|\boutcomes?\b|\bquality\b|\bwork(?:s)? (?:better|best|well)\b/i,
    heading: ['效果', 'effect'],
  },
  {
    name: 'purpose',
    asked:
      /目的|用途|目标|为了什么|干什么用|做什么用|用来做什么|\bpurposes?\b|\bgoals?\b|\baims?\b|\bused for\b|\bpoint of\b|\bwhat for\b/i,
    heading: ['目的', 'purpose'],
  },
  {
    name: 'process',
    asked:
      /训练过程|过程上|权重|参数更新|更新参数|结构|前向传播|学(?:到|习)?新|(?:需要|要|用)[^，。？?]{0,4}数据|数据(?:需求|要求)|\bweights?\b|\bupdat(?:e|es|ed|ing)\b|\bstructure\b|\bretrain(?:ing|ed)?\b|training process|\blearn(?:s|ing)? (?:\w+ )?new\b|\b(?:more|less|much|needs?|requires?|uses?) (?:\w+ )?data\b/i,
    heading: ['训练', 'training'],
  },
];

/** Asking for both the good and the bad ("优缺点", "pros and cons"): how well each works and what it costs. */
const MERITS = /优缺点|优劣|利弊|好坏|长短处|pros and cons|advantages and disadvantages|strengths and weaknesses|trade-?offs?/i;

/**
 * Words for a merit in general (好处, "advantage"): they ask about the effect unless the question names the respect the
 * merit is in ("速度上有什么好处" asks about speed, "the benefit in cost" about cost).
 */
const MERIT = /好处|优势|优点|长处|\bbenefits?\b|\badvantages?\b/i;

/** The respects a question asks about, in table order; "pros and cons" asks about the effect and the cost. */
export function respectsAsked(question: string): Respect[] {
  if (MERITS.test(question)) return RESPECTS.filter((respect) => respect.name === 'effect' || respect.name === 'cost');
  const named = RESPECTS.filter((respect) => respect.asked.test(question));
  if (named.length > 0 || !MERIT.test(question)) return named;
  return RESPECTS.filter((respect) => respect.name === 'effect');
}

/**
 * Words that set two things side by side (比 but not 比方/比喻/比如, 还是, 各自, "compare", "vs", a comparative): a respect is a respect of a
 * comparison, and a question that compares nothing ("微调能提高翻译的准确率吗？") asks about its own words, not about the
 * section of a comparison headed by the respect. Asking for the good and the bad (MERITS) or for a merit (MERIT)
 * compares too, by those lists themselves.
 */
const COMPARING =
  /比(?![方喻如])|更|较|还是|各自|分别|哪(?:个|一个|种)|区别|不同|差别|差异|对比|\bcompar(?:e|ed|es|ing|ison)\b|\bvs\.?|\bversus\b|\bthan\b|\bdiffer(?:s|ent|ence|ences)?\b|\bwhich\b|\bor\b|\b(?:[a-z]{3,}er|more|less|better|worse)\b/i;

/** Whether a question names a respect itself (速度, "cost", 优缺点), not only a merit in general (好处 alone). */
export const namesRespect = (question: string): boolean =>
  MERITS.test(question) || RESPECTS.some((respect) => respect.asked.test(question));

/** Whether a question asks for a merit, in general or for the good and the bad (好处, 优缺点, "benefit", "pros and cons"). */
export const asksMerit = (question: string): boolean => MERIT.test(question) || MERITS.test(question);

/** Whether a question compares two things (see COMPARING; a merit is a merit over something), so that the respects it asks about head a comparison. */
export const asksToCompare = (question: string): boolean => COMPARING.test(question) || MERITS.test(question) || MERIT.test(question);

/** The words a respect is stated in, where the bridging table has its aspect (cost: time, resources, 计算资源, …). */
export function respectStatementWords(respect: Respect): readonly string[] {
  return respect.name in ASPECTS ? ASPECTS[respect.name as Aspect].statedIn : [];
}

/** Whether a heading (the original's or its rendering's, lower-cased) names a respect. */
export const headingNames = (heading: string, respect: Respect): boolean => respect.heading.some((word) => heading.includes(word));

/**
 * Nouns that name an everyday scale rather than a pole of it ("在范围上", "in terms of scope", "调整的幅度"): the
 * question compares on that scale, and a sentence with a word at either pole ("更广义", "小的调整") states a side on it.
 */
const SCALE_NOUNS: readonly (readonly [Scale, RegExp])[] = [
  ['duration', /多长时间|多久|时长|\bhow long\b|\bduration\b/i],
  ['breadth', /范围|广度|宽窄|\bscope\b|\bbreadth\b|\bhow (?:broad|wide)\b/i],
  ['amount', /幅度|程度|\bhow (?:much|big|large)\b|\bextent\b/i],
];

/** The scales a question names by their nouns. */
export const scalesNamed = (question: string): Scale[] =>
  SCALE_NOUNS.filter(([, pattern]) => pattern.test(question)).map(([scale]) => scale);

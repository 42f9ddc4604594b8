/**
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
import { normalizeEnglishWord } from './text-analyzer.js';

export type Aspect = 'cost' | 'hardware' | 'quality';

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
  quality: {
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

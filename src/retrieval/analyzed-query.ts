import type { AmountScale } from './asked-amount.js';

/**
 * What the tutor reads a question as, for ranking and coverage: its search terms with their weights and its words with
 * what stands for them (query-understanding.ts makes it; coverage, the sentence ranking and the amount rule read it).
 */

/** One search term and how much it counts. */
export interface WeightedTerm {
  readonly term: string;
  readonly weight: number;
}

/**
 * A word of the question with the terms that stand for it. Coverage asks, per word, whether any of its terms is in the
 * best passages (a bridged term earning only its weight).
 */
export interface QueryWord {
  readonly word: string;
  readonly terms: readonly WeightedTerm[];
  /** Written like a name (LoRA, RLHF, 7B): a concept, so a corpus that never uses it does not cover the question. */
  readonly namesConcept: boolean;
  /**
   * A word the corpus does not use that is common in general language (应该, 之前, "work"), a single character, or a
   * run jieba joined only by guessing (要花); or a single character of general language the corpus uses (好, 更): it
   * says little about the topic, so coverage and ranking weigh it low. Absent means specific (量化, "quantization"), or
   * a word the corpus uses (weighed by its IDF).
   */
  readonly general?: boolean;
  /**
   * The word stands where the question's topic does (see standsInTopicSlot: "蒸馏和微调…", "量化是什么", "量化会…";
   * "What is dropout…", "RAG or fine-tuning"), not as a verb or frame word around it (举出, 文中说, "label data"). Set
   * only for words the corpus does not use.
   */
  readonly topicSlot?: boolean;
  /**
   * The word is what the article's terms act on or what an amount is asked of (see standsInObjectSlot: "调教一只狗",
   * "tune my guitar", "要花多少钱"), a noun however common in general language. Set only for words the corpus does
   * not use.
   */
  readonly objectSlot?: boolean;
  /**
   * The word names the kind of thing the question asks to be named (asked-category.ts: 工具 of 用什么工具, 软件 of
   * 翻译软件哪个好), a noun however common. Set only for words the corpus does not use.
   */
  readonly askedCategory?: boolean;
  /**
   * An everyday word for an aspect (aspect-words.ts: "cost", "pricier", "hardware") the corpus does not use, bridged to
   * the words it is stated in: ranking weighs it as the respect asked about however common it is, while coverage still
   * weighs it as general language when it is (a price asked of something else is not the article's topic).
   */
  readonly aspect?: boolean;
  /** The aspect table's everyday English word an aspect word is read as, when not itself (硬件 → "hardware"). */
  readonly aspectAs?: string;
  /** A name jieba only guessed (isGuessedName: 吴恩达, 早停), specific however general its guess makes it look. */
  readonly guessed?: boolean;
  /** A noun before a corpus word giving it another sense (nounsBeforeCorpusWords: 飞机 of 飞机模型), however common. */
  readonly modifiesCorpusWord?: boolean;
  /**
   * One of two words side by side that the corpus neither uses nor reaches, standing together in the topic slot as one
   * term (compound-topics.ts: 损失函数, "loss function"): a concept the article never names, however general each word.
   */
  readonly compoundTopic?: boolean;
  /**
   * A word the corpus uses that is general language (the lexicon's commonWords: 包括, 一般, "well", "make") and no
   * word of the hand glossary's terms or of a heading (参数, 训练, "model", "purpose" stay the article's own): it
   * matches passages without saying what the question is about.
   */
  readonly commonLanguage?: boolean;
}

export interface AnalyzedQuery {
  /** Every search term with its best weight, for ranking. */
  readonly terms: readonly WeightedTerm[];
  /** The question's topic words, for coverage (English words of a glossary hit are represented by its Chinese term). */
  readonly words: readonly QueryWord[];
  /** It asks for a kind of answer (例子, 比喻, "analogy", "example"), in its own words or in a glossary form. */
  readonly asksForKind: boolean;
  /**
   * It asks for an amount (how much, how long, what value: see askedAmountOf), of these words: the thing it names beside
   * the asking words (学习率 of 学习率设成多少: `together`, a sentence must name all its pieces), else its other words (any
   * of them). Coverage wants a sentence stating an amount of it.
   */
  readonly asksAmountOf?: { readonly words: readonly QueryWord[]; readonly together: boolean; readonly scale: AmountScale };
  /**
   * The corpus words standing for a specific question word the corpus does not use (算力 → 计算资源, 显卡 → GPU), keyed
   * by the word and by those of its search pieces the corpus does not use either, each with its bridge weight. A
   * bridge to a common word of general language (拿来 → 得到 "to get") is left out: it says too little to state a claim.
   * Absent when there is none.
   */
  readonly standIns?: ReadonlyMap<string, readonly WeightedTerm[]>;
}

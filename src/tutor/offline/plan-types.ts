import type { GlossaryTerm } from '../../ingest/glossary.js';
import type { WeightedTerm } from '../../retrieval/analyzed-query.js';
import type { QuestionIntent } from '../question-intent.js';
import type { EvidenceSentence } from './sentence-evidence.js';

/** What a plan answers: a kind of question, or an explain-again style (`simpler`). */
export type PlanKind = QuestionIntent | 'simpler';

/**
 * What a block of the answer does, which chooses its frame: `main` evidence; one `side` of a contrast; the article's
 * own `summary`; an `example` and the `context` it illustrates; the `recommendation` of a which-term question.
 */
export type BlockRole = 'main' | 'side' | 'summary' | 'example' | 'context' | 'recommendation';

export interface PlanBlock {
  readonly role: BlockRole;
  /** The term a `side` block is about. */
  readonly topic?: GlossaryTerm;
  /** The block's sentences, in the order they are told. */
  readonly sentences: readonly EvidenceSentence[];
}

/** The answer to give, before it is put into words: evidence sentences in blocks, and a yes/no verdict if any. */
export interface AnswerPlan {
  readonly kind: PlanKind;
  readonly topics: readonly GlossaryTerm[];
  readonly blocks: readonly PlanBlock[];
  /** For yes/no questions, what the cited evidence says; absent when it says neither. */
  readonly verdict?: 'yes' | 'no' | 'maybe';
  /** For Chinese yes/no questions asked with a verb such as 需要, 会, 能 (yes-no-verb.ts): the words a verdict echoes. */
  readonly verdictWords?: { readonly yes: string; readonly no: string };
  /**
   * For a comparative yes/no question whose evidence compares the subject with something else ("less time than training
   * from scratch" over the bullet that compares it with 模型应用): what the article compares it with. No verdict then.
   */
  readonly comparedWith?: GlossaryTerm;
  /** For aspect plans, true when the evidence is what the topics share (the frame says so, not "the difference"). */
  readonly shared?: boolean;
  /**
   * For a contrast answering whether two things are the same ("…一样吗", "Are X and Y the same thing?"): the article
   * tells them apart, and the frame says they are not the same.
   */
  readonly sameness?: boolean;
  /**
   * The question asked for a risk, a reason or an example, and no sentence in reach states one: the general plan
   * answered instead, and the frame says that the article does not state what was asked.
   */
  readonly unmet?: boolean;
  /**
   * For a definition of a term the article only names (`unmet`): the term whose statement the cited sentence continues
   * ("这可以包括…学习率的改变等" after "调教可能指的是…"), which the frame names instead of citing that statement too.
   */
  readonly within?: GlossaryTerm;
  /** For a contrast of two terms no passage names together: the article does not compare them, and the frame says so. */
  readonly unpaired?: boolean;
  /**
   * Sides the article says nothing about on what was asked (a yes/no question on two sides whose evidence speaks of one):
   * the answer says so in a generic frame instead of citing an unrelated sentence of that side.
   */
  readonly silent?: readonly GlossaryTerm[];
}

export interface PlanSettings {
  /** Most sentences in one answer. @default 4 */
  readonly maxSentences: number;
  /** Most characters of corpus text in one answer. @default 420 */
  readonly maxQuotedChars: number;
  /** Sentences whose character bigrams overlap a chosen one by more than this share are repeats. @default 0.5 */
  readonly redundancyThreshold: number;
  /**
   * A further sentence must add at least this share of the question's weighted terms (IDF over the candidate
   * sentences) that the chosen ones lack: the stop rule of the coverage plans. @default 0.15
   */
  readonly minCoverageGain: number;
}

export interface PlanContext {
  readonly kind: PlanKind;
  /** The standalone question the plan answers (after follow-up resolution). */
  readonly query: string;
  /** The topical terms of the question (glossary terms, not words such as 区别), longest match first. */
  readonly topics: readonly GlossaryTerm[];
  /** Terms of the question that belong to the article's analogy (烹饪, 炖牛肉): where to look, not what is asked about. */
  readonly vehicles: readonly GlossaryTerm[];
  /** Names of the glossary's terms and their head words (labelsOf): a sentence labelled with one is about that term. */
  readonly termLabels: ReadonlySet<string>;
  /** Every glossary term: what a sentence's names and labels stand for (the yes/no plan's compared terms). */
  readonly glossary: readonly GlossaryTerm[];
  /** The glossary term a label names (the term itself, else the compound whose head word it is: "应用" → 模型应用). */
  readonly termOf: (label: string) => GlossaryTerm | undefined;
  /** Content tokens of the standalone question (question-frame words such as 什么 / 例子 left out). */
  readonly queryTerms: readonly string[];
  /** Words that stand for a query term, as the search read them ("pricier" → time, resources: RetrievalResult.bridges). */
  readonly bridges?: ReadonlyMap<string, readonly string[]>;
  /** Scored sentences of every passage the plan may draw on: the retrieved ones first, then those found per topic. */
  readonly pool: readonly EvidenceSentence[];
  /** Chunk ids the search returned for the question itself (the general plan stays inside them). */
  readonly retrievedIds: ReadonlySet<string>;
  /** Position of every chunk in the corpus, for reading order. */
  readonly order: ReadonlyMap<string, number>;
  /** Whether some passage of the whole corpus contains a text (a question word the article never uses makes no claim it answers). */
  readonly corpusUses: (text: string) => boolean;
  /** Corpus words standing for query terms the corpus does not use (RetrievalResult.standIns: 算力 → 计算资源). */
  readonly standIns?: ReadonlyMap<string, readonly WeightedTerm[]>;
  readonly settings: PlanSettings;
  /** Character bigrams of a text (near-duplicate checks). */
  readonly bigrams: (text: string) => ReadonlySet<string>;
}

import type { CorpusIndex } from '../index/corpus-index-store.js';
import type { AnalyzedQuery, QueryWord } from './analyzed-query.js';
import { statesAmount } from './asked-amount.js';
import { askedBeyondTheText, PROCEDURE_REQUEST } from './beyond-the-text.js';
import { DICTIONARY_BRIDGE_WEIGHT } from './bridge-targets.js';
import { ABOUT_THE_WHOLE, ANALOGY_HEADING, ANSWER_LENGTH, evidenceKindOf, SUMMARY_CUE, SUMMARY_QUESTION } from './evidence-cues.js';
import type { RetrievedPassage } from './retrieval-types.js';
import { ANALOGY_TERMS, ANSWER_KIND_TERMS, type TextAnalyzer } from './text-analyzer.js';

/** Share of the highest IDF that the most common terms still weigh in the coverage measure. */
export const COMMON_TERM_WEIGHT_FLOOR = 0.45;

/**
 * How well the best passages cover a question, in [0, 1] (compared with COVERAGE_THRESHOLD, calibrated with
 * `npm run eval -- --calibrate`): the IDF-weighted share of the question's topic words found in the passages, where a
 * word found only through a CC-CEDICT bridge earns the bridge's weight (0.5), not a whole word. Words the corpus never
 * uses weigh the most, so a question about something else is not covered however many common words match; words that
 * ask for a kind of answer ("例子", "difference") say nothing about the topic and are left out.
 *
 * A question that names a concept the corpus never names (LoRA, RLHF, 7B: written like a name and absent from every
 * passage; or a specific Chinese word in the topic slot that no passage and no dictionary bridge reaches: 量化, 蒸馏) is not covered at all,
 * whatever else matches: answering it from loosely related sentences would pretend the article discusses it. Words of
 * general language the corpus does not use (应该, 之前: QueryWord.general) weigh as little as its commonest words.
 */
export function measureCoverage(query: AnalyzedQuery, passageTokens: PassageTokens, index: CorpusIndex, evidence?: AmountEvidence): number {
  const { lexicalIndex } = index;
  const { words } = query;
  const topical = words.filter((word) => !asksForKindOnly(word));
  if (passageTokens.empty) return 0;
  // "总结一下文章讲了什么", "Summarize the article": a summary of the whole, answered by the section headed as one; a
  // refusal would name that very section among what the article covers.
  if (asksOnlyForTheSummary(topical, evidence, index)) return 1;
  if (topical.length === 0) return 0;
  // A forecast or today's news (微调五年后还有用吗, "next year"), or shopping ("Which GPU should I buy"): no sentence of
  // the article speaks of that time or of buying anything.
  if (evidence?.question !== undefined && askedBeyondTheText(evidence.question, corpusTextOf(index)) !== undefined) return 0;
  // A name-like word that is also general language (AI, in the senses of many dictionary words) beside the topic ("an AI
  // model") names the field the article is in, not a concept of its own: it weighs as general. As the topic itself
  // ("RAG和微调…", "What is AI?") it is a concept the article never names, like LoRA or RLHF.
  const namesOwnConcept = (word: QueryWord): boolean => word.namesConcept && (word.general !== true || word.topicSlot === true);
  if (topical.some((word) => namesOwnConcept(word) && !word.terms.some((term) => lexicalIndex.has(term.term)))) return 0;
  // An aspect asked of nothing the article names (电脑硬件怎么升级, "upgrade my computer hardware") is about something
  // else: its bridges to the words the aspect is stated in (计算资源) account for it only beside a specific corpus word.
  const askedOfTheArticle = topical.some((word) => word.aspect !== true && word.general !== true && lexicalIndex.has(word.word));
  const accountable = askedOfTheArticle ? topical : topical.map(withoutAspectBridges);
  if (accountable.some((word) => isUnaccountedConcept(word, lexicalIndex))) return 0;
  if (namesUnaccountedCompound(topical, lexicalIndex, evidence?.question)) return 0;
  // A term of two general words the article never uses, as the topic ("What does the loss function do…", 损失函数怎么选).
  if (topical.some((word) => word.compoundTopic === true)) return 0;
  // What the article's terms act on (调教一只狗, "tune my guitar") or what an amount is asked of (多少钱), never written in
  // the corpus: the term is used in another sense, or the question asks about something else. A dictionary bridge
  // (简历 → 总结 through "résumé; summary") shares a gloss, not the thing.
  if (topical.some((word) => word.objectSlot === true && !word.terms.some((term) => term.weight === 1 && lexicalIndex.has(term.term))))
    return 0;
  // The kind of thing asked to be named (用什么工具, 翻译软件哪个好), never written in the corpus nor bridged to it: the
  // article names no such thing.
  if (
    topical.some(
      (word) =>
        word.askedCategory === true && !word.terms.some((term) => term.weight >= DICTIONARY_BRIDGE_WEIGHT && lexicalIndex.has(term.term)),
    )
  )
    return 0;
  if (evidence && !statesAskedAmount(query, topical, evidence)) return 0;
  // A question that brings words of its own (红烧, 饺子, "recipe") and matches only words of the article's analogy (牛肉,
  // 调料) is about cooking, not about the article, unless it asks for the analogy or an example ("有没有做菜的比喻？").
  // Without words of its own it asks about the analogy's content ("炖牛肉的秘方是什么？") and is covered.
  // Only the question's own words count here: a bridge (多久 → 长期 through "long") is too loose to make it about the article.
  // A request for a recipe in the analogy's words ("Give me a recipe for braised beef with chili and sugar") is one too;
  // the words of the request itself ("make" of "how to make") say how it asks, not what about.
  const procedure = evidence?.question === undefined ? undefined : PROCEDURE_REQUEST.exec(evidence.question)?.[0];
  const requestWords = new Set(procedure === undefined || !evidence ? [] : evidence.tokenize(procedure));
  // Words of general language the article happens to use ("go well", 包括) match without saying what it is about.
  const matched = topical.flatMap((word) =>
    word.commonLanguage === true
      ? []
      : word.terms.filter((term) => term.weight === 1 && passageTokens.has(term.term) && !requestWords.has(term.term)),
  );
  const analogy = analogyVocabulary(index);
  const bringsWordsOfItsOwn = topical.some((word) => !lexicalIndex.has(word.word));
  const asksForProcedure = procedure !== undefined;
  // A question on what a figure stands for ("What does the chef represent?", "辣椒代表什么") asks about the analogy,
  // unless it brings a specific thing of its own besides the mapping words ("a recipe for dumplings").
  const mapping = evidence?.question === undefined ? undefined : FIGURE_MAPPING.exec(evidence.question)?.[0];
  const mappingWords = new Set(mapping === undefined || !evidence ? [] : evidence.tokenize(mapping));
  const asksForFigure =
    mapping !== undefined &&
    topical.every((word) => word.general === true || mappingWords.has(word.word) || word.terms.some((term) => lexicalIndex.has(term.term)));
  // The mapping words ask for the analogy only as asksForFigure reads them: alone, they do not exempt the question.
  const kindWords = query.words.filter(asksForKindOnly);
  const asksForKind = query.asksForKind && !(kindWords.length > 0 && kindWords.every((word) => mappingWords.has(word.word)));
  if (
    !asksForKind &&
    !asksForFigure &&
    (bringsWordsOfItsOwn || asksForProcedure) &&
    matched.length > 0 &&
    matched.every((term) => analogy.has(term.term))
  )
    return 0;
  // A question bringing words of its own, none of whose words names what the article speaks of (新员工入职培训一般包括
  // 哪些内容: only general language, 包括 and a general word's bridge 培训 → 训练), is about something else, however its
  // IDF share comes out. One in the article's words only ("这两个词有什么区别") asks about the article.
  if (bringsWordsOfItsOwn && !accountable.some((word) => anchorsInPassages(word, passageTokens))) return 0;
  // IDF with a floor: the article's own topic words (微调 is in nearly every passage) still count as evidence.
  const floor = COMMON_TERM_WEIGHT_FLOOR * lexicalIndex.idf('\u0000unseen');
  let found = 0;
  let all = 0;
  for (const word of topical) {
    // A word of general language the corpus does not use (应该, 之前) weighs as little as the corpus's commonest words.
    const weight = word.general ? floor : Math.max(lexicalIndex.idf(word.word), floor);
    all += weight;
    let credit = 0;
    // An aspect word's bridges ("cheaper" → time, resources) say in which respect, not about what: no evidence here.
    for (const term of word.terms)
      if (passageTokens.has(term.term) && !(word.aspect && term.term !== word.word)) credit = Math.max(credit, term.weight);
    found += weight * credit;
  }
  return all === 0 ? 0 : found / all;
}

/**
 * A word naming what the passages speak of: one of its own terms there, when it is neither general language (QueryWord.
 * general, QueryWord.commonLanguage) nor a word only asking for a kind of answer; or a dictionary bridge of a specific
 * word (做菜 → 烹饪), or of an aspect asked of the article ("What hardware do both need?" → GPU). A general word's
 * bridge (培训 → 训练) is one of its many senses.
 */
function anchorsInPassages(word: QueryWord, passageTokens: PassageTokens): boolean {
  if (word.general === true || word.commonLanguage === true) return false;
  return word.terms.some((term) => passageTokens.has(term.term));
}

/**
 * The best passages' sentences (sentencesWithRenderings), for questions that ask for an amount, the index's tokenizer,
 * and the question as searched (normalised), whose form (a forecast, a request for a recipe) coverage also reads.
 */
export interface AmountEvidence {
  /** Read only for a question that asks for an amount. */
  readonly sentences: () => readonly string[];
  readonly tokenize: (text: string) => readonly string[];
  readonly question?: string;
}

const corpusTexts = new WeakMap<CorpusIndex, string>();
/** Every passage's text and rendering, lower case, once per index: which time or shopping words the corpus writes. */
function corpusTextOf(index: CorpusIndex): string {
  let text = corpusTexts.get(index);
  if (text === undefined) {
    text = index.chunks
      .map((chunk) => `${chunk.text}\n${chunk.translation?.text ?? ''}`)
      .join('\n')
      .toLowerCase();
    corpusTexts.set(index, text);
  }
  return text;
}

/**
 * A question asking for an amount (AnalyzedQuery.asksAmountOf: 学习率设成多少, "How long does fine-tuning take?") is
 * answered only by a sentence that states an amount (statesAmount: 时间较长, 较高的计算资源) and names what it is of; a
 * sentence that only names the thing (学习率的改变) gives no value. A question about the analogy or an example asks
 * about the figure's story (在烹饪的例子里，微调时要把菜煮多久？), which states no amounts of its own, and is left to the
 * other measures.
 */
function statesAskedAmount(query: AnalyzedQuery, topical: readonly QueryWord[], evidence: AmountEvidence): boolean {
  if (query.asksAmountOf === undefined) return true;
  const { together, scale } = query.asksAmountOf;
  // What is counted is the subject, a word asking for a kind of answer too: "How many examples do I need…" counts
  // data, it asks for no example.
  const subjects = query.asksAmountOf.words.filter((word) => topical.includes(word) || (scale === 'count' && asksForKindOnly(word)));
  if (subjects.length === 0 || query.words.some((word) => asksForKindOnly(word) && namesTheAnalogy(word.word))) return true;
  return evidence.sentences().some((sentence) => {
    if (!statesAmount(sentence, scale)) return false;
    const tokens = new Set(evidence.tokenize(sentence));
    const names = (word: QueryWord): boolean => word.terms.some((term) => tokens.has(term.term));
    return together ? subjects.every(names) : subjects.some(names);
  });
}

/** Words asking what something in a figure stands for: the mapping of an analogy. */
const FIGURE_MAPPING = /\bstands? for\b|\brepresents?\b|\bsymboli[sz]es?\b|\bcorrespond(?:s)? to\b|代表|象征|对应|相当于|比作/i;

/**
 * The question asks for a summary and nothing else in particular (its other words are general language, or the words
 * asking for it: 核心观点, "takeaway", or how long the answer should be: 几句话, "in two sentences"), and the corpus has a section headed as a summary.
 */
function asksOnlyForTheSummary(topical: readonly QueryWord[], evidence: AmountEvidence | undefined, index: CorpusIndex): boolean {
  const question = evidence?.question;
  if (question === undefined || evidence === undefined) return false;
  return asksForSummaryOfTheWhole(topical, question, evidence.tokenize) && summarySections(index).length > 0;
}

/**
 * A summary of the whole (这篇文章主要讲了什么, "Summarize the article in two sentences"): the question asks for a summary
 * and each of its topical words is general language or one of the words asking for it (every phrase asking counts:
 * 能用几句话概括一下 has 几句话 and 概括).
 */
export function asksForSummaryOfTheWhole(
  topical: readonly QueryWord[],
  question: string,
  tokenize: (text: string) => readonly string[],
): boolean {
  if (evidenceKindOf(question) !== 'summary') return false;
  const asked = [SUMMARY_QUESTION, ABOUT_THE_WHOLE, ANSWER_LENGTH]
    .flatMap((pattern) => [...question.matchAll(new RegExp(pattern.source, 'gi'))])
    .map((match) => match[0])
    .join(' ');
  const asking = new Set(tokenize(asked));
  return topical.every((word) => word.general === true || asking.has(word.word));
}

const summarySectionsByIndex = new WeakMap<CorpusIndex, readonly number[]>();
/** The positions of the passages under a heading that names a summary ("总结一下", "In summary"), once per index. */
export function summarySections(index: CorpusIndex): readonly number[] {
  let positions = summarySectionsByIndex.get(index);
  if (positions === undefined) {
    positions = index.chunks.flatMap((chunk, position) =>
      [...chunk.headingPath, ...(chunk.translation?.headingPath ?? [])].some((heading) => SUMMARY_CUE.test(heading)) ? [position] : [],
    );
    summarySectionsByIndex.set(index, positions);
  }
  return positions;
}

/** A word that asks for a kind of answer ("例子"), or a phrase around one that jieba keeps whole ("解释一下" ⊃ 解释). */
export function asksForKindOnly(word: QueryWord): boolean {
  if (ANSWER_KIND_TERMS.has(word.word)) return true;
  return CONCEPT_WORD.test(word.word) && CHINESE_KIND_TERMS.some((kind) => word.word.includes(kind));
}

const CHINESE_KIND_TERMS = [...ANSWER_KIND_TERMS].filter((term) => /^[\u3400-\u9fff]{2,}$/.test(term));

/**
 * A specific Chinese word of the question (two characters or more, not general language: 量化, 蒸馏) standing in its
 * topic slot (QueryWord.topicSlot: "知识蒸馏和微调…", "量化是什么") that neither the corpus nor any dictionary bridge
 * reaches: the question is about something the article never names, so matching its other words (模型, 微调) would
 * answer a question the article does not discuss. A name jieba only guessed (吴恩达, 早停) and a common noun giving a
 * corpus word another sense (飞机 of 飞机模型) count as specific here. An unknown verb or frame word (举出, 文中说) is
 * not a topic: it only weighs in the IDF share like any other word.
 */
function isUnaccountedConcept(word: QueryWord, lexicalIndex: CorpusIndex['lexicalIndex']): boolean {
  return (
    word.topicSlot === true &&
    (CONCEPT_WORD.test(word.word) || ENGLISH_CONCEPT_WORD.test(word.word)) &&
    (word.general !== true || word.guessed === true || word.modifiesCorpusWord === true) &&
    // A bridge of two hops (REVERSE_BRIDGE_WEIGHT: "melody" → 曲调 → 调教 "tune") is too loose to say the article
    // names the thing: only the word itself or a direct bridge accounts for it.
    !word.terms.some((term) => term.weight >= DICTIONARY_BRIDGE_WEIGHT && lexicalIndex.has(term.term))
  );
}

/**
 * Two specific Chinese words side by side in the question that neither the corpus nor any bridge reaches (余弦 退火 of
 * 用余弦退火好不好): a term of two words the article never names, wherever it stands.
 */
function namesUnaccountedCompound(
  topical: readonly QueryWord[],
  lexicalIndex: CorpusIndex['lexicalIndex'],
  question: string | undefined,
): boolean {
  if (question === undefined) return false;
  const unaccounted = topical.filter(
    (word) => CONCEPT_WORD.test(word.word) && word.general !== true && !word.terms.some((term) => lexicalIndex.has(term.term)),
  );
  return unaccounted.some((left) => unaccounted.some((right) => right !== left && question.includes(left.word + right.word)));
}

/** An aspect word with only the terms of its own (电脑硬件, 电脑, 硬件), not its aspect's statement words. */
function withoutAspectBridges(word: QueryWord): QueryWord {
  return word.aspect === true ? { ...word, terms: word.terms.filter((term) => term.weight === 1) } : word;
}

const CONCEPT_WORD = /^[\u3400-\u9fff]{2,}$/;
/** An English word long enough to name something ("dropout", "quantization", "kit" of "kits"; not "is", "it"). */
const ENGLISH_CONCEPT_WORD = /^[a-z][a-z0-9-]{2,}$/;

/** A question word naming the analogy or an example: a heading's word for it, or an everyday one (故事, "story"). */
const namesTheAnalogy = (word: string): boolean => ANALOGY_HEADING.test(word) || ANALOGY_TERMS.has(word);
const analogyVocabularies = new WeakMap<CorpusIndex, ReadonlySet<string>>();

/** Tokens that occur only in analogy sections of the index (computed once per index). */
function analogyVocabulary(index: CorpusIndex): ReadonlySet<string> {
  let vocabulary = analogyVocabularies.get(index);
  if (vocabulary) return vocabulary;
  const inAnalogy = new Set<string>();
  const elsewhere = new Set<string>();
  index.chunks.forEach((chunk, position) => {
    const target = chunk.headingPath.some((heading) => ANALOGY_HEADING.test(heading)) ? inAnalogy : elsewhere;
    for (const token of index.lexicalIndex.tokensAt(position) ?? []) target.add(token);
  });
  vocabulary = new Set([...inAnalogy].filter((token) => !elsewhere.has(token)));
  analogyVocabularies.set(index, vocabulary);
  return vocabulary;
}

/** What coverage asks of the tokens of the best passages: whether any passage has one, and whether one holds a token. */
export interface PassageTokens {
  readonly empty: boolean;
  has(token: string): boolean;
}

/** Each indexed passage's tokens as a set, made on first use per index (every search measures three passages). */
const tokenSetsByIndex = new WeakMap<CorpusIndex, (ReadonlySet<string> | undefined)[]>();
function indexedTokenSet(index: CorpusIndex, position: number): ReadonlySet<string> | undefined {
  let sets = tokenSetsByIndex.get(index);
  if (!sets) tokenSetsByIndex.set(index, (sets = []));
  let tokens = sets[position];
  if (!tokens) {
    const stored = index.lexicalIndex.tokensAt(position);
    if (stored) sets[position] = tokens = new Set(stored);
  }
  return tokens;
}

/**
 * The tokens of the given passages (the index's own, tokenised again only for a passage the index does not hold), read
 * through the passages' sets rather than copied into one: a search then allocates no union of three passages.
 */
export function passageTokenSet(passages: readonly RetrievedPassage[], index: CorpusIndex, analyzer: TextAnalyzer): PassageTokens {
  const sets = passages.map((passage): ReadonlySet<string> => {
    const position = index.chunkPositionById.get(passage.chunk.chunkId);
    return (position === undefined ? undefined : indexedTokenSet(index, position)) ?? new Set(analyzer.tokenize(passage.chunk.text));
  });
  return { empty: sets.every((tokens) => tokens.size === 0), has: (token) => sets.some((tokens) => tokens.has(token)) };
}

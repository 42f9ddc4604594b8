import type { GlossaryTerm } from '../ingest/glossary.js';
import { ANSWER_KIND_TERMS, type TextAnalyzer } from '../retrieval/text-analyzer.js';
import { isGenericConcept } from './concept-map.js';
import {
  CHALLENGE,
  compares,
  MORE,
  namesAsContext,
  recentSubjects,
  subjectsOf,
  substituteReferences,
  surfaceIn,
  topicTerms,
  withOtherSide,
} from './follow-up-references.js';
import { withOmittedSubject } from './omitted-subject.js';
import { resolvePairReference } from './pair-reference.js';
import { askedOf, carryPredicate } from './predicate-carry.js';
import type { ConversationTurn } from './tutor-types.js';

/** Turns a question into the standalone query that is searched, using the conversation so far. */
export type StandaloneQueryResolver = (question: string, history: readonly ConversationTurn[]) => string;

const CHINESE_ELLIPSIS =
  /^(那|那么|而|还有|再|又|和|跟|then)|呢[？?！!。.\s]*$|它|其|这个|那个|这种|那种|这样|上面|刚才|前面|^哪(?:个|一个|种)|两者|二者/;
const ENGLISH_ELLIPSIS =
  /^(what|how)\s+about\b|^and\b|^then\b|\b(it|its|this|that|these|those|they|them|one|both)\b|^(why|how)\??$|\b(more|else|another)\b/i;

/**
 * "it" as a dummy subject, standing for nothing the conversation named: "How much does it cost to train GPT-4?", "How
 * long does it take to…", "Is it possible to…", "it's better to…". Masked while the follow-up is read, so such a
 * question is not rewritten around the previous topic ("How much does fine-tuning cost to train GPT-4?").
 */
const EXPLETIVE_IT =
  /\bit(?= (?:costs?|takes?|took) [^?.!]*\bto [a-z])|(?<=\b(?:is|was|would|will) )it(?= (?:\w+ ){0,2}?(?:possible|necessary|hard|easy|better|best|ok|okay|important|useful|wise|worth|enough|a good idea) to [a-z])|\bit(?=(?:'s| is) (?:\w+ ){0,2}?(?:possible|necessary|hard|easy|better|best|important|useful|wise|worth|enough) to [a-z])/gi;
const MASKED_IT = '\uE000';

/** Pronouns that stand for the previous topic ("Can you give an example of it?", "它和预训练模型有什么区别？"). */
const ENGLISH_PRONOUN = /\b(it|this|that|they|them)\b/i;
const CHINESE_PRONOUN = /它们|它|其/;
/** Pronouns that stand for every topic of the previous question ("它们都需要 GPU 吗？", "Do they both need GPUs?"). */
const PLURAL_PRONOUN = /它们|两者|二者|\b(they|them|both)\b/i;
/** A choice between the previous topics ("哪个范围更大？", "Which one is faster?"). */
const CHOICE = /^(?:那么?)?哪(?:个|一个|种)|\bwhich (?:one|of (?:them|the two))\b/i;
/**
 * A Chinese clause that opens with its predicate, after an optional ellipsis cue: a modal, a copula or a question word
 * where a subject would stand ("那要看哪些因素？", "那会有什么影响？", "还需要注意什么？"). Its subject is the previous
 * topic, as is a verb that needs one ("取决于什么？"). A clause with a subject of its own ("那明天上海的天气呢？", "那红烧肉怎么做？") is not matched.
 */
const SUBJECTLESS_CLAUSE =
  /^(?:那么?|而且?|还有|那就)?[，,\s]*(?:要|会|能|可以|可能|需要|应该|应当|该|得|怎么|如何|为什么|为何|有没有|有哪些|有什么|是不是|是否|还|也|都|就|具体|主要|一般|通常|取决于|依赖于?|适用于|涉及)/;
/** A clause that opens with a verb needing a subject before it ("取决于什么？", "适用于哪些情况？"): elliptical, however short. */
const VERB_FIRST = /^(?:那么?|而且?|还有|那就)?[，,\s]*(?:取决于|依赖于?|适用于|涉及)/;

/**
 * A singular reference to the previous topic, replaced by it: the pronoun, a demonstrative with a general noun
 * ("这种方法的效果取决于什么？", "Does this approach need a GPU?"), or a demonstrative standing alone as the subject, a
 * predicate or a mark right after it ("这个比微调快吗？", "这个有什么风险？"; not "这个秘方", where it is a determiner).
 */
const SINGULAR_REFERENCE: Readonly<Record<'zh' | 'en', RegExp>> = {
  zh: /(?:这|那)(?:个|种|一种)?(?:方法|方式|做法|技术|概念|术语|词)|该(?:方法|技术|概念|术语)|它(?!们)|其|(?:这|那)(?:个|种)(?=比(?!如|方|喻)|是|有|会|能|可以|需要|要|和|跟|与|同|更|也|还|都|就|怎么|如何|为什么|为何|适用|取决|涉及|的|吗|呢|[？?，,。！!]|$)/,
  en: /\b(?:this|that) (?:one|approach|method|technique|concept|term|word)\b|\b(?:it|its)\b/i,
};

/**
 * Resolves elliptical follow-ups ("那调教呢？", "What about tuning?", "Can you give me an example of it?") against the
 * previous standalone query, with no model:
 * - a follow-up naming two things at once ("两者有什么不同？", "How do the two differ?") names the last two topics of
 *   the conversation instead (`resolvePairReference`);
 * - references to earlier topics are put in their words first: 前者 / the former, 后者 / the latter, 另一个 / the other
 *   one (follow-up-references.ts); what is left is resolved as below;
 * - a follow-up that names its own topic ("How is using a pretrained model different from fine-tuning it?": two topic
 *   terms, or the previous topic again) stands alone, pronouns or not;
 * - a follow-up that names a new glossary term as a context ("And in the cooking analogy?", "在烹饪的例子里呢？") keeps
 *   the previous topic beside it;
 * - a follow-up that names one new term otherwise takes the previous query with its subject replaced by the new term,
 *   so the kind and the aspect asked carry over ("微调要多长时间？" + "那模型应用呢？" → "模型应用要多长时间？");
 * - a Chinese follow-up that opens with its predicate and names terms only as its objects ("会过拟合吗？") takes the
 *   previous subject as its own (omitted-subject.ts): "微调会过拟合吗？";
 * - a Chinese follow-up without a subject of its own ("那要看哪些因素？": it opens with its predicate) is about the
 *   previous topic, even with words the article lacks;
 * - a follow-up without a topic of its own gets the previous topic: in place of its pronoun ("Can you give me an example
 *   of it?", "这种方法的效果取决于什么？"), else added ("能举个例子吗？" after "微调是什么？" → "能举个例子吗？（微调）");
 *   one that challenges the previous claim or asks for more ("一定是这样吗？", "Can you say more?") gets the whole
 *   previous question beside it, aspect included.
 * Each turn's standalone query is what the next turn resolves against, so this holds across any number of turns; a
 * refused turn is skipped (`answeredTurns`).
 */
export function createFollowUpResolver(deps: { readonly analyzer: TextAnalyzer }): StandaloneQueryResolver {
  const { analyzer } = deps;
  const resolve: StandaloneQueryResolver = (question, history) => {
    const previous = history[history.length - 1];
    const trimmed = question.trim();
    if (previous === undefined) return trimmed;
    // "两者有什么不同？", "How do the two differ?": the last two sides the conversation named.
    const paired = resolvePairReference(trimmed, history, analyzer);
    if (paired !== undefined) return paired;
    const substituted = substituteReferences(analyzer, trimmed, history);
    if (substituted !== undefined) return resolve(substituted, history);
    // "调教也会吗？", "Does it happen with tuning too?": a new subject, the previous question's predicate.
    const carried = carryPredicate(analyzer, trimmed, previous.searchedFor);
    if (carried !== undefined) return carried;
    // "会过拟合吗？" after "微调是什么？": its predicate opens it, its terms are objects, its subject is the previous one.
    const subjected = withOmittedSubject(analyzer, trimmed, previous.searchedFor);
    if (subjected !== undefined) return subjected;
    const language = analyzer.detectLanguage(trimmed);
    const questionTerms = analyzer.findGlossaryTerms(trimmed);
    const contentTokens = analyzer.tokenize(trimmed);
    // "能举个例子吗？", "Why?": nothing but words asking for a kind of answer. A question with words of its own
    // ("What will the weather be like in Paris tomorrow?") is a new question, however short, unless it points back.
    const topicWords = contentTokens.filter((token) => !ANSWER_KIND_TERMS.has(token));
    const looksElliptical =
      (language === 'zh' ? CHINESE_ELLIPSIS.test(trimmed) || VERB_FIRST.test(trimmed) : ENGLISH_ELLIPSIS.test(trimmed)) ||
      topicWords.length === 0;
    const topicalTokens = contentTokens.filter(
      (token) => !questionTerms.some((term) => term.zh.includes(token) || term.en.includes(token)),
    );
    // Counted per word, not per search piece (哪些因素 holds 因素): a long question is a new one.
    const topicalWords = topicalTokens.filter(
      (token) => !topicalTokens.some((other) => other.length > token.length && other.includes(token)),
    );
    const ownTerms = topicTerms(questionTerms);
    // "一定是这样吗？", "Can you say more?": about the previous answer, whatever words they use.
    const challenges = ownTerms.length === 0 && CHALLENGE[language].test(trimmed);
    const aboutAnswer = challenges || (ownTerms.length === 0 && MORE[language].test(trimmed));
    // "Is tuning the same thing?", "这和调教有什么不同？": a comparison with one side named, the other left to the context.
    const oneSide = ownTerms.length === 1 && compares(trimmed, language);
    if ((!looksElliptical && !aboutAnswer && !oneSide) || topicalWords.length > 3) return trimmed;

    const previousQuery = previous.searchedFor;
    const previousTerms = topicTerms(analyzer.findGlossaryTerms(previousQuery));
    const previousSubject = subjectsOf(analyzer, previousQuery)[0];
    // "那明天上海的天气呢？": words of its own, none of them the article's, and no pronoun: a new question.
    const pointsBack =
      (language === 'zh' ? CHINESE_PRONOUN : ENGLISH_PRONOUN).test(trimmed) ||
      SINGULAR_REFERENCE[language].test(trimmed) ||
      PLURAL_PRONOUN.test(trimmed) ||
      CHOICE.test(trimmed);
    // "那要看哪些因素？" has no subject of its own: its words are a predicate about the previous topic, not a topic.
    const subjectless = language === 'zh' && SUBJECTLESS_CLAUSE.test(trimmed);
    if (challenges) return beside(trimmed, contentOf(previousQuery, hasOwnWords(previous)), language);
    if (ownTerms.length === 0 && topicWords.length > 0 && !pointsBack && !subjectless && !aboutAnswer) return trimmed;
    // 它们 / 两者 / they stand for two subjects: the previous question's, else those of the last turns ("两者有什么区别？"
    // after "微调是什么？" + "那调教呢？"); "为什么它们都需要GPU？" keeps its own new term beside them. A choice (哪个) asks
    // between the same two.
    const plural = PLURAL_PRONOUN.exec(trimmed);
    const both = twoSubjects(previousQuery, history);
    if (plural && both) return trimmed.replace(plural[0], both.join(language === 'zh' ? '和' : ' and '));
    // Its own terms, when it names none of the two, are the respect asked about ("那哪个需要的计算资源更多？").
    const namesASide =
      both !== undefined && ownTerms.some((term) => both.some((side) => side === term.zh || term.en.includes(side.toLowerCase())));
    if (CHOICE.test(trimmed) && both && !namesASide) return beside(trimmed, both.join(language === 'zh' ? '、' : ', '), language);
    const newTerms = ownTerms.filter((term) => !previousTerms.includes(term));
    // It names its own topic: both sides of a comparison, or the previous topic itself.
    // In a comparison, an aspect named beside one new subject (效果 in "那跟微调比，哪个效果好？") is the respect compared,
    // not a second topic: the other side is the previous subject. Elsewhere it is a question of its own ("那微调要花多长时间？").
    const ownSubjects = ownTerms.filter((term) => !isGenericConcept(term.zh));
    const compared = oneSide || (ownSubjects.length === 1 && compares(trimmed, language));
    const counted = compared ? ownSubjects : ownTerms;
    const newCounted = counted.filter((term) => newTerms.includes(term));
    if (counted.length >= 2 || (counted.length > 0 && newCounted.length < counted.length)) return trimmed;

    const newTerm = newCounted[0] ?? newTerms[0];
    const asContext = newTerm !== undefined && namesAsContext(trimmed, surfaceIn(trimmed, newTerm), language);
    // A singular reference stands for the previous subject, the one it was about first ("模型应用和微调有哪些共性？" +
    // "那它需要很多显卡吗？" → 模型应用; "这种方法的效果取决于什么？"; "它和预训练模型有什么区别？": the new term is the
    // other side); a plural one for all of them.
    if (previousSubject && !PLURAL_PRONOUN.test(trimmed) && SINGULAR_REFERENCE[language].test(trimmed))
      return trimmed.replace(SINGULAR_REFERENCE[language], surfaceIn(previousQuery, previousSubject));
    // "那效果呢？" after "微调需要多长时间？": another aspect of the same subject, not a new subject.
    // After a comparison ("微调比模型应用快吗？" + "那效果呢？") the aspect is asked of both sides.
    if (newTerm !== undefined && isGenericConcept(newTerm.zh) && previousSubject && !asContext) {
      const previousSubjects = subjectsOf(analyzer, previousQuery);
      const sides =
        previousSubjects.length >= 2 && compares(previousQuery, analyzer.detectLanguage(previousQuery))
          ? previousSubjects.slice(0, 2)
          : [previousSubject];
      return beside(trimmed, sides.map((side) => surfaceIn(previousQuery, side)).join(language === 'zh' ? '、' : ', '), language);
    }
    if (newTerm !== undefined && !asContext && previousSubject !== undefined) {
      const compared = withOtherSide(trimmed, surfaceIn(previousQuery, previousSubject), surfaceIn(trimmed, newTerm), language);
      if (compared !== undefined) return compared;
      const replaced = replaceTopic(previousQuery, previousSubject, newTerm, trimmed);
      if (replaced !== previousQuery) return replaced;
    }
    if (newTerm !== undefined && !asContext) return trimmed;
    // "那在效果上呢？" after "…在训练过程上有什么不同？": the new respect takes the place of the previous one.
    const previousLanguage = analyzer.detectLanguage(previousQuery);
    const respect = (term: GlossaryTerm): boolean =>
      isGenericConcept(term.zh) || namesAsContext(previousQuery, surfaceIn(previousQuery, term), previousLanguage);
    const kept = newTerm !== undefined ? previousTerms.filter((term) => !respect(term)) : previousTerms;
    const topic =
      kept.length > 0 ? kept.map((term) => surfaceIn(previousQuery, term)).join(language === 'zh' ? '、' : ', ') : previousQuery;
    if (previousTerms.length === 1 && SINGULAR_REFERENCE[language].test(trimmed))
      return trimmed.replace(SINGULAR_REFERENCE[language], topic);
    const pronoun = language === 'zh' ? CHINESE_PRONOUN : ENGLISH_PRONOUN;
    if (previousTerms.length === 1 && pronoun.test(trimmed)) return trimmed.replace(pronoun, topic);
    return beside(trimmed, topic, language);
  };
  /** The two subjects a plural pronoun stands for, as the queries named them: the previous query's, else the last turns'. */
  const twoSubjects = (previousQuery: string, history: readonly ConversationTurn[]): [string, string] | undefined => {
    const own = subjectsOf(analyzer, previousQuery);
    if (own.length >= 2) return [surfaceIn(previousQuery, own[0] as GlossaryTerm), surfaceIn(previousQuery, own[1] as GlossaryTerm)];
    const recent = recentSubjects(analyzer, history);
    if (recent.length < 2) return undefined;
    const [last, before] = recent.map(({ term, query }) => surfaceIn(query, term)) as [string, string];
    return [before, last];
  };
  /** Whether a turn's question had words of its own beyond asking for a kind of answer. */
  const hasOwnWords = (turn: ConversationTurn): boolean =>
    analyzer.tokenize(turn.question).some((token) => !ANSWER_KIND_TERMS.has(token)) &&
    topicTerms(analyzer.findGlossaryTerms(turn.question)).length > 0;
  return (question, history) => resolve(question.replace(EXPLETIVE_IT, MASKED_IT), answeredTurns(history)).replaceAll(MASKED_IT, 'it');
}

/**
 * The turns a follow-up may point back at: those that were answered. A refusal ("量子计算是什么？": the article does not
 * cover it) names nothing the tutor can say more about, so "那调教呢？" or "它有什么风险？" after it reads the last answered
 * turn (or, with none, stands alone), never the refused topic: its pronoun is not resolved to what the article lacks.
 */
function answeredTurns(history: readonly ConversationTurn[]): readonly ConversationTurn[] {
  return history.some((turn) => turn.grounded === false) ? history.filter((turn) => turn.grounded !== false) : history;
}

/** The follow-up with what it is about beside it: "能举个例子吗？（微调）", "Why? (tuning)". */
function beside(question: string, about: string, language: 'zh' | 'en'): string {
  return language === 'zh' ? `${question}（${about}）` : `${question} (${about})`;
}

/** The previous query asked of the new term ("微调要多长时间？" + "那模型应用呢？"); a why-question asks whether it holds. */
function replaceTopic(previousQuery: string, oldTerm: GlossaryTerm, newTerm: GlossaryTerm, followUp: string): string {
  return askedOf(previousQuery, surfaceIn(previousQuery, oldTerm), surfaceIn(followUp, newTerm)) ?? previousQuery;
}

/**
 * What a previous query asked, to stand beside a follow-up that only asks for more or challenges it: the query without
 * its closing mark, or, when it was itself such a follow-up ("举个例子（微调是什么）"), what that one stood beside.
 */
function contentOf(previousQuery: string, previousOwnWords: boolean): string {
  const bracketed = /^(.*?)\s*[（(]([^（()）]+)[)）]$/.exec(previousQuery);
  if (bracketed && !previousOwnWords) return bracketed[2] as string;
  return previousQuery.replace(/[？?！!。.\s]+$/, '');
}

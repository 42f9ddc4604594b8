import type { GlossaryTerm } from '../ingest/glossary.js';
import { ANSWER_KIND_TERMS, type TextAnalyzer } from '../retrieval/text-analyzer.js';
import { resolvePairReference } from './pair-reference.js';
import type { ConversationTurn } from './tutor-types.js';

/** Turns a question into the standalone query that is searched, using the conversation so far. */
export type StandaloneQueryResolver = (question: string, history: readonly ConversationTurn[]) => string;

const CHINESE_ELLIPSIS =
  /^(那|那么|而|还有|再|又|和|跟|then)|呢[？?！!。.\s]*$|它|其|这个|那个|这种|那种|这样|上面|刚才|前面|^哪(?:个|一个|种)|两者|二者/;
const ENGLISH_ELLIPSIS =
  /^(what|how)\s+about\b|^and\b|^then\b|\b(it|its|this|that|these|those|they|them|one|both)\b|^(why|how)\??$|\b(more|else|another)\b/i;

/** Pronouns that stand for the previous topic ("Can you give an example of it?", "它和预训练模型有什么区别？"). */
const ENGLISH_PRONOUN = /\b(it|this|that|they|them)\b/i;
const CHINESE_PRONOUN = /它们|它|其/;
/** Pronouns that stand for every topic of the previous question ("它们都需要 GPU 吗？", "Do they both need GPUs?"). */
const PLURAL_PRONOUN = /它们|两者|二者|\b(they|them|both)\b/i;
/** A choice between the previous topics ("哪个范围更大？", "Which one is faster?"). */
const CHOICE = /^哪(?:个|一个|种)|\bwhich (?:one|of (?:them|the two))\b/i;
/**
 * A Chinese clause that opens with its predicate, after an optional ellipsis cue: a modal, a copula or a question word
 * where a subject would stand ("那要看哪些因素？", "那会有什么影响？", "还需要注意什么？"). Its subject is the previous
 * topic. A clause with a subject of its own ("那明天上海的天气呢？", "那红烧肉怎么做？") is not matched.
 */
const SUBJECTLESS_CLAUSE =
  /^(?:那么?|而且?|还有|那就)?[，,\s]*(?:要|会|能|可以|可能|需要|应该|应当|该|得|怎么|如何|为什么|为何|有没有|有哪些|有什么|是不是|是否|还|也|都|就|具体|主要|一般|通常)/;

/** The singular pronoun itself, to be replaced by one topic. */
const SINGULAR_PRONOUN: Readonly<Record<'zh' | 'en', RegExp>> = { zh: /它(?!们)|其/, en: /\b(it|its)\b/i };

/**
 * Resolves elliptical follow-ups ("那调教呢？", "What about tuning?", "Can you give me an example of it?") against the
 * previous standalone query, with no model:
 * - a follow-up naming two things at once ("两者有什么不同？", "How do the two differ?") names the last two topics of
 *   the conversation instead (`resolvePairReference`);
 * - a follow-up that names its own topic ("How is using a pretrained model different from fine-tuning it?": two topic
 *   terms, or the previous topic again) stands alone, pronouns or not;
 * - a follow-up that names a new glossary term as a context ("And in the cooking analogy?", "在烹饪的例子里呢？") keeps
 *   the previous topic beside it;
 * - a follow-up that names one new term otherwise takes the previous query with its topic replaced by the new term
 *   ("微调是什么？" + "那调教呢？" → "调教是什么？");
 * - a Chinese follow-up without a subject of its own ("那要看哪些因素？": it opens with its predicate) is about the
 *   previous topic, even with words the article lacks;
 * - a follow-up without a topic of its own gets the previous topic: in place of its pronoun ("Can you give me an example
 *   of it?" → "... of tuning?"), else added ("能举个例子吗？" after "微调是什么？" → "能举个例子吗？（微调）").
 * Each turn's standalone query is what the next turn resolves against, so this holds across any number of turns.
 */
export function createFollowUpResolver(deps: { readonly analyzer: TextAnalyzer }): StandaloneQueryResolver {
  const { analyzer } = deps;
  return (question, history) => {
    const previous = history[history.length - 1];
    const trimmed = question.trim();
    if (previous === undefined) return trimmed;
    // "两者有什么不同？", "How do the two differ?": the last two sides the conversation named.
    const paired = resolvePairReference(trimmed, history, analyzer);
    if (paired !== undefined) return paired;
    const language = analyzer.detectLanguage(trimmed);
    const questionTerms = analyzer.findGlossaryTerms(trimmed);
    const contentTokens = analyzer.tokenize(trimmed);
    // "能举个例子吗？", "Why?": nothing but words asking for a kind of answer. A question with words of its own
    // ("What will the weather be like in Paris tomorrow?") is a new question, however short, unless it points back.
    const topicWords = contentTokens.filter((token) => !ANSWER_KIND_TERMS.has(token));
    const looksElliptical =
      (language === 'zh' ? CHINESE_ELLIPSIS.test(trimmed) : ENGLISH_ELLIPSIS.test(trimmed)) || topicWords.length === 0;
    const topicalTokens = contentTokens.filter(
      (token) => !questionTerms.some((term) => term.zh.includes(token) || term.en.includes(token)),
    );
    // Counted per word, not per search piece (哪些因素 holds 因素): a long question is a new one.
    const topicalWords = topicalTokens.filter(
      (token) => !topicalTokens.some((other) => other.length > token.length && other.includes(token)),
    );
    if (!looksElliptical || topicalWords.length > 3) return trimmed;

    const previousQuery = previous.searchedFor;
    const previousTerms = topicTerms(analyzer.findGlossaryTerms(previousQuery));
    const ownTerms = topicTerms(questionTerms);
    // "那明天上海的天气呢？": words of its own, none of them the article's, and no pronoun: a new question.
    const pointsBack =
      (language === 'zh' ? CHINESE_PRONOUN : ENGLISH_PRONOUN).test(trimmed) || PLURAL_PRONOUN.test(trimmed) || CHOICE.test(trimmed);
    // "那要看哪些因素？" has no subject of its own: its words are a predicate about the previous topic, not a topic.
    const subjectless = language === 'zh' && SUBJECTLESS_CLAUSE.test(trimmed);
    if (ownTerms.length === 0 && topicWords.length > 0 && !pointsBack && !subjectless) return trimmed;
    const newTerms = ownTerms.filter((term) => !previousTerms.includes(term));
    // It names its own topic: both sides of a comparison, or the previous topic itself.
    if (ownTerms.length >= 2 || (ownTerms.length > 0 && newTerms.length < ownTerms.length)) return trimmed;

    const newTerm = newTerms[0];
    const asContext = newTerm !== undefined && namesAsContext(trimmed, surfaceIn(trimmed, newTerm), language);
    // A singular pronoun after a question on several topics stands for the one it was about first, its subject
    // ("模型应用和微调有哪些共性？" + "那它需要很多显卡吗？" → 模型应用); a plural one for all of them.
    if (previousTerms.length > 1 && !PLURAL_PRONOUN.test(trimmed) && SINGULAR_PRONOUN[language].test(trimmed)) {
      const subject = inTextOrder(
        previousQuery,
        previousTerms.filter((term) => !namesAsContext(previousQuery, surfaceIn(previousQuery, term), language)),
      )[0];
      if (subject !== undefined) return trimmed.replace(SINGULAR_PRONOUN[language], surfaceIn(previousQuery, subject));
    }
    // "它和预训练模型有什么区别？": the pronoun is the previous topic, the new term the other side.
    const itPronoun = language === 'zh' ? CHINESE_PRONOUN : /\bit\b/i;
    if (newTerm !== undefined && previousTerms.length === 1 && itPronoun.test(trimmed))
      return trimmed.replace(itPronoun, surfaceIn(previousQuery, previousTerms[0] as GlossaryTerm));
    if (newTerm !== undefined && !asContext && previousTerms.length > 0) {
      const replaced = replaceTopic(previousQuery, previousTerms[0] as GlossaryTerm, newTerm, trimmed);
      if (replaced !== previousQuery) return replaced;
    }
    if (newTerm !== undefined && !asContext) return trimmed;
    const topic =
      previousTerms.length > 0
        ? previousTerms.map((term) => surfaceIn(previousQuery, term)).join(language === 'zh' ? '、' : ', ')
        : previousQuery;
    const pronoun = language === 'zh' ? CHINESE_PRONOUN : ENGLISH_PRONOUN;
    if (previousTerms.length === 1 && pronoun.test(trimmed)) return trimmed.replace(pronoun, topic);
    return language === 'zh' ? `${trimmed}（${topic}）` : `${trimmed} (${topic})`;
  };
}

/** The term is where the question is asked, not what it is about: "in the cooking analogy", "在烹饪的例子里". */
function namesAsContext(question: string, surface: string, language: 'zh' | 'en'): boolean {
  const escaped = surface.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const pattern =
    language === 'zh'
      ? new RegExp(`在[^，。？?,]{0,8}${escaped}|${escaped}[^，。？?,]{0,6}(?:里|中)`)
      : new RegExp(`\\b(?:in|within|during|for)\\s+(?:(?:the|this|that|a|an)\\s+)?${escaped}`, 'i');
  return pattern.test(question);
}

/** Terms by where the text first names them (the glossary lists them in its own order). */
function inTextOrder(text: string, terms: readonly GlossaryTerm[]): GlossaryTerm[] {
  const lower = text.toLowerCase();
  const position = (term: GlossaryTerm): number => {
    const at = lower.indexOf(surfaceIn(text, term).toLowerCase());
    return at < 0 ? Number.POSITIVE_INFINITY : at;
  };
  return [...terms].sort((left, right) => position(left) - position(right));
}

/** Glossary hits minus those contained in a longer hit (特定任务 over 任务): the topic is the most specific term. */
function topicTerms(terms: readonly GlossaryTerm[]): GlossaryTerm[] {
  const generic = new Set(['区别', '例如', '比如', '共性']);
  const specific = terms.filter((term) => !generic.has(term.zh));
  return specific.filter((term) => !specific.some((other) => other !== term && other.zh.includes(term.zh)));
}

function surfaceIn(text: string, term: GlossaryTerm): string {
  if (text.includes(term.zh)) return term.zh;
  const lower = text.toLowerCase();
  return [...term.en].sort((left, right) => right.length - left.length).find((form) => lower.includes(form)) ?? term.zh;
}

function replaceTopic(previousQuery: string, oldTerm: GlossaryTerm, newTerm: GlossaryTerm, followUp: string): string {
  const oldSurface = surfaceIn(previousQuery, oldTerm);
  const newSurface = surfaceIn(followUp, newTerm);
  const index = previousQuery.toLowerCase().indexOf(oldSurface.toLowerCase());
  if (index < 0) return previousQuery;
  return previousQuery.slice(0, index) + newSurface + previousQuery.slice(index + oldSurface.length);
}

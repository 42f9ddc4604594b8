import type { GlossaryTerm } from '../ingest/glossary.js';
import type { TextAnalyzer } from '../retrieval/text-analyzer.js';
import { escapeRegExp } from '../support/escape-regexp.js';
import { isGenericConcept } from './concept-map.js';
import type { ConversationTurn } from './tutor-types.js';

/**
 * What a follow-up's words point back at, read with no model: the first or second of two topics named before
 * (前者 / the latter), the other one of them (另一个 / the other one), the previous question's claim ("一定是这样吗？",
 * "Is that always true?") or its topic at more length ("再详细点", "Can you say more?").
 */

type Language = 'zh' | 'en';

/** The first or the second of the topics named before. */
const ORDINAL: Readonly<Record<Language, RegExp>> = {
  zh: /前者|后者|前一个|后一个|第一个|第二个|前一种|后一种/,
  en: /\bthe (?:former|latter|first(?: one)?|second(?: one)?)\b/i,
};
const SECOND = /后者|后一|第二|latter|second/i;
/** The one of two topics the conversation is not on now ("那另一个呢？", "What about the other one?"). */
const OTHER: Readonly<Record<Language, RegExp>> = {
  zh: /另(?:外)?(?:一|那)?(?:个|种|者|方(?!面))/,
  en: /\bthe other(?: one| term| approach| method| way| side)?\b/i,
};

/** A challenge of the previous answer's claim: it asks whether it always holds, so about that claim's conditions. */
export const CHALLENGE: Readonly<Record<Language, RegExp>> = {
  zh: /一定|总是|永远|绝对|肯定吗|真的吗|确定吗|是这样吗|都是这样|都这样|所有情况|任何情况|有没有例外|例外/,
  en: /\b(?:always|never|really|guaranteed|for sure|are you sure|in (?:every|all) cases?|every time|exceptions?)\b|\bis (?:that|this|it) (?:so|true|right|correct)\b/i,
};
/** A request to go on about the previous topic: more of what the article says about it. */
export const MORE: Readonly<Record<Language, RegExp>> = {
  zh: /详细|具体(?:一?点|些|说)|深入|展开|多说|多讲|再说|再讲|继续|还有呢|还有吗|还有别的|还有什么/,
  en: /\b(?:say|tell(?: me)?|explain|hear) (?:a bit |a little |some )?more\b|\bmore (?:detail|details|about (?:it|this|that))\b|\belaborate\b|\bgo on\b|\bexpand on\b|\bwhat else\b|\banything else\b|\bcontinue\b|\bin (?:more )?detail\b/i,
};

/** Glossary terms that name a kind of answer or a relation, not a topic. */
const KIND_TERMS = new Set(['区别', '例如', '比如', '共性']);

/** Glossary hits minus those contained in a longer hit (特定任务 over 任务): the topic is the most specific term. */
export function topicTerms(terms: readonly GlossaryTerm[]): GlossaryTerm[] {
  const specific = terms.filter((term) => !KIND_TERMS.has(term.zh));
  return specific.filter((term) => !specific.some((other) => other !== term && other.zh.includes(term.zh)));
}

export function surfaceIn(text: string, term: GlossaryTerm): string {
  if (text.includes(term.zh)) return term.zh;
  const lower = text.toLowerCase();
  return [...term.en].sort((left, right) => right.length - left.length).find((form) => lower.includes(form)) ?? term.zh;
}

/** Where a text names a term first as a word of its own ("tuning" in "fine-tuning and tuning" is the second); -1 if not. */
export function positionIn(text: string, term: GlossaryTerm): number {
  const surface = surfaceIn(text, term);
  if (!/^[a-z]/i.test(surface)) return text.indexOf(surface);
  const escaped = escapeRegExp(surface);
  return new RegExp(`(?<![\\w-])${escaped}(?![\\w-])`, 'i').exec(text)?.index ?? -1;
}

/** Terms by where the text first names them (the glossary lists them in its own order). */
export function inTextOrder(text: string, terms: readonly GlossaryTerm[]): GlossaryTerm[] {
  const position = (term: GlossaryTerm): number => {
    const at = positionIn(text, term);
    return at < 0 ? Number.POSITIVE_INFINITY : at;
  };
  return [...terms].sort((left, right) => position(left) - position(right));
}

/**
 * Words that make the term before them a figure of speech, not a topic: "the cooking analogy", "烹饪的比喻" (an example
 * word does not: "微调的例子" is about 微调).
 */
const FIGURE = /^(?:'s)?\s*(?:analogy|metaphor)|^的?(?:比喻|类比|比方)/i;

/**
 * The term is where the question is asked, not what it is about: "in the cooking analogy", "在烹饪的例子里", "How does
 * the cooking analogy describe it?" (a figure of speech is a context wherever it stands).
 */
export function namesAsContext(question: string, surface: string, language: Language): boolean {
  const escaped = escapeRegExp(surface);
  const pattern =
    language === 'zh'
      ? new RegExp(`在[^，。？?,]{0,8}${escaped}|${escaped}[^，。？?,]{0,6}(?:里|中)`)
      : new RegExp(`\\b(?:in|within|during)\\s+(?:(?:the|this|that|a|an)\\s+)?${escaped}`, 'i');
  if (pattern.test(question)) return true;
  const at = question.toLowerCase().indexOf(surface.toLowerCase());
  return at >= 0 && (FIGURE.test(question.slice(at + surface.length)) || FIGURE.test(surface.replace(/^\S+/, '')));
}

/**
 * What a query is about, in the order it names them: its terms minus the kind words, the aspects (时间, 效果: general
 * words) and the terms named as a context ("在训练过程上"). "Does model application update the weights?" is about 模型应用
 * first; a follow-up's new term replaces that one, and 前者 / the former names it.
 */
export function subjectsOf(analyzer: TextAnalyzer, query: string): GlossaryTerm[] {
  const language = analyzer.detectLanguage(query);
  const terms = topicTerms(analyzer.findGlossaryTerms(query));
  const subjects = terms.filter((term) => !isGenericConcept(term.zh) && !namesAsContext(query, surfaceIn(query, term), language));
  return inTextOrder(query, subjects.length > 0 ? subjects : terms);
}

/** What joins two sides in a question: "A and B", "A or B", "A than B", "A和B", "A还是B", "A比B". */
const JOINER = /^\s*(?:and|or|vs\.?|versus|than|from|with|[、,，]|和|与|跟|同|及|还是|或者?|比)\s*$/i;

/** The two subjects a query joins as sides ("模型应用和微调有什么区别？"), in its order; none when it joins none. */
function joinedSubjects(analyzer: TextAnalyzer, query: string): GlossaryTerm[] {
  const lower = query.toLowerCase();
  const placed = subjectsOf(analyzer, query).map((term) => {
    const start = positionIn(query, term);
    return { term, start, end: start + surfaceIn(query, term).length };
  });
  for (const [index, left] of placed.entries()) {
    const right = placed[index + 1];
    if (right && left.start >= 0 && right.start >= left.end && JOINER.test(lower.slice(left.end, right.start)))
      return [left.term, right.term];
  }
  return [];
}

/** The latest earlier query that joined two subjects as sides (a comparison), with those two. */
function latestPair(analyzer: TextAnalyzer, history: readonly ConversationTurn[]): { query: string; subjects: GlossaryTerm[] } | undefined {
  for (let index = history.length - 1; index >= 0; index -= 1) {
    const query = (history[index] as ConversationTurn).searchedFor;
    const subjects = joinedSubjects(analyzer, query);
    if (subjects.length === 2) return { query, subjects };
  }
  return undefined;
}

/**
 * The follow-up with its references to earlier topics put in their words ("前者会更新权重吗？" after a question on
 * 模型应用 and 微调 → "模型应用会更新权重吗？"; "那另一个呢？" after one on 模型应用 alone → "那微调呢？"), or undefined when it
 * has none, or none that the conversation resolves.
 */
export function substituteReferences(analyzer: TextAnalyzer, question: string, history: readonly ConversationTurn[]): string | undefined {
  const language = analyzer.detectLanguage(question);
  const pair = latestPair(analyzer, history);
  if (pair === undefined) return undefined;
  const ordinal = ORDINAL[language].exec(question);
  if (ordinal) {
    const term = pair.subjects[SECOND.test(ordinal[0]) ? 1 : 0] as GlossaryTerm;
    return question.replace(ordinal[0], surfaceIn(pair.query, term));
  }
  const other = OTHER[language].exec(question);
  if (!other) return undefined;
  const previous = (history[history.length - 1] as ConversationTurn).searchedFor;
  const current = subjectsOf(analyzer, previous);
  const rest = pair.subjects.filter((term) => !current.includes(term));
  // The previous turn named both (or neither): "the other one" does not say which.
  if (rest.length !== 1 || current.length === 0) return undefined;
  return question.replace(other[0], surfaceIn(pair.query, rest[0] as GlossaryTerm));
}

/**
 * Whether a follow-up asks for more of the previous answer's topic ("再详细点", "Can you say more?") without naming a
 * topic of its own: the answer then gives what the previous answer did not.
 */
export function asksForMore(analyzer: TextAnalyzer, question: string, history: readonly ConversationTurn[]): boolean {
  const language = analyzer.detectLanguage(question);
  return history.length > 0 && MORE[language].test(question) && topicTerms(analyzer.findGlossaryTerms(question)).length === 0;
}

/** Whether an answer already quotes a sentence (in the article's words or its rendering): its closing words are in it. */
export function alreadyTold(answer: string, texts: readonly (string | undefined)[]): boolean {
  return texts.some((text) => {
    const core = (text ?? '')
      .replace(/\*\*/g, '')
      .replace(/[。.!?！？;；:：,，\s]+$/, '')
      .slice(-16);
    return core.length >= 6 && answer.includes(core);
  });
}

/**
 * A follow-up that compares ("和微调有什么区别？", "How does that differ from tuning?", a comparative: "它比微调更快吗？",
 * "Is it faster than fine-tuning?"): its one new term is a side, the respect compared (更快) is no topic, and its
 * pronoun stands for the other side, the previous topic.
 */
const COMPARES: Readonly<Record<Language, RegExp>> = {
  zh: /区别|不同|不一样|差异|差别|相比|比较|对比|比呢|一样|相同|一回事|关系|联系|^(?:那么?)?(?:和|跟|与|同)|比(?!如|方|喻|例|率)/,
  en: /\bdiffer|\bdistinguish|\bcompar|\bcontrast|\bversus\b|\bvs\b|\bsame\b|\bsimilar|\brelat|\bthan\b|\bas \w+ as\b/i,
};
/** A bare demonstrative standing for the previous topic in a comparison ("这和调教有什么不同？", "How is that different from…"). */
const BARE_DEMONSTRATIVE: Readonly<Record<Language, RegExp>> = { zh: /^(?:那么?)?这(?=和|跟|与|同)/, en: /\b(?:that|this)\b/i };

/**
 * A comparison follow-up with the previous subject put in as its other side, or undefined when it compares nothing:
 * "这和调教有什么不同？" → "微调和调教有什么不同？", "和微调有什么区别？" → "调教和微调有什么区别？", "Is tuning the same
 * thing?" → "Is fine-tuning and tuning the same thing?" (the sides joined, as a contrast reads them).
 */
export function withOtherSide(question: string, subject: string, newSurface: string, language: Language): string | undefined {
  if (!compares(question, language)) return undefined;
  const demonstrative = BARE_DEMONSTRATIVE[language].exec(question);
  if (demonstrative) return question.replace(demonstrative[0], language === 'zh' ? subject : demonstrative[0].replace(/\w+/, subject));
  const joined = language === 'zh' ? /^(?:那么?)?(?=和|跟|与|同|比(?!如|方|喻|例|率))/.exec(question) : null;
  if (joined) return subject + question.slice(joined[0].length);
  const at = question.toLowerCase().indexOf(newSurface.toLowerCase());
  if (at < 0) return undefined;
  const sides =
    language === 'zh'
      ? `${subject}和${question.slice(at, at + newSurface.length)}`
      : `${subject} and ${question.slice(at, at + newSurface.length)}`;
  return question.slice(0, at) + sides + question.slice(at + newSurface.length);
}

/** Whether a question asks how things compare (a difference, a sameness, a relation). */
export const compares = (question: string, language: Language): boolean => COMPARES[language].test(question);

/**
 * The last two distinct subjects the conversation asked about, most recent first ("微调是什么？" + "那调教呢？" →
 * 调教, 微调), with the query each was named in: what "两者" / "they" stand for when the previous turn named one.
 */
export function recentSubjects(analyzer: TextAnalyzer, history: readonly ConversationTurn[]): { term: GlossaryTerm; query: string }[] {
  const found: { term: GlossaryTerm; query: string }[] = [];
  for (let index = history.length - 1; index >= 0 && found.length < 2; index -= 1) {
    const query = (history[index] as ConversationTurn).searchedFor;
    for (const term of subjectsOf(analyzer, query))
      if (found.length < 2 && !found.some((entry) => entry.term === term)) found.push({ term, query });
  }
  return found;
}

import type { Language } from '../ingest/chunk-types.js';
import type { GlossaryTerm } from '../ingest/glossary.js';
import { englishNounPhrase } from './next-questions.js';
import type { ExplanationStyle } from './tutor-types.js';

/**
 * A typed request to explain the previous answer again, as the "Explain again" buttons do: more simply ("说简单点",
 * "Explain it more simply"), with an analogy ("能用比喻解释一下吗？", "Can you explain it with an analogy?") or in the
 * other language ("用中文", "In English, please").
 */
export interface ExplainAgainRequest {
  readonly style?: ExplanationStyle;
  readonly language?: Language;
}

/** The words that name what is asked for, by what they ask. */
const STYLE_WORDS: readonly (readonly [ExplanationStyle, RegExp])[] = [
  ['simpler', /大白话|白话|简单|通俗|浅显|直白|易懂|好懂|\bsimpl\w*|\beasier\b|\bplain(?:er)?\b|\blayman'?s?\b|\beli5\b/giu],
  ['analogy', /打个比方|比喻|比方|类比|\banalog(?:y|ies)\b|\bmetaphors?\b/giu],
];
const LANGUAGE_WORDS: readonly (readonly [Language, RegExp])[] = [
  ['zh', /中文|汉语|普通话|\bin chinese\b|\bchinese\b/giu],
  ['en', /英文|英语|\bin english\b|\benglish\b/giu],
];

/**
 * What else such a request says: politeness, the verbs of explaining and the words pointing back at the answer. Once
 * these and the words above are taken out, nothing may be left: "用比喻解释一下微调" names its own topic and is a
 * question of its own.
 */
const CHINESE_FILLER =
  /请|麻烦|能不能|能否|可不可以|可以|能|你|再|重新|一下|一遍|一点|一些|点|些|地|得|的|说法|说|讲|解释|说明|回答|表达|用|换|个|种|方式|来|给我|我|把|它|这个|那个|吗|呢|吧|啊|么|更|稍微|加|些许/gu;
const ENGLISH_FILLER = new Set(
  (
    'can could would will you please pls explain say put tell me it that this again more a an bit little in with using use ' +
    'terms words way give try once answer the same something like of one for do make way english chinese'
  ).split(' '),
);

/** The request a question makes to explain the previous answer again, or undefined when it asks something of its own. */
export function readExplainAgainRequest(question: string): ExplainAgainRequest | undefined {
  let rest = question.toLowerCase().normalize('NFKC');
  let style: ExplanationStyle | undefined;
  let language: Language | undefined;
  for (const [named, pattern] of STYLE_WORDS) {
    const stripped = rest.replace(pattern, ' ');
    if (stripped !== rest) style ??= named;
    rest = stripped;
  }
  for (const [named, pattern] of LANGUAGE_WORDS) {
    const stripped = rest.replace(pattern, ' ');
    if (stripped !== rest) language ??= named;
    rest = stripped;
  }
  if (style === undefined && language === undefined) return undefined;
  const left = rest
    .replace(CHINESE_FILLER, ' ')
    .replace(/[\p{P}\p{S}]/gu, ' ')
    .split(/\s+/)
    .filter((word) => word !== '' && !ENGLISH_FILLER.has(word));
  if (left.length > 0) return undefined;
  return { ...(style ? { style } : {}), ...(language ? { language } : {}) };
}

/** A typed explain-again request resolved against the conversation: the query explained, and how to explain it. */
export interface ExplainAgain extends ExplainAgainRequest {
  /** The standalone query of the answer explained again. */
  readonly query: string;
}

/**
 * A question read as an explain-again request on the previous answer: its standalone query, the style asked for, else
 * the style of the explain-again requests right before it ("用中文" after "能用比喻解释一下吗？" keeps the analogy), and
 * the language asked for. Undefined without an earlier answer or when the question asks something of its own.
 */
export function explainAgainOf(
  question: string,
  history: readonly { readonly question: string; readonly searchedFor: string }[],
): ExplainAgain | undefined {
  const previous = history[history.length - 1];
  const request = previous ? readExplainAgainRequest(question) : undefined;
  if (!previous || !request) return undefined;
  let style = request.style;
  for (let index = history.length - 1; style === undefined && index >= 0; index -= 1) {
    const earlier = readExplainAgainRequest((history[index] as { question: string }).question);
    if (!earlier) break;
    style = earlier.style;
  }
  return { query: previous.searchedFor, ...(style ? { style } : {}), ...(request.language ? { language: request.language } : {}) };
}

/**
 * What an analogy explanation searches: the explained topics asked in the article's figure of speech ("微调是什么？" →
 * "在烹饪的比喻里，微调是什么？", "What is tuning like in the cooking analogy?"), so that the search, and the turn a
 * follow-up resolves against, find the analogy's passages on those topics rather than the explained question's. Without
 * a topic (two at most), the story itself ("烹饪的比喻是怎么讲的？"); undefined without a figure.
 */
export function analogyQuery(topics: readonly GlossaryTerm[], figure: GlossaryTerm | undefined, language: Language): string | undefined {
  const named = topics.slice(0, 2);
  if (figure === undefined) return undefined;
  // No topic the analogy speaks of: the story itself, asked as such.
  if (named.length === 0)
    return language === 'zh' ? `${figure.zh}的比喻是怎么讲的？` : figure.en[0] && `What does the ${figure.en[0]} analogy say?`;
  if (language === 'zh') return `在${figure.zh}的比喻里，${named.map((term) => term.zh).join('和')}是什么？`;
  const figureName = figure.en[0];
  if (figureName === undefined || named.some((term) => term.gloss.trim() === '')) return undefined;
  const phrases = named.map((term) => englishNounPhrase(term.gloss));
  const verb = phrases.length > 1 || phrases[0]?.plural ? 'are' : 'is';
  return `What ${verb} ${phrases.map((phrase) => phrase.phrase).join(' and ')} like in the ${figureName} analogy?`;
}

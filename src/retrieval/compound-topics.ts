import type { QueryWord } from './analyzed-query.js';
import { isStopword } from './function-words.js';
import { ANSWER_KIND_TERMS, normalizeEnglishWord } from './text-analyzer.js';
import { isEnglishFocus, standsInTopicSlot } from './topic-slot.js';

/** What the reading of compounds needs to know of the corpus and of the question. */
export interface CompoundContext {
  /** Every token of the index. */
  readonly vocabulary: ReadonlySet<string>;
  /** Words of general language (CorpusDictionaryData.commonWords); undefined before the lexicon is read. */
  readonly commonWords?: ReadonlySet<string>;
  /** The question's Chinese words jieba tags as nouns that the corpus does not use (topic-slot.ts nounsOf). */
  readonly nouns: ReadonlySet<string>;
  /** The question's English words as written, by stem. */
  readonly surfaceOf: ReadonlyMap<string, string>;
  /** An English word (as written) the article uses or its hand glossary's terms hold ("context", "model"). */
  readonly isArticleWord: (word: string) => boolean;
}

const CHINESE_WORD = /^[\u3400-\u9fff]{2,}$/;
const ENGLISH_WORD = /^[a-z][a-z-]{2,}$/;

/**
 * The words of the question that make up a compound term the corpus never names, standing where the question's topic
 * does: two words side by side, neither of which the corpus uses or reaches ("loss function" of "What does the loss
 * function do…", 损失函数 of 微调模型时损失函数怎么选, 员工入职). Each word alone may be general language (损失, "function"),
 * so on its own it weighs little and matches nothing; together they name one concept, as 量化 does, and the question is
 * about it however many of its other words (微调, 模型) the article uses.
 *
 * A word accounts for itself when the corpus uses one of its own terms, or, for a specific word, when a dictionary bridge
 * reaches a corpus word that is not general language (做菜 → 烹饪 of 做菜手艺, which the article calls 烹饪技巧); the
 * bridges of a general word (培训 → 训练, "function" → 性能) are senses among many and account for nothing in a compound.
 * A Chinese compound is two nouns by jieba's tag (损失函数; not 方式会变, 判断评论: a verb after a noun is a clause; not
 * 主要内容 or 工作原理, an adjective or a verbal noun before one), and neither language's ends in a noun naming an aspect
 * of a topic (FRAME_NOUNS: 核心观点, "main idea"). An English compound must be what the question asks about in itself
 * (isEnglishFocus: what it is or does, which one to choose), not the subject of another question ("How do software
 * developers choose…").
 * A noun that no term of the corpus reaches, right after a word the article uses, heads such a term too (上下文窗口,
 * "the context window of…").
 * Words that ask for a kind of answer (例子, "difference") and function words are never part of one.
 */
export function compoundTopicWords(query: string, words: readonly QueryWord[], context: CompoundContext): ReadonlySet<string> {
  const unaccounted = words.filter((word) => isPart(word) && !accountsForItself(word, context));
  const found = new Set<string>();
  for (const left of unaccounted)
    for (const right of unaccounted)
      if (left !== right && namesCompound(query, left.word, right.word, context)) {
        found.add(left.word);
        found.add(right.word);
      }
  // A noun the corpus never reaches after a word it uses heads a term of its own (上下文窗口, "the context window of…"):
  // the article's word only modifies it.
  for (const head of words)
    if (isPart(head) && !head.terms.some((term) => context.vocabulary.has(term.term)) && headsArticleWord(query, head.word, words, context))
      found.add(head.word);
  return found;
}

/** Whether `head` stands right after a word the article uses, the two in the question's topic slot as one term. */
function headsArticleWord(query: string, head: string, words: readonly QueryWord[], context: CompoundContext): boolean {
  if (FRAME_NOUNS.has(head)) return false;
  if (CHINESE_WORD.test(head)) {
    if (!context.nouns.has(head)) return false;
    return words.some(
      (left) =>
        CHINESE_WORD.test(left.word) &&
        context.vocabulary.has(left.word) &&
        query.includes(left.word + head) &&
        standsInTopicSlot(query, left.word + head),
    );
  }
  const surface = context.surfaceOf.get(head);
  if (surface === undefined || !ENGLISH_WORD.test(head)) return false;
  const lower = query.toLowerCase();
  for (let at = lower.indexOf(` ${surface}`); at > 0; at = lower.indexOf(` ${surface}`, at + 1)) {
    const before = /([a-z][\w-]*)$/.exec(lower.slice(0, at))?.[1];
    if (before !== undefined && before.length > 2 && context.isArticleWord(before) && isEnglishFocus(query, `${before} ${surface}`))
      return true;
  }
  return false;
}

/** Whether `left` then `right` stand side by side in the question as one compound in its topic slot. */
function namesCompound(query: string, left: string, right: string, context: CompoundContext): boolean {
  if (FRAME_NOUNS.has(right)) return false;
  if (CHINESE_WORD.test(left) && CHINESE_WORD.test(right)) {
    const compound = left + right;
    return context.nouns.has(left) && context.nouns.has(right) && query.includes(compound) && standsInTopicSlot(query, compound);
  }
  if (!ENGLISH_WORD.test(left) || !ENGLISH_WORD.test(right)) return false;
  const compound = `${context.surfaceOf.get(left) ?? left} ${context.surfaceOf.get(right) ?? right}`;
  return query.toLowerCase().includes(compound) && isEnglishFocus(query, compound);
}

/**
 * Nouns naming an aspect of a topic that a question asks about (its principle, content, main point, method, steps):
 * a compound ending in one (工作原理, 核心观点, "main idea", "bottom line") asks something of the topic, it names no
 * concept of its own.
 */
const FRAME_NOUNS: ReadonlySet<string> = new Set(
  [
    ...['原理', '观点', '内容', '思路', '思想', '意思', '概念', '方法', '方式', '办法', '特点', '特征', '目的', '用途', '用处'],
    ...['流程', '步骤', '过程', '问题', '情况', '优点', '好处', '要点', '重点', '核心', '关键', '本质', '道理', '逻辑', '结论'],
    ...['意义', '价值', '方面', '部分', '地方', '理念', '作用', '含义', '总结', '区别'],
    ...['idea', 'ideas', 'point', 'points', 'line', 'takeaway', 'takeaways', 'gist', 'principle', 'principles', 'concept'],
    ...['method', 'methods', 'approach', 'way', 'ways', 'feature', 'features', 'purpose', 'goal', 'role', 'benefit'],
    ...['benefits', 'advantage', 'advantages', 'step', 'steps', 'process', 'problem', 'issue', 'part', 'aspect', 'message'],
    ...['lesson', 'conclusion', 'essence', 'logic', 'thing', 'things', 'use', 'uses', 'value', 'meaning', 'picture'],
  ].flatMap((word) => [word, normalizeEnglishWord(word)]),
);

function isPart(word: QueryWord): boolean {
  return !ANSWER_KIND_TERMS.has(word.word) && !isStopword(word.word) && word.aspect !== true;
}

function accountsForItself(word: QueryWord, context: CompoundContext): boolean {
  return word.terms.some(
    (term) =>
      context.vocabulary.has(term.term) && (term.weight === 1 || (word.general !== true && context.commonWords?.has(term.term) !== true)),
  );
}

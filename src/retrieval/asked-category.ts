import { ANSWER_KIND_TERMS } from './text-analyzer.js';

/**
 * The kind of thing a Chinese question asks to be named (用什么工具, 哪些框架, 翻译软件哪个好): the noun right after
 * 什么 / 哪个 / 哪些 / 哪种 / 哪款 / 哪家, or the head right before 哪个 / 哪款 / 哪家. When the corpus never uses that
 * noun and no bridge reaches it, the article names no such thing, however common the noun is (工具, 软件 are general
 * language, and weigh little elsewhere): the question is not covered.
 *
 * Nouns that only frame what is asked (什么东西, 什么作用, 哪些方面, 什么情况下, 哪些步骤) are no kind of thing: the
 * article's sentences answer them as they answer 什么 alone.
 */
const BEFORE_CATEGORY = /(?:什么样的|什么|哪一个|哪一种|哪个|哪些|哪种|哪款|哪家|哪类)$/;
const AFTER_CATEGORY = /^(?:哪一个|哪一种|哪个|哪款|哪家|哪种)/;

/** Abstract nouns that frame a question rather than name a kind of thing (answer kinds are added from the analyzer's). */
const FRAME_NOUNS: ReadonlySet<string> = new Set([
  ...'东西 方面 情况 情形 场合 场景 时候 时间 地方 意思 意义 作用 用处 用途 问题 方式 方法 办法 做法 特点 特征 关系 联系 影响 原因 理由 条件 要求 前提 类型 种类 样子 程度 效果 结果 步骤 流程 环节 内容 部分 因素 道理 目的 目标 好处 坏处 优点 缺点 优势 劣势 不同 区别 差别 差异 风险 注意事项 事项 选择 说法 含义 概念 例子 比喻'.split(
    ' ',
  ),
]);

/**
 * Whether `word` (a Chinese noun of the question the corpus does not use: the caller checks jieba's tag, since a
 * predicate may follow 哪个 as well, 哪个更费时间) is the kind of thing the question asks to be
 * named. Only the first occurrence that stands there counts; a frame noun never does.
 */
export function asksForCategory(question: string, word: string): boolean {
  if (!/^[\u3400-\u9fff]{2,}$/.test(word) || FRAME_NOUNS.has(word) || ANSWER_KIND_TERMS.has(word)) return false;
  for (let at = question.indexOf(word); at >= 0; at = question.indexOf(word, at + 1)) {
    if (BEFORE_CATEGORY.test(question.slice(0, at))) return true;
    if (AFTER_CATEGORY.test(question.slice(at + word.length))) return true;
  }
  return false;
}

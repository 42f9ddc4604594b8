import { boundedMemo } from '../support/bounded-memo.js';

/**
 * Whether a word stands in the topic slot of a question: the concept the question is ABOUT, not a verb or a frame word
 * around it. Coverage refuses a question whose topic the corpus never names (量化, 蒸馏), but a word the corpus does not
 * use elsewhere in the question (举出, 文中说, 对应) only says how the question is asked.
 *
 * The slots, read from the question's structure rather than from any list of topics:
 * - joined with another word by a coordinator (和, 与, 跟, 还是, 相比, and, vs): "知识蒸馏和微调有什么区别？";
 * - the subject of a defining question: "蒸馏是什么？", "什么是蒸馏？", "蒸馏指的是什么？";
 * - in the subject of the clause, before its predicate (会, 能, 是否, 对, 如何 …): "模型量化会降低性能吗？",
 *   "红烧牛肉怎么做？";
 * - the object of a how-to question: "怎么包饺子？".
 */
export function standsInTopicSlot(question: string, word: string): boolean {
  return slotPatterns(word).some((pattern) => pattern.test(question));
}

/**
 * The six slot patterns of one word. Compiling them was most of the cost of a call (six regular expressions per
 * word of every question): words recur across questions, so the latest few hundred words keep theirs.
 */
const MAX_REMEMBERED_WORDS = 500;
const slotPatterns = boundedMemo(MAX_REMEMBERED_WORDS, (word: string): readonly RegExp[] => {
  const at = escapeRegExp(word);
  return [
    new RegExp(`${at}(?:的)?\\s*(?:${COORDINATORS})`, 'i'),
    new RegExp(`(?:${COORDINATORS})\\s*[\\u3400-\\u9fff]{0,3}?${at}`, 'i'),
    new RegExp(`${at}(?:的|这个词|这个概念)?(?:到底|究竟)?(?:${DEFINING_TAILS})`),
    new RegExp(`(?:${DEFINING_HEADS})[\\u3400-\\u9fff]{0,3}?${at}`),
    new RegExp(`(?:^|[，。？！；,.?!;\\s]|那么?)[\\u3400-\\u9fff]{0,4}?${at}[\\u3400-\\u9fff]{0,3}?(?:${PREDICATE_MARKERS})`),
    new RegExp(`(?:怎么|如何|怎样)[\\u3400-\\u9fff]?${at}`),
  ];
});

const COORDINATORS = '和|与|跟|同|及|以及|还是|或者|或|相比|对比|\\bvs\\.?|\\bversus\\b|\\band\\b|\\bor\\b';
const DEFINING_TAILS = '是什么|是啥|指什么|指的是什么|是指|什么意思|是什么意思|怎么理解|如何理解';
const DEFINING_HEADS = '什么是|什么叫|何为|何谓|解释一下|介绍一下';
/** Words that open a predicate after a subject: modals, copulas, adverbs of manner and question. */
const PREDICATE_MARKERS = '会|能|可以|可能|是否|是不是|有没有|有什么|有哪些|对于?|让|怎么|如何|为什么|为何|需要|属于|算不算|适合|比';

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

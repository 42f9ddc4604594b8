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
 * The slot patterns of one word. Compiling them was most of the cost of a call (seven regular expressions per
 * word of every question): words recur across questions, so the latest few hundred words keep theirs.
 */
const MAX_REMEMBERED_WORDS = 500;
const slotPatterns = boundedMemo(MAX_REMEMBERED_WORDS, (word: string): readonly RegExp[] => {
  const at = escapeRegExp(word);
  return [
    // The word may open a compound jieba cut into pieces (提示 of 提示词工程和微调).
    new RegExp(`${at}[\\u3400-\\u9fff]{0,3}?(?:的)?\\s*(?:${COORDINATORS})`, 'i'),
    new RegExp(`(?:${COORDINATORS})\\s*[\\u3400-\\u9fff]{0,3}?${at}`, 'i'),
    new RegExp(`${at}(?:的|这个词|这个概念)?(?:到底|究竟)?(?:${DEFINING_TAILS})`),
    new RegExp(`(?:${DEFINING_HEADS})[\\u3400-\\u9fff]{0,3}?${at}`),
    new RegExp(`(?:^|[，。？！；,.?!;\\s]|那么?)[\\u3400-\\u9fff]{0,4}?${at}[\\u3400-\\u9fff]{0,3}?(?:${PREDICATE_MARKERS})`),
    new RegExp(`(?:怎么|如何|怎样)[\\u3400-\\u9fff]?${at}`),
    // The object that ends a how-to question: "怎么给数据打标签？".
    new RegExp(`(?:怎么|如何|怎样)[\\u3400-\\u9fff]{0,6}?${at}[？?！!。]*$`),
  ];
});

/**
 * The same for an English word (as written in the question, not stemmed): the subject of a defining or how question
 * that ends there ("What is dropout?", "What is dropout and…", "How does 4-bit quantization of a model work?", "What
 * does distillation mean?"; not "What is the reader asked…"), the action of a how-to question ("How do I label data?"),
 * or a word joined to another by a coordinator ("RAG or fine-tuning", "fine-tuning versus distillation"), one modifier
 * allowed in between ("4-bit quantization"). An unknown word elsewhere ("reuse an off-the-shelf model") only says how
 * the question is asked.
 */
export function standsInEnglishTopicSlot(question: string, word: string): boolean {
  return englishSlotPatterns(word).some((pattern) => pattern.test(question));
}

const englishSlotPatterns = boundedMemo(MAX_REMEMBERED_WORDS, (word: string): readonly RegExp[] => {
  const at = escapeRegExp(word);
  const modifier = '(?:(?:a|an|the)\\s+)?(?:[\\w-]+\\s+)?';
  return [
    new RegExp(`\\bwhat(?:'s|\\s+(?:is|are))\\s+${modifier}${at}(?=\\s*(?:[?,.!;]|$)|\\s+(?:and|or|in|exactly)\\b)`, 'i'),
    new RegExp(`\\bwhat\\s+(?:does|do)\\s+${modifier}${at}\\s+(?:mean|do)\\b`, 'i'),
    new RegExp(`\\bhow\\s+(?:does|do|can)\\s+${modifier}${at}(?:\\s+of\\s+[\\w\\s-]{1,30}?)?\\s+(?:work|help|compare|differ)\\b`, 'i'),
    // The action a how-to question asks about: "How do I label data…?" asks about labelling.
    new RegExp(`\\bhow\\s+(?:do|can|should|would)\\s+(?:i|we|you|one)\\s+${at}\\b`, 'i'),
    new RegExp(`\\b${at}\\s+(?:and|or|vs\\.?|versus|compared (?:to|with))\\s`, 'i'),
    new RegExp(`\\b(?:and|or|vs\\.?|versus|compared (?:to|with)|than)\\s+${modifier}${at}\\b`, 'i'),
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

import type { Jieba } from '@node-rs/jieba';
import { isStopword } from './function-words.js';

/**
 * Whether a word stands in the topic slot of a question: the concept the question is ABOUT, not a verb or a frame word
 * around it. Coverage refuses a question whose topic the corpus never names (量化, 蒸馏), but a word the corpus does not
 * use elsewhere in the question (举出, 文中说, 对应) only says how the question is asked.
 *
 * The slots, read from the question's structure rather than from any list of topics:
 * - joined with another word by a coordinator (和, 与, 跟, 还是, 相比, and, vs): "知识蒸馏和微调有什么区别？";
 * - the subject of a defining question: "蒸馏是什么？", "什么是蒸馏？", "蒸馏指的是什么？";
 * - in the subject of the clause, before its predicate (会, 能, 是否, 对, 如何 …): "模型量化会降低性能吗？",
 *   "红烧牛肉怎么做？", "吴恩达说微调…";
 * - the object of a how-to question: "怎么包饺子？".
 */
export function standsInTopicSlot(question: string, word: string): boolean {
  return standsInSlots(CHINESE_SLOTS, question, word);
}

/**
 * The same for an English word (as written in the question, not stemmed): the subject of a defining or how question
 * that ends there ("What is dropout?", "What is dropout and…", "How does 4-bit quantization of a model work?", "What
 * does distillation mean?"; not "What is the reader asked…"), the action of a how-to question ("How do I label data?"),
 * or a word joined to another by a coordinator ("RAG or fine-tuning", "fine-tuning versus distillation"), one modifier
 * allowed in between ("4-bit quantization"). An unknown word elsewhere ("reuse an off-the-shelf model") only says how
 * the question is asked. In a Chinese question the Chinese slots apply as well ("RAG和微调…").
 */
export function standsInEnglishTopicSlot(question: string, word: string): boolean {
  // A Latin word in a Chinese question stands in the Chinese slots too: "RAG和微调有什么区别？".
  // In either case there ("Q-learning是什么", written capitalised): a Latin word's case says nothing of its slot.
  return (
    standsInSlots(ENGLISH_SLOTS, question, word) ||
    (/[\u3400-\u9fff]/.test(question) && standsInSlots(CHINESE_SLOTS_ANY_CASE, question, word))
  );
}

/**
 * One slot: what must stand before the word (`before`, a pattern ending where the word starts) and after it (`after`),
 * either may be empty. The patterns do not name the word, so they are compiled once: a pattern per word cost a
 * compilation per new word of every question (several milliseconds for one with a CJK range and the `i` flag), and
 * learner questions bring new words all the time.
 */
interface Slot {
  readonly before: string;
  readonly after: string;
  readonly ignoreCase: boolean;
}

interface CompiledSlot {
  readonly ignoreCase: boolean;
  /** Tested on the question up to and including the word's first character: the context ends right before it. */
  readonly before: RegExp | undefined;
  /** Sticky, tested from the end of the word on the whole question. */
  readonly after: RegExp | undefined;
}

const compile = (slots: readonly Slot[]): readonly CompiledSlot[] =>
  slots.map(({ before, after, ignoreCase }) => ({
    ignoreCase,
    before: before === '' ? undefined : new RegExp(`(?:${before})(?=[\\s\\S]$)`, ignoreCase ? 'i' : ''),
    after: after === '' ? undefined : new RegExp(after, ignoreCase ? 'iy' : 'y'),
  }));

/** The question holds the word at an offset where one of the slots' contexts stands before and after it. */
function standsInSlots(slots: readonly CompiledSlot[], question: string, word: string): boolean {
  if (word === '') return false;
  return slots.some((slot) => {
    for (let at = findWord(question, word, 0, slot.ignoreCase); at >= 0; at = findWord(question, word, at + 1, slot.ignoreCase)) {
      if (slot.before && !slot.before.test(question.slice(0, at + 1))) continue;
      if (slot.after) {
        slot.after.lastIndex = at + word.length;
        if (!slot.after.test(question)) continue;
      }
      return true;
    }
    return false;
  });
}

/**
 * The next offset from `from` where the word stands in the question, as a regular expression's literal would match it:
 * with `ignoreCase`, characters compare as the `i` flag without `u` does (ECMAScript's Canonicalize).
 */
function findWord(question: string, word: string, from: number, ignoreCase: boolean): number {
  if (!ignoreCase) return question.indexOf(word, from);
  const last = question.length - word.length;
  for (let at = from; at <= last; at += 1) {
    let same = true;
    for (let offset = 0; offset < word.length && same; offset += 1) {
      const left = question.charCodeAt(at + offset);
      const right = word.charCodeAt(offset);
      same = left === right || canonicalize(left) === canonicalize(right);
    }
    if (same) return at;
  }
  return -1;
}

/** ECMAScript's Canonicalize for a non-Unicode case-insensitive pattern: a code unit's single-unit upper case. */
function canonicalize(code: number): number {
  if (code < 128) return code >= 97 && code <= 122 ? code - 32 : code;
  const upper = String.fromCharCode(code).toUpperCase();
  if (upper.length !== 1) return code;
  const upperCode = upper.charCodeAt(0);
  return upperCode < 128 ? code : upperCode;
}

const COORDINATORS = '和|与|跟|同|及|以及|还是|或者|或|相比|对比|\\bvs\\.?|\\bversus\\b|\\band\\b|\\bor\\b';
const DEFINING_TAILS = '是什么|是啥|指什么|指的是什么|是指|什么意思|是什么意思|怎么理解|如何理解';
const DEFINING_HEADS = '什么是|什么叫|何为|何谓|解释一下|介绍一下';
/** Words that open a predicate after a subject: verbs of a view (吴恩达认为), modals, copulas, adverbs of manner and question. */
const PREDICATE_MARKERS =
  '认为|觉得|说|会|能|可以|可能|是否|是不是|有没有|有什么|有哪些|对于?|让|怎么|如何|为什么|为何|需要|属于|算不算|适合|比';

const CJK_RUN = (range: string): string => `[\\u3400-\\u9fff]${range}`;
/** A possessive before a noun (我的简历, 我家空调): the learner's own thing, the topic of the question. */
const CHINESE_POSSESSIVE = '(?:(?:我|你|他|她)家的?|(?:我|你|我们|你们|他|她|自己)的)';
const ENGLISH_MODIFIER = '(?:(?:a|an|the)\\s+)?(?:[\\w-]+\\s+)?';
/** What stands before the head of a noun phrase: a determiner, then two modifiers at most ("the learning rate"). */
const HEAD_AFTER_MODIFIERS = "(?:(?:a|an|the)\\s+)?(?:[\\w-]+(?:'s)?\\s+){0,2}";
/**
 * A word opening a how question's subject before its head, unless it reads as a plural noun ("seasonings" of "How do
 * seasonings map onto…", whose next word is the verb).
 */
const SUBJECT_MODIFIER = '(?:[\\w-]*(?:[^\\Ws]|ss|us|is)\\s+)?';
/** A how question's subject that is not the learner, someone or a pronoun ("How do I…" asks for an action). */
const SUBJECT_START = '(?!(?:i|we|you|they|one|it|he|she|people|someone|anyone|this|that|these|those)\\b)';

const CHINESE_SLOT_CONTEXTS: readonly Slot[] = [
  // The word may open a compound jieba cut into pieces (提示 of 提示词工程和微调).
  { before: '', after: `${CJK_RUN('{0,3}?')}(?:的)?\\s*(?:${COORDINATORS})`, ignoreCase: true },
  { before: `(?:${COORDINATORS})\\s*${CJK_RUN('{0,3}?')}`, after: '', ignoreCase: true },
  { before: CHINESE_POSSESSIVE, after: '', ignoreCase: false },
  // The head of a noun phrase with 的 that ends the question or its clause: "微调能消除模型的偏见吗？" asks about 偏见.
  { before: '的', after: `(?:吗|呢|吧)?[？?！!。，,；;]*$`, ignoreCase: false },
  // The head of a noun phrase with 的 that is the clause's subject, before its predicate: "预训练模型的版权归谁？",
  // "神经网络的激活函数有哪些？" ask about 版权 and 激活函数, not about the article's term that owns them.
  { before: '的', after: `${CJK_RUN('{0,3}?')}(?:${PREDICATE_MARKERS}|归)`, ignoreCase: false },
  { before: '', after: `(?:的|这个词|这个概念)?(?:到底|究竟)?(?:${DEFINING_TAILS})`, ignoreCase: false },
  { before: `(?:${DEFINING_HEADS})${CJK_RUN('{0,3}?')}`, after: '', ignoreCase: false },
  // A clause opens after punctuation, 那, or a time clause (微调模型时损失函数怎么选: 时 closes "when fine-tuning").
  {
    before: `(?:^|[，。？！；,.?!;\\s]|那么?|时)${CJK_RUN('{0,4}?')}`,
    after: `${CJK_RUN('{0,3}?')}(?:${PREDICATE_MARKERS})`,
    ignoreCase: false,
  },
  { before: `(?:怎么|如何|怎样)${CJK_RUN('?')}`, after: '', ignoreCase: false },
  // The object that ends a how-to question: "怎么给数据打标签？".
  { before: `(?:怎么|如何|怎样)${CJK_RUN('{0,6}?')}`, after: '[？?！!。]*$', ignoreCase: false },
];
const CHINESE_SLOTS = compile(CHINESE_SLOT_CONTEXTS);
/** The same contexts for a Latin word inside a Chinese question, whose case the learner chose freely. */
const CHINESE_SLOTS_ANY_CASE = compile(CHINESE_SLOT_CONTEXTS.map((slot) => ({ ...slot, ignoreCase: true })));

/** The slots where a question asks what a thing is, what it does, how it works, or which one to choose. */
const ENGLISH_FOCUS_SLOT_CONTEXTS = [
  {
    // The head of the defined noun phrase, two modifiers allowed: "What is the learning rate warmup?". A modifier
    // is not the topic ("What is a typical fine-tuning task?").
    before: `\\bwhat(?:'s|\\s+(?:is|are))\\s+${HEAD_AFTER_MODIFIERS}`,
    after: '(?=\\s*(?:[?,.!;]|$)|\\s+(?:and|or|in|exactly|for)\\b)',
  },
  { before: `\\bwhat\\s+(?:does|do)\\s+${ENGLISH_MODIFIER}`, after: '\\s+(?:mean|do)\\b' },
  // The thing a choice is asked of, the head of its noun phrase: "Which optimizer is best for fine-tuning?", "Which
  // scale model kits are good…", "What loss function should I use…".
  { before: `\\b(?:which|what)\\s+${HEAD_AFTER_MODIFIERS}`, after: '\\s+(?:is|are|works?|should|would)\\b' },
  {
    before: `\\bhow\\s+(?:does|do|can)\\s+${ENGLISH_MODIFIER}`,
    after: '(?:\\s+of\\s+[\\w\\s-]{1,30}?)?\\s+(?:work|help|compare|differ)\\b',
  },
];

const ENGLISH_SLOTS = compile(
  [
    ...ENGLISH_FOCUS_SLOT_CONTEXTS,
    // The subject of a how question, its first two words, when it is not the learner or a pronoun: "How does knowledge
    // distillation compress a model?", "How do fashion models train…?" (the verb after it is not asked about).
    {
      before: `\\bhow\\s+(?:does|do|did|can|could|will|would|should)\\s+${SUBJECT_START}(?:(?:a|an|the)\\s+)?${SUBJECT_MODIFIER}`,
      after: '\\s+[a-z]',
    },
    // The action a how-to question asks about: "How do I label data…?" asks about labelling.
    { before: '\\bhow\\s+(?:do|can|should|would)\\s+(?:i|we|you|one)\\s+', after: '\\b' },
    { before: '\\b', after: '\\s+(?:and|or|vs\\.?|versus|compared (?:to|with))\\s' },
    // The learner's own thing, one modifier allowed: "the temperature on my thermostat", "my car's engine".
    {
      before: `\\b(?:my|your|our|their|his|her)\\s+(?:[\\w-]+(?:'s)?\\s+)?`,
      after: `(?='s\\b|\\s*(?:[?.!,;]|$)|\\s+(?:to|for|with|in|on|at|so|and|or|from|into|by|like)\\b)`,
    },
    { before: `\\b(?:and|or|vs\\.?|versus|compared (?:to|with)|than)\\s+${ENGLISH_MODIFIER}`, after: '\\b' },
  ].map((slot) => ({ ...slot, ignoreCase: true })),
);
/** The focus slots, and the head of a noun phrase that a what-is question asks of something ("the context window of…"). */
const ENGLISH_FOCUS_SLOTS = compile(
  [...ENGLISH_FOCUS_SLOT_CONTEXTS, { before: `\\bwhat(?:'s|\\s+(?:is|are))\\s+${HEAD_AFTER_MODIFIERS}`, after: '\\s+of\\b' }].map(
    (slot) => ({ ...slot, ignoreCase: true }),
  ),
);

/**
 * Whether an English phrase is what the question asks about in itself: what it is or does, how it works, or which
 * one to choose ("What does the loss function do…", "What loss function should I use…", "What is the context window
 * of…": a phrase, whose head a modifier and "of" frame), not only the subject or the object of some other question
 * ("How do software developers choose…").
 */
export function isEnglishFocus(question: string, phrase: string): boolean {
  return standsInSlots(ENGLISH_FOCUS_SLOTS, question, phrase);
}

/**
 * Whether a word is what the question asks the article's own terms to act on, or the thing whose amount it asks: the
 * object of one of `heads` (the article's terms as the question writes them, 调教, "fine-tune"), right after it or
 * after a determiner ("怎么调教一只狗", "调教家里的猫", "tune my guitar", "fine-tune my resume"), or put before it as the
 * topic of a how-to ("汽车发动机怎么调教"); the noun after 多少/几 ("要花多少钱", "几个轮次"); the verb of "how much does
 * it cost". Such an object the article never writes means the term is used in another sense (a pet, an instrument) or
 * the question asks about something else, so its other words matching says nothing.
 */
export function standsInObjectSlot(question: string, word: string, heads: readonly string[]): ObjectSlot | undefined {
  if (word === '') return undefined;
  if (/[\u3400-\u9fff]/.test(word)) return chineseObjectSlot(question, word, heads);
  const lower = question.toLowerCase();
  const target = word.toLowerCase();
  const howMuch = HOW_MUCH_DOES.exec(lower);
  if (howMuch && (lower.slice(howMuch.index + howMuch[0].length).match(/[\w-]+/g) ?? []).slice(0, 4).includes(target)) return 'marked';
  // The action of a how-to question acts on its object as the article's terms do: "How do I coach a junior colleague?".
  const action = HOW_TO_ACTION.exec(lower)?.[1];
  const forms = [...heads, ...(action ? [action] : [])].map((head) => head.toLowerCase());
  const isObject = forms.some((form) => {
    for (let at = lower.indexOf(form); at >= 0; at = lower.indexOf(form, at + 1)) {
      if (at > 0 && /[\w-]/.test(lower[at - 1] as string)) continue;
      // A form that a longer one begins ("applying" of "applying a model") is read as that one: "Is applying a model
      // cheap?" says "cheap" of the model, it does not apply anything to a "model cheap".
      if (forms.some((longer) => longer.length > form.length && longer.startsWith(form) && lower.startsWith(longer, at))) continue;
      const object = ENGLISH_OBJECT.exec(lower.slice(at + form.length));
      if (object && (object[1] === target || object[2] === target)) return true;
    }
    return false;
  });
  return isObject ? 'marked' : undefined;
}

/**
 * standsInObjectSlot for a word the corpus does not use (as written); a Chinese word right next to the term with
 * nothing marking it as a noun (调教狗, not 调教一只狗 or 多少钱) must be one by jieba's tag (`nouns`; not 微调之后).
 */
export function standsAsObject(question: string, word: string, heads: readonly string[], nouns: ReadonlySet<string>): boolean {
  const chinese = /[\u3400-\u9fff]/.test(word);
  // Function characters jieba's dictionary joins (时会 of 模型应用时会…) are no object, whatever their tag.
  if (chinese && [...word].every((character) => isStopword(character))) return false;
  const slot = standsInObjectSlot(question, word, heads);
  return slot === 'marked' || (slot === 'adjacent' && (!chinese || nouns.has(word)));
}

/**
 * The words of the question that jieba tags as nouns (狗, 简历, 钱; not 之后, 一下) and the corpus does not use: only
 * those can be an object in another sense.
 */
export function nounsOf(jieba: Jieba, question: string, isCorpusWord: (word: string) => boolean): ReadonlySet<string> {
  return new Set(
    jieba
      .tag(question, true)
      .filter((tagged) => tagged.tag.startsWith('n') && !isCorpusWord(tagged.word))
      .map((tagged) => tagged.word),
  );
}

/**
 * How a word stands as an object: `marked` as a noun by its place (after a determiner or 多少/几, an English object
 * after a determiner), or only `adjacent` to the term (调教狗, 汽车发动机怎么调教), where the caller must know it is a noun.
 */
export type ObjectSlot = 'marked' | 'adjacent';

function chineseObjectSlot(question: string, word: string, heads: readonly string[]): ObjectSlot | undefined {
  let slot: ObjectSlot | undefined;
  for (let at = question.indexOf(word); at >= 0; at = question.indexOf(word, at + 1)) {
    if (QUANTIFIED.test(question.slice(0, at))) return 'marked';
    const topicalised = BEFORE_HOW_TO.exec(question.slice(at + word.length));
    if (topicalised && heads.some((head) => question.startsWith(head, at + word.length + topicalised[0].length)))
      // A possessive or a measure before it (我的简历需要微调吗) marks it as a noun, whatever jieba's tag says.
      slot = POSSESSED.test(question.slice(0, at)) ? 'marked' : 'adjacent';
  }
  for (const head of heads)
    for (let at = question.indexOf(head); at >= 0; at = question.indexOf(head, at + 1)) {
      const rest = question.slice(at + head.length);
      const determiner = CHINESE_DETERMINER.exec(rest)?.[0];
      if (determiner !== undefined && rest.startsWith(word, determiner.length)) return 'marked';
      // A word with a question word after it asks it as its own object (调料代表什么): it is the predicate, not an object.
      if (rest.startsWith(word) && !ASKED_AS_OBJECT.test(rest.slice(word.length))) slot = 'adjacent';
    }
  return slot;
}

const ASKED_AS_OBJECT = /^(?:什么|啥|谁|哪)/;
const POSSESSED = /(?:(?:我|你|他|她|我们|你们|自己)(?:家)?的|[我你他她]家|[这那一][只个台把条辆部件份位])$/;
const QUANTIFIED = /(?:多少|几)[个块只次轮步层张台位种份]?$/;
/** What stands between a topicalised object and the term acting on it: "汽车发动机怎么调教", "模特需要调教吗". */
const BEFORE_HOW_TO =
  /^(?:[\u3400-\u9fff]{0,3}?(?:要|该|应该)?(?:怎么|如何|怎样)(?:去|来)?|(?:也|还|都)?(?:需要|需不需要|要不要|要|该|应该|得|可以|能)(?:被)?)/;
const CHINESE_DETERMINER =
  /^(?:一[只个台把条辆部架件份位]|我的|你的|他的|她的|我家的?|家里的|自己的|[这那][只个台把条辆部件份位]|[我你他她]家的?)/;
/** The verb of a how-to question: "How do I coach…", "how can we tune…". */
const HOW_TO_ACTION = /\bhow\s+(?:do|can|should|would)\s+(?:i|we|you|one)\s+([a-z][\w-]*)/;
const HOW_MUCH_DOES = /\bhow\s+much\s+(?:does|do|did|will|would|should|can)\s+/;
/**
 * A determiner, at most one modifier and the object, then the end of the question or clause or a preposition opening
 * its complement ("tune my guitar?", "fine-tune my resume for a job").
 */
const ENGLISH_OBJECT =
  /^\s+(?:my|your|our|his|her|their|a|an|the|this|that|these|those|some)\s+(?:([\w-]+)\s+)?([\w-]+)(?=\s*(?:[?.!,;]|$)|\s+(?:to|for|with|in|on|at|so|and|or|from|into|by|like|through|about|during)\b)/;

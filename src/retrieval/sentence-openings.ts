/**
 * How a sentence opens, for the sentence ranking (sentence-ranking.ts): what topic it opens with (a question word, a
 * glossary term, the head of a compound topic, after list markup or a topic frame), and whether it opens with an anaphor
 * that carries the topic of the sentence before.
 */

/** A sentence's markup-free, lower-case openings: the original's and its aligned rendering's. */
export interface OpenedSentence {
  readonly opening: string;
  readonly renderingOpening?: string;
}

/**
 * A Chinese topic frame before the topic it introduces ("对于大模型来说,…", "关于微调,…", "至于调教而言"): the sentence
 * is about what the frame names, as if it opened with it.
 */
const TOPIC_FRAME = /^(?:对于|关于|至于)\s*/;

/** Markup-free, lower-case start of a sentence: "- **微调**:则是…" → "微调:则是…", "对于大模型来说,…" → "大模型来说,…". */
export function openingOf(text: string): string {
  return text
    .replace(/^\s*(?:[-*•]|\d+[.)])\s+/, '')
    .replace(/\*\*|["“”]/g, '')
    .replace(TOPIC_FRAME, '')
    .toLowerCase();
}

/**
 * The head word of a compound Chinese word (Chinese compounds are head-final): its longest proper suffix of two
 * characters or more that the tokenizer cuts as a word. 模型应用 → 应用, 预训练模型 → 模型, 微调 → undefined.
 */
export function compoundHeadOf(topic: string, tokenize: (text: string) => readonly string[]): string | undefined {
  return tokenize(topic)
    .filter((piece) => piece.length >= 2 && piece.length < topic.length && topic.endsWith(piece))
    .sort((left, right) => right.length - left.length)[0];
}

/**
 * The topic the sentence opens with, or with the head of a compound Chinese topic: Chinese compounds are head-final,
 * and a text that has named 模型应用 refers to it by its head word 应用 (the last word jieba finds in it). A topic is a
 * question word or a glossary term the question names.
 */
export function openingTopicOf(sentence: OpenedSentence, openings: readonly TopicOpening[]): TopicOpening | undefined {
  for (const opening of openings) {
    const { lower, chinese, head } = opening;
    if (!chinese) {
      if (sentence.renderingOpening?.startsWith(lower) === true) return opening;
    } else if (sentence.opening.startsWith(lower) || (head !== undefined && sentence.opening.startsWith(head))) return opening;
  }
  return undefined;
}

/**
 * A sentence whose subject is an anaphor pointing back ("这个过程涉及调整模型的参数" after "微调通常指的是…", "这可以包括…",
 * "This process involves…", "It…"): in both languages a demonstrative or a pronoun in subject position continues the
 * topic of the sentence before, so the sentence is about that topic as much as if it named it; a conjunction may come
 * first ("因为它强调了…", "but it…"). Read on the sentence's original (the English forms serve English originals).
 */
export const ANAPHORIC_OPENING =
  /^(?:(?:因为|所以|但|而|because|so|but|and),?\s*)?(?:这个|这种|这一|这些|这|该|此(?!外)|它们|它|this|these|that|it|they)(?![a-z])/;

/** A topic as `openingTopicOf` compares it: lower case, whether it is Chinese, its compound head word and its tokens. */
export interface TopicOpening {
  readonly lower: string;
  readonly chinese: boolean;
  readonly head: string | undefined;
  /** The topic's tokens, which a sentence carrying the topic on by an anaphor is credited with. */
  readonly tokens: ReadonlySet<string>;
}
export function topicOpenings(
  topics: readonly string[],
  headOf: (topic: string) => string | undefined,
  tokensOf: (topic: string) => ReadonlySet<string>,
): TopicOpening[] {
  return topics.map((topic) => {
    const lower = topic.toLowerCase();
    const chinese = /[\u3400-\u9fff]/.test(lower);
    return { lower, chinese, head: chinese ? headOf(lower) : undefined, tokens: tokensOf(lower) };
  });
}

/** Whether two token sets share a token. */
export function sharesToken(left: ReadonlySet<string>, right: ReadonlySet<string>): boolean {
  for (const token of left) if (right.has(token)) return true;
  return false;
}

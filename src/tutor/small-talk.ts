/**
 * The small-talk reader: whether a learner's message is only a social phrase (a greeting, thanks, an acknowledgement,
 * a goodbye) and, when it also holds a question, that question with the social part taken off.
 *
 * It is decided by the small set of social phrases below, in Chinese and English, never by what the article says: a
 * message is small talk when nothing but these phrases, punctuation, emoji and filler particles is left. A phrase counts
 * only at the start of the message (and, for a message of phrases only, anywhere in it: "好的，谢谢！"), so "谢谢！那调教
 * 呢？" is read as "那调教呢？" and "你好，微调是什么？" as "微调是什么？".
 *
 * An acknowledgement asked as a question ("ok?", "好吗？", "是吗？") is not small talk: after an answer it questions what
 * was said, and the answerer reads it as a follow-up. "为什么？" holds no social phrase at all.
 */

/** What kind of social phrase a message is. */
export type SmallTalkKind = 'greeting' | 'thanks' | 'acknowledgement' | 'goodbye';

/** Social phrases by kind; longer phrases are tried first, so "thank you very much" is one phrase, not "thank you" + rest. */
const PHRASES: Readonly<Record<SmallTalkKind, readonly string[]>> = {
  greeting: [
    '你好',
    '您好',
    '你们好',
    '大家好',
    '嗨',
    '哈喽',
    '哈啰',
    '早上好',
    '下午好',
    '晚上好',
    '早安',
    '你好吗',
    '在吗',
    '老师好',
    'hello',
    'hi there',
    'hi',
    'hey there',
    'hey',
    'hiya',
    'good morning',
    'good afternoon',
    'good evening',
    'greetings',
  ],
  thanks: [
    '谢谢你',
    '谢谢您',
    '谢谢老师',
    '谢谢',
    '多谢',
    '感谢',
    '非常感谢',
    '太感谢了',
    '辛苦了',
    'thank you very much',
    'thank you so much',
    'thank you',
    'thanks a lot',
    'thanks so much',
    'many thanks',
    'thanks',
    'thx',
    'ty',
    'cheers',
  ],
  acknowledgement: [
    '好的',
    '好了',
    '好滴',
    '好',
    '嗯嗯',
    '嗯',
    '哦哦',
    '哦',
    '噢',
    '明白了',
    '明白',
    '懂了',
    '知道了',
    '了解了',
    '了解',
    '收到',
    '原来如此',
    '可以',
    '行',
    '不错',
    '很好',
    '太好了',
    'ok',
    'okay',
    'okey',
    'k',
    'got it',
    'i see',
    'understood',
    'alright',
    'all right',
    'cool',
    'great',
    'nice',
    'sure',
    'makes sense',
    'that makes sense',
    'perfect',
    'awesome',
  ],
  goodbye: ['再见', '晚安', '拜拜', '回头见', '下次见', 'bye', 'goodbye', 'bye bye', 'see you', 'see you later', 'see ya'],
};

/** Filler between and around phrases: spaces, punctuation, emoji (with their joiners) and symbols, particles 啊/呀/啦/哈... */
const FILLER = /^(?:[\s\p{P}\p{S}\p{Extended_Pictographic}]|\u200d|\ufe0f|[啊呀啦哈嘿吧呢哇噢])+/u;

/** Every phrase with its kind, longest first. */
const ORDERED: readonly { readonly phrase: string; readonly kind: SmallTalkKind }[] = Object.entries(PHRASES)
  .flatMap(([kind, phrases]) => phrases.map((phrase) => ({ phrase, kind: kind as SmallTalkKind })))
  .sort((left, right) => right.phrase.length - left.phrase.length);

/** A question mark anywhere: an acknowledgement asked as a question is not one. */
const ASKED = /[?？]/;

/** What the reader made of a message. */
export interface SmallTalkReading {
  /** The kinds of social phrase the message opens with (or consists of), in order; empty when none. */
  readonly kinds: readonly SmallTalkKind[];
  /** The message with its opening social phrases and filler taken off; '' when nothing else is left. */
  readonly rest: string;
}

/**
 * The phrase at the start of a lower-cased text, standing on its own: followed by filler, the end, or another phrase.
 * So 好 is no acknowledgement in "好处是什么", 可以 none in "可以举个例子吗", and "hi" does not open "hierarchy".
 */
function phraseAt(text: string): { readonly phrase: string; readonly kind: SmallTalkKind } | undefined {
  return ORDERED.find(({ phrase }) => {
    if (!text.startsWith(phrase)) return false;
    const next = text.slice(phrase.length);
    return next === '' || FILLER.test(next) || ORDERED.some((other) => next.startsWith(other.phrase));
  });
}

/** Reads the social phrases a message opens with; see the module comment for the contract. */
export function readSmallTalk(message: string): SmallTalkReading {
  const kinds: SmallTalkKind[] = [];
  let rest = message;
  for (;;) {
    const lead = FILLER.exec(rest)?.[0] ?? '';
    const after = rest.slice(lead.length);
    const found = phraseAt(after.toLowerCase());
    if (!found) {
      rest = kinds.length === 0 ? message.trim() : after.trim();
      break;
    }
    kinds.push(found.kind);
    rest = after.slice(found.phrase.length);
  }
  // Only filler left (punctuation, emoji, particles): the message was social phrases alone.
  if (kinds.length > 0 && (FILLER.exec(rest)?.[0].length ?? 0) === rest.length) rest = '';
  return { kinds, rest };
}

/**
 * Whether a message is small talk and nothing else: social phrases only, none of them an acknowledgement asked as a
 * question ("ok?").
 */
export function isSmallTalk(message: string): boolean {
  const { kinds, rest } = readSmallTalk(message);
  if (kinds.length === 0 || rest !== '') return false;
  return !(kinds.every((kind) => kind === 'acknowledgement') && ASKED.test(message));
}

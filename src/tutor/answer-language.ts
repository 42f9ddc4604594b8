import type { Language } from '../ingest/chunk-types.js';
import type { ConversationTurn } from './tutor-types.js';

/** Latin letters a message may have and still say nothing of its language ("ok", "k"): Chinese learners type them too. */
const MAX_SIGNAL_FREE_LETTERS = 2;
/** CJK characters a message may have and still say nothing of its language: an interjection ("嗯", "哦") is typed in either. */
const MAX_SIGNAL_FREE_CJK = 1;

/**
 * Whether a message says which language the learner is writing in. Digits, punctuation, symbols, emoji and spaces
 * say nothing ("?", "123", "👍"); neither does an interjection of one Chinese character ("嗯") or of at most two Latin
 * letters ("ok"), which learners of either language type alike. Anything longer, or both scripts, is a signal.
 */
export function hasLanguageSignal(message: string): boolean {
  const letters = message.match(/\p{Script=Latin}/gu)?.length ?? 0;
  const cjk = message.match(/\p{Script=Han}/gu)?.length ?? 0;
  if (letters > 0 && cjk > 0) return true;
  return letters > MAX_SIGNAL_FREE_LETTERS || cjk > MAX_SIGNAL_FREE_CJK;
}

/**
 * The language to answer a message in: the one asked for, else the message's own (`detect`) when it has a language
 * signal, else the conversation's: the language of the latest earlier turn. A bare "ok", "?" or "嗯" in a Chinese
 * conversation is answered in Chinese, in an English one in English; a first message without a signal is detected as
 * it is.
 */
export function answerLanguage(
  message: string,
  history: readonly Pick<ConversationTurn, 'language'>[],
  detect: (text: string) => Language,
  requested?: Language,
): Language {
  if (requested !== undefined) return requested;
  const previous = history[history.length - 1]?.language;
  return previous !== undefined && !hasLanguageSignal(message) ? previous : detect(message);
}

import type { Citation } from '../tutor/tutor-types.js';
import type { CorpusSentence } from './corpus-sentences.js';

/** How an answer was found to hold a required sentence. */
export type HeldBy = 'original' | 'rendering' | 'span';

/** Form both sides of a substring test share: NFKC (full-width to half-width), no Markdown bold, no `[n]` markers, one space. */
export function normalizeForMatch(text: string): string {
  return text
    .normalize('NFKC')
    .replace(/\*\*/g, '')
    .replace(/\s*\[\d+\]/g, '')
    .replace(/\s+/g, ' ')
    .trim()
    .toLowerCase();
}

/**
 * The part of a rendered sentence an answer is expected to quote: without a list marker, a short bold or colon label
 * ("Application: ...") and the final punctuation, which answer frames often drop.
 */
export function sentenceCore(text: string): string {
  let core = normalizeForMatch(text).replace(/^(?:[-*+•]|\d+[.)])\s+/, '');
  const label = /^[^:：]{1,30}[:：]\s*/.exec(core);
  if (label && core.length - label[0].length >= 12) core = core.slice(label[0].length);
  return core.replace(/[\s.。!！?？;；,，]+$/, '');
}

/**
 * Whether an answer holds a required sentence: its text contains the phrase of the original, or the sentence's English
 * rendering, or one of its citations names a span overlapping the sentence (an answer in its own words that cites it).
 */
export function findHeldSentence(
  answerText: string,
  citations: readonly Citation[],
  phrase: string,
  sentences: readonly CorpusSentence[],
  documentOf: (chunkId: string) => string | undefined,
): HeldBy | undefined {
  const answer = normalizeForMatch(answerText);
  if (answer.includes(normalizeForMatch(phrase))) return 'original';
  for (const sentence of sentences) {
    if (sentence.rendering !== undefined) {
      const core = sentenceCore(sentence.rendering);
      if (core.length > 0 && answer.includes(core)) return 'rendering';
    }
  }
  for (const citation of citations) {
    const documentId = documentOf(citation.chunkId);
    for (const span of citation.spans ?? [])
      if (sentences.some((sentence) => sentence.documentId === documentId && overlaps(span, sentence))) return 'span';
  }
  return undefined;
}

export function overlaps(a: { start: number; end: number }, b: { start: number; end: number }): boolean {
  return a.start < b.end && b.start < a.end;
}

const CJK = /[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u3000-\u303f\uff00-\uffef]/u;
const CJK_IDEOGRAPH = /[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]/u;
const LATIN_LETTER = /[A-Za-z]/;
/** A run of the original at least this long counts as a quote; shorter CJK (a glossed term "微调") is the answer's prose. */
const MIN_QUOTE_LENGTH = 8;

export interface ProseLanguage {
  readonly latinLetters: number;
  readonly cjkCharacters: number;
  /** Latin letters outnumber CJK characters outside quotes of the original. */
  readonly english: boolean;
}

/**
 * Counts the letters of the answer's own prose: every run of at least MIN_QUOTE_LENGTH characters that occurs in the
 * original corpus text (a quote, wherever it stands) is left out, the rest is counted.
 */
export function measureProseLanguage(answerText: string, originalTexts: readonly string[]): ProseLanguage {
  const answer = normalizeForMatch(answerText);
  const haystack = originalTexts.map(normalizeForMatch).join('\n');
  let latinLetters = 0;
  let cjkCharacters = 0;
  let index = 0;
  while (index < answer.length) {
    const character = answer[index] as string;
    if (CJK.test(character)) {
      let length = 0;
      while (index + length < answer.length && haystack.includes(answer.slice(index, index + length + 1))) length += 1;
      if (length >= MIN_QUOTE_LENGTH) {
        index += length;
        continue;
      }
    }
    if (LATIN_LETTER.test(character)) latinLetters += 1;
    else if (CJK_IDEOGRAPH.test(character)) cjkCharacters += 1;
    index += 1;
  }
  return { latinLetters, cjkCharacters, english: latinLetters > cjkCharacters };
}

/** A sentence as a half-open character range of the text it was found in. */
export interface SentenceSpan {
  readonly start: number;
  readonly end: number;
}

/** Closing quotes and brackets that belong to the sentence they end. */
const TRAILING_CLOSERS = new Set(['"', '”', '’', "'", '）', ')', '」', '』', '】', '》']);
const CHINESE_TERMINATORS = new Set(['。', '！', '？', '；', '…']);
const ENGLISH_TERMINATORS = new Set(['.', '!', '?', ';']);

/**
 * Splits text into sentences, knowing Chinese ends (。！？；…) as well as English ones (. ! ? ; followed by a space
 * or the end), and treating a line break as a sentence end. Decimal points and abbreviations without a following
 * space ("3.5", "e.g.x") do not split, nor does the number that opens a numbered list item ("2. **复用价值**:…"). Whitespace around sentences is excluded from the spans.
 */
export function splitSentences(text: string, baseOffset = 0): SentenceSpan[] {
  const spans: SentenceSpan[] = [];
  let sentenceStart = 0;
  const push = (end: number): void => {
    let start = sentenceStart;
    let stop = end;
    while (start < stop && /\s/.test(text[start] as string)) start += 1;
    while (stop > start && /\s/.test(text[stop - 1] as string)) stop -= 1;
    if (stop > start && /[\p{L}\p{N}]/u.test(text.slice(start, stop))) spans.push({ start: start + baseOffset, end: stop + baseOffset });
    sentenceStart = end;
  };
  for (let index = 0; index < text.length; index += 1) {
    const character = text[index] as string;
    if (character === '\n') {
      push(index);
      continue;
    }
    const isChineseEnd = CHINESE_TERMINATORS.has(character);
    const next = text[index + 1];
    const isEnglishEnd = ENGLISH_TERMINATORS.has(character) && (next === undefined || next === ' ' || next === '\n' || next === '\t');
    if (!isChineseEnd && !isEnglishEnd) continue;
    // "2." opening a line is the marker of a numbered list item, not a sentence of its own.
    if (character === '.' && next !== '\n' && /^[ \t]*\d{1,3}$/.test(text.slice(text.lastIndexOf('\n', index - 1) + 1, index))) continue;
    let end = index + 1;
    while (end < text.length && (CHINESE_TERMINATORS.has(text[end] as string) || TRAILING_CLOSERS.has(text[end] as string))) end += 1;
    push(end);
    index = end - 1;
  }
  push(text.length);
  return spans;
}

/**
 * The one token estimate of the tree (prompt budgets, model budgets, LangChain's `getNumTokens`): about one token per
 * CJK character and one per four other characters. Close enough for budgets on the tokenizers of the models people
 * run here (cl100k/o200k, Qwen, DeepSeek), and computed offline: no tokenizer table is ever downloaded.
 */
import type { MessageContent } from '@langchain/core/messages';

/**
 * Estimated tokens of a text. CJK and full-width characters are U+3000-U+9FFF, U+F900-U+FAFF and U+FF00-U+FFEF; every
 * other code point (a surrogate pair is one) counts a quarter. By char codes, not a regular expression per character:
 * this runs on every prompt and every streamed piece, before the first word.
 */
export function estimateTextTokens(text: string): number {
  let cjk = 0;
  let other = 0;
  for (let index = 0; index < text.length; index += 1) {
    const code = text.charCodeAt(index);
    if ((code >= 0x3000 && code <= 0x9fff) || (code >= 0xf900 && code <= 0xfaff) || (code >= 0xff00 && code <= 0xffef)) {
      cjk += 1;
      continue;
    }
    other += 1;
    if (code >= 0xd800 && code <= 0xdbff && index + 1 < text.length) {
      const next = text.charCodeAt(index + 1);
      if (next >= 0xdc00 && next <= 0xdfff) index += 1;
    }
  }
  return cjk + Math.ceil(other / 4);
}

/** The text parts of a LangChain message content, joined (images and tool blocks count as nothing). */
export function textOfContent(content: MessageContent): string {
  if (typeof content === 'string') return content;
  return content
    .map((part) =>
      typeof part === 'string' ? part : part.type === 'text' && 'text' in part && typeof part.text === 'string' ? part.text : '',
    )
    .join('');
}

/** Estimated tokens of a LangChain message content. */
export function estimateTokenCount(content: MessageContent): number {
  return estimateTextTokens(textOfContent(content));
}

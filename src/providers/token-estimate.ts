/**
 * The one token estimate of the tree (prompt budgets, model budgets, LangChain's `getNumTokens`): about one token per
 * CJK character and one per four other characters. Close enough for budgets on the tokenizers of the models people
 * run here (cl100k/o200k, Qwen, DeepSeek), and computed offline: no tokenizer table is ever downloaded.
 */
import type { MessageContent } from '@langchain/core/messages';

const CJK_OR_FULLWIDTH = /[\u3000-\u9fff\uf900-\ufaff\uff00-\uffef]/u;

/** Estimated tokens of a text. */
export function estimateTextTokens(text: string): number {
  let cjk = 0;
  let other = 0;
  for (const character of text) {
    if (CJK_OR_FULLWIDTH.test(character)) cjk += 1;
    else other += 1;
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

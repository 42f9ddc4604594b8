/**
 * The prompt budget of one answer: estimates of what every part of a prompt costs, and the passages that fit. The cap
 * (LLM_MAX_PROMPT_TOKENS) bounds every model call; passages that do not fit are left out (never numbered, so never
 * citable), then the oldest turns; a question that cannot fit even alone fails with `prompt-too-large` before any call.
 */
import { AIMessage, type BaseMessage } from '@langchain/core/messages';
import type { ChunkRecord } from '../../ingest/chunk-types.js';
import { textOfContent } from '../../providers/token-estimate.js';
import { formatPassages } from './passage-format.js';

/** Per-message framing (role, separators) in the token estimate of a prompt. */
export const MESSAGE_OVERHEAD_TOKENS = 4;
/** Per tool call in an assistant message (id, type), beyond its name and arguments. */
export const TOOL_CALL_OVERHEAD_TOKENS = 12;
/**
 * Room kept free in every prompt for what is added between two model calls besides passages: the model's tool-call
 * message and short tool replies (limit reached, no match).
 */
export const PROMPT_RESERVE_TOKENS = 160;

export type TokenEstimate = (text: string) => number;

/** Estimated prompt tokens of one message: its text, its tool calls and the framing. */
export function messageTokens(message: BaseMessage, tokens: TokenEstimate): number {
  const calls = AIMessage.isInstance(message) ? (message.tool_calls ?? []) : [];
  return (
    MESSAGE_OVERHEAD_TOKENS +
    tokens(textOfContent(message.content)) +
    calls.reduce((sum, call) => sum + TOOL_CALL_OVERHEAD_TOKENS + tokens(`${call.name}${JSON.stringify(call.args)}`), 0)
  );
}

/** The passages that fit in `available` tokens, best first, with the cost of showing them under this query. */
export function fitPassages(
  chunks: readonly ChunkRecord[],
  query: string,
  available: number,
  tokens: TokenEstimate,
): { chunks: ChunkRecord[]; tokens: number } {
  const empty = tokens(formatPassages(query, []));
  let used = empty;
  if (used > available) return { chunks: [], tokens: 0 };
  const kept: ChunkRecord[] = [];
  for (const chunk of chunks) {
    // Priced with a two-digit marker, the widest an answer's markers get.
    const cost = tokens(formatPassages(query, [{ marker: 99, chunk }])) - empty + tokens('\n');
    if (used + cost > available) continue;
    used += cost;
    kept.push(chunk);
  }
  return { chunks: kept, tokens: used };
}

/** The longest prefix of `text` whose estimate is within `budget` tokens. */
export function truncateToTokens(text: string, budget: number, tokens: TokenEstimate): string {
  const characters = Array.from(text);
  let low = 0;
  let high = characters.length;
  while (low < high) {
    const middle = Math.ceil((low + high) / 2);
    if (tokens(characters.slice(0, middle).join('')) <= budget) low = middle;
    else high = middle - 1;
  }
  return characters.slice(0, low).join('');
}

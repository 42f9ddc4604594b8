/**
 * The seam between the answer pipeline (llm-tutor-answerer.ts: search, numbering, budgets, reasoning filter, leak
 * check, citation guard, deadline) and the two ways of asking the model: the agent with the `search_article` tool
 * (agent-strategy.ts) and retrieve-then-generate without tools (retrieve-then-generate-strategy.ts).
 */
import type { BaseMessage } from '@langchain/core/messages';
import type { ChunkRecord } from '../../ingest/chunk-types.js';
import type { PassageNumbering } from './passage-format.js';
import type { TokenEstimate } from './prompt-budget.js';
import type { PromptTools } from './system-prompt.js';

export type AnswerStrategyName = 'agent' | 'retrieve-then-generate';

/** What one answer gives the strategy: the prompt parts, already within the prompt budget, and the numbering. */
export interface StrategyRequest {
  readonly systemPrompt: string;
  /** Earlier turns kept within the budget, as chat messages. */
  readonly history: readonly BaseMessage[];
  /** The learner's turn: the question as data and the numbered passages of the first search. */
  readonly firstTurn: string;
  /** Passages of this answer; a strategy that searches adds to it. */
  readonly numbering: PassageNumbering;
  readonly signal: AbortSignal;
  /** Estimated prompt tokens of the first call (system prompt, tool definition, history, first turn). */
  readonly firstPromptTokens: number;
  readonly maxPromptTokens: number;
  readonly tokens: TokenEstimate;
  /** Search the article (the agent's tool), with the pipeline's `k`. */
  readonly search: (query: string) => Promise<{ readonly covered: boolean; readonly chunks: readonly ChunkRecord[] }>;
}

/** What the model produced, piece by piece, in order. */
export type ModelPiece =
  /** Answer text (may hold `<think>` blocks: the pipeline filters them). `turn` changes with each model call. */
  | { readonly kind: 'text'; readonly text: string; readonly turn: unknown }
  /** Tool-call arguments the model generated (they count against the completion budget). */
  | { readonly kind: 'tool-arguments'; readonly text: string }
  /** Reasoning sent apart from the text (`reasoning_content`): never shown, never counted as answer. */
  | { readonly kind: 'reasoning'; readonly text: string }
  /** Why the model's last call stopped (`stop`, `length`, `tool_calls`...). */
  | { readonly kind: 'finish'; readonly reason: string };

export interface AnswerStrategy {
  readonly name: AnswerStrategyName;
  /** What the system prompt tells the model about searching. */
  readonly promptTools: PromptTools;
  /** Prompt tokens every call carries beyond the messages (the tool definition). */
  readonly fixedPromptTokens: number;
  /** Streams the model's output for one answer. Errors are the model's (classified by the pipeline). */
  run(request: StrategyRequest): AsyncIterable<ModelPiece>;
}

import type { Language } from '../ingest/chunk-types.js';
import type { CitationTranslation, QueryCorrection, TextSpan } from '../shared/chat-protocol.js';

export type { Language };

/**
 * How an answer was produced.
 * - `offline`: composed from corpus sentences by the extractive answerer (no model).
 * - `llm`: written by the configured chat model from retrieved passages.
 * - `offline-fallback`: the model failed (after one retry) and the offline answerer stood in.
 * - `small-talk`: the message was only a greeting, thanks, acknowledgement or goodbye; a generic reply, no citations,
 *   in every mode without a model (src/tutor/small-talk-answerer.ts).
 */
export type AnswerMode = 'offline' | 'llm' | 'offline-fallback' | 'small-talk';

/** A passage an answer refers to with the marker `[marker]`. */
export interface Citation {
  readonly marker: number;
  readonly chunkId: string;
  /** Title of the document that holds the passage. */
  readonly title: string;
  /** The document's source (front matter), e.g. the URL it was taken from. */
  readonly source: string;
  /** The passage text, exactly `content.slice(start, end)` of its document. */
  readonly text: string;
  readonly start: number;
  readonly end: number;
  /** The sentences of the passage the answer used (offsets in the document, inside [start, end)). */
  readonly spans?: readonly TextSpan[];
  /** The aligned rendering of the passage in the other language, when the corpus has one. */
  readonly translation?: CitationTranslation;
}

/**
 * The one result type of every answer path (CLI, REST, socket.io, widget).
 * Invariants: every `[n]` in `answer` has a citation with marker n, and every citation is referred to;
 * `grounded === false` implies `citations.length === 0`.
 */
export interface TutorAnswer {
  readonly answer: string;
  readonly citations: readonly Citation[];
  /** Suggested next questions, in the learner's language, each answerable from the corpus. */
  readonly followUps: readonly string[];
  /** False when the corpus does not cover the question, and for small talk (`mode: 'small-talk'`), which asks nothing. */
  readonly grounded: boolean;
  /** The standalone query actually searched (follow-ups are rewritten with the earlier turns). */
  readonly searchedFor: string;
  readonly mode: AnswerMode;
  /** Language of the question, and so of the answer's frame. */
  readonly language: Language;
  /** Words of the question read as corpus terms before searching (pinyin typos...); absent when none. */
  readonly corrections?: readonly QueryCorrection[];
  /** Short notice for the learner, e.g. why the fallback answered. */
  readonly notice?: string;
}

/** One exchange of a conversation as the tutor needs it to resolve follow-ups. */
export interface ConversationTurn {
  readonly question: string;
  /** The standalone query that was searched for this turn. */
  readonly searchedFor: string;
  readonly answer: string;
  /** Chunk ids cited by the answer; used to prefer not-yet-covered passages in suggestions. */
  readonly citedChunkIds: readonly string[];
  readonly language: Language;
  /**
   * False when the answer was a refusal (the article does not cover the question): such a turn names nothing a later
   * follow-up can point back at. @default true (an answered turn)
   */
  readonly grounded?: boolean;
  /** The follow-up questions suggested under this turn's answer; the next answer suggests others. */
  readonly followUps?: readonly string[];
}

/**
 * Another way to explain: `simpler` (the shortest, most summary-like sentences), `analogy` (from the article's analogy,
 * the cooking example).
 */
export type ExplanationStyle = 'simpler' | 'analogy';

export interface TutorQuestion {
  readonly question: string;
  /** Explain in this style rather than plainly. */
  readonly style?: ExplanationStyle;
  /** Answer in this language instead of the question's ("in English / 用中文"). */
  readonly language?: Language;
  /** Earlier turns of the conversation, oldest first. @default [] */
  readonly history?: readonly ConversationTurn[];
  /** Aborts the answer (timeouts, client gone). */
  readonly signal?: AbortSignal;
  /** Called with each piece of answer text as it is produced, in order; the pieces concatenate to the answer. */
  readonly onDelta?: (text: string) => void;
  /** Called when text already passed to `onDelta` is void (a failed model attempt); the caller clears it. */
  readonly onReset?: () => void;
}

/** Anything that answers questions about the corpus: the offline answerer, the LLM agent, or the fallback around it. */
export interface TutorAnswerer {
  answer(input: TutorQuestion): Promise<TutorAnswer>;
}

/**
 * The wire contract shared by the server and the widget: REST payloads and typed socket.io events.
 * Types only, so the widget bundle pays nothing for importing it.
 */

export type AnswerMode = 'offline' | 'llm' | 'offline-fallback';

export interface CitationPayload {
  marker: number;
  chunkId: string;
  title: string;
  source: string;
  text: string;
  start: number;
  end: number;
}

/** Body of a 200 from `POST /api/chat`, and of the SSE `done` event. */
export interface ChatResponse {
  conversationId: string;
  answer: string;
  citations: CitationPayload[];
  followUps: string[];
  grounded: boolean;
  searchedFor: string;
  mode: AnswerMode;
  /** Short notice for the learner (e.g. the model was unavailable); absent when there is none. */
  notice?: string;
}

export interface ChatRequest {
  message: string;
  conversationId?: string;
}

export interface ErrorBody {
  code: string;
  message: string;
}

export interface ErrorResponse {
  error: ErrorBody;
}

export type AskAck = { conversationId: string; messageId: string } | { error: ErrorBody };

export interface ClientToServerEvents {
  ask: (request: ChatRequest, ack: (result: AskAck) => void) => void;
}

export interface ServerToClientEvents {
  'answer:delta': (event: { messageId: string; text: string }) => void;
  /**
   * The text streamed so far for this message is void (the model failed mid-answer and the offline fallback takes
   * over): clear it; new deltas follow.
   */
  'answer:reset': (event: { messageId: string }) => void;
  'answer:done': (event: ChatResponse & { messageId: string }) => void;
  'answer:error': (event: { messageId: string } & ErrorBody) => void;
}

export interface HealthResponse {
  status: 'ok' | 'starting';
  chunks: number;
  embeddings: string;
  llm: string;
}

export interface PassageResponse {
  chunkId: string;
  title: string;
  source: string;
  text: string;
  start: number;
  end: number;
  headingPath: string[];
  /** Text of the document just before and after the passage, for context. */
  before: string;
  after: string;
}

export interface ConversationTurnPayload {
  messageId: string;
  question: string;
  response: Omit<ChatResponse, 'conversationId'>;
  createdAt: string;
}

export interface ConversationResponse {
  conversationId: string;
  turns: ConversationTurnPayload[];
}

/**
 * The wire contract shared by the server and the widget: REST payloads and typed socket.io events.
 * Types only, so the widget bundle pays nothing for importing it.
 */

export type AnswerMode = 'offline' | 'llm' | 'offline-fallback' | 'small-talk';

/** Language of a document, a question or an answer. */
export type LanguageCode = 'zh' | 'en';

/** A range of a document's text: `content.slice(start, end)`, offsets in the original document. */
export interface TextSpan {
  start: number;
  end: number;
}

/** The aligned rendering of a cited passage in the other language (corpus/<name>.en.md beside the original). */
export interface CitationTranslation {
  language: LanguageCode;
  /** The title of the document's rendering (its English title), when it has one. */
  title?: string;
  /** The rendering of the whole passage. */
  text: string;
  /** The rendering of each cited sentence, in the order of `spans`, when the sentences are aligned one to one. */
  sentences?: string[];
}

export interface CitationPayload {
  marker: number;
  chunkId: string;
  title: string;
  source: string;
  /** The passage, exactly `content.slice(start, end)` of its (original-language) document. */
  text: string;
  start: number;
  end: number;
  /** The sentences of the passage the answer used, inside [start, end); the widget highlights these. */
  spans?: TextSpan[];
  /** The passage in the other language, when the corpus has an aligned rendering of it. */
  translation?: CitationTranslation;
}

/** A word of the question the tutor read as another before searching (a pinyin typo, a stray character). */
export interface QueryCorrection {
  /** As the learner typed it. */
  from: string;
  /** The corpus term it was read as. */
  to: string;
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
  /** Language the answer is written in (its frame and, where a rendering exists, its quoted sentences). */
  language?: LanguageCode;
  /** Words of the question that were corrected before searching; the widget shows "did you mean …". */
  corrections?: QueryCorrection[];
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
  /** A question (`message`) or a request to explain an earlier answer again (`explain`, with its conversationId). */
  ask: (request: ChatOrExplainRequest, ack: (result: AskAck) => void) => void;
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
  /** Every sentence of the passage (document offsets, inside [start, end)), so a client can highlight `citation.spans`. */
  sentences: TextSpan[];
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

/** Re-explain an earlier answer: in another style and/or the other language. Sent instead of `message`. */
export interface ExplainRequest {
  /** The answer to explain again (a messageId of this conversation). */
  messageId: string;
  /** `simpler`: the shortest, summary-like sentences; `analogy`: from the article's cooking analogy. */
  style?: 'simpler' | 'analogy';
  /** Answer in this language ("in English / 用中文"). */
  language?: LanguageCode;
}

/** `POST /api/chat` and socket `ask` accept either a message or an explain request (with a conversationId). */
export interface ChatOrExplainRequest {
  message?: string;
  conversationId?: string;
  explain?: ExplainRequest;
}

/** `GET /api/conversations/:conversationId/progress?language=zh|en` */
export interface ProgressResponse {
  conversationId: string;
  concepts: { id: string; label: string; gloss: string; covered: boolean }[];
  covered: number;
  total: number;
  /** The next concept to learn, with a question about it the article answers. */
  next?: { id: string; label: string; gloss: string; question: string };
}

/** `GET /api/starters?language=zh|en`: questions to start an empty chat with, each checked answerable. */
export interface StartersResponse {
  language: 'zh' | 'en';
  starters: { conceptId: string; question: string }[];
}

/** `POST /api/quiz` body. */
export interface QuizRequest {
  conversationId: string;
  language?: LanguageCode;
  kind?: 'choice' | 'fill';
}

/** `POST /api/quiz` 200. */
export interface QuizQuestionResponse {
  quizId: string;
  kind: 'choice' | 'fill';
  language: LanguageCode;
  prompt: string;
  /** The article's sentence with the key term blanked as ＿＿＿＿. */
  sentence: string;
  options?: string[];
  chunkId: string;
}

/** `POST /api/quiz/:quizId/answer` body and 200. */
export interface QuizAnswerRequest {
  conversationId: string;
  answer: string;
}

export interface QuizGradeResponse {
  quizId: string;
  verdict: 'right' | 'partial' | 'wrong';
  /** Markdown with a [1] marker citing the passage that holds the answer. */
  explanation: string;
  correctAnswer: string;
  citations: CitationPayload[];
}

/** `POST /api/feedback` body; 201 `{feedbackId, replaced: false}`, or 200 `{feedbackId, replaced: true}` when it replaced the earlier vote on that answer. */
export interface FeedbackRequest {
  conversationId: string;
  messageId: string;
  rating: 'up' | 'down';
  reason?: string;
  /** A passage cited by that answer, when the feedback is about it. */
  chunkId?: string;
}

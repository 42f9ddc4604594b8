/**
 * Every failure the tutor reports on purpose carries one of these codes. The server maps codes to HTTP statuses and
 * client messages in one place (src/server/error-mapping.ts); everything else is an internal error.
 */
export type TutorErrorCode =
  | 'CONFIG_INVALID'
  | 'CORPUS_EMPTY'
  | 'CORPUS_UNREADABLE'
  | 'INDEX_MISSING'
  | 'INDEX_CORRUPT'
  | 'INDEX_BUSY'
  | 'EMBEDDINGS_FAILED'
  | 'INVALID_REQUEST'
  | 'MESSAGE_TOO_LONG'
  | 'PAYLOAD_TOO_LARGE'
  | 'CONVERSATION_NOT_FOUND'
  | 'PASSAGE_NOT_FOUND'
  | 'CONVERSATION_BUSY'
  | 'RATE_LIMITED'
  | 'BUDGET_EXCEEDED'
  | 'NOT_READY'
  | 'ANSWER_TIMEOUT'
  | 'CLIENT_DISCONNECTED'
  | 'MODEL_FAILED'
  | 'ORIGIN_NOT_ALLOWED'
  | 'STORE_UNAVAILABLE';

export interface TutorErrorOptions {
  readonly cause?: unknown;
  /** Extra facts for logs and clients (never secrets), e.g. `{ retryAfterSeconds: 3 }`. */
  readonly details?: Readonly<Record<string, unknown>>;
}

export class TutorError extends Error {
  readonly code: TutorErrorCode;
  readonly details: Readonly<Record<string, unknown>>;

  constructor(code: TutorErrorCode, message: string, options: TutorErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'TutorError';
    this.code = code;
    this.details = options.details ?? {};
  }
}

export function isTutorError(error: unknown, code?: TutorErrorCode): error is TutorError {
  return error instanceof TutorError && (code === undefined || error.code === code);
}

import { isTutorError, type TutorErrorCode } from '../errors/tutor-error.js';
import type { ErrorBody } from '../shared/chat-protocol.js';

export interface ClientError {
  readonly status: number;
  readonly body: ErrorBody;
  /** Seconds the client should wait before retrying, when known. */
  readonly retryAfterSeconds?: number;
}

/** How one error code reaches a client. */
interface ClientMapping {
  readonly status: number;
  /**
   * `own`: the error's message was written for the client (e.g. "at most 2000 characters") and is sent as it is.
   * A string or function: a fixed message; the error's own message and details go to the log only.
   */
  readonly message: 'own' | string | ((details: Readonly<Record<string, unknown>>) => string);
  /**
   * How loudly a failure sent to a client is logged: the client's own faults and refusals the server means to give at
   * info; a timeout, a failed model or an unavailable store at warn (each also has a log line where it happens);
   * anything unexpected at error.
   */
  readonly log: 'info' | 'warn' | 'error';
}

const INTERNAL_MESSAGE = 'Something went wrong on our side. Please try again.';
const internal: ClientMapping = { status: 500, message: INTERNAL_MESSAGE, log: 'error' };

/**
 * The one table where failures become what a client sees. It is exhaustive over `TutorErrorCode`: a new code does not
 * compile until it says its status, its message and its log level here.
 */
const CLIENT_ERRORS: Readonly<Record<TutorErrorCode, ClientMapping>> = {
  INVALID_REQUEST: { status: 400, message: 'own', log: 'info' },
  MESSAGE_TOO_LONG: { status: 413, message: 'own', log: 'info' },
  PAYLOAD_TOO_LARGE: { status: 413, message: 'own', log: 'info' },
  ORIGIN_NOT_ALLOWED: { status: 403, message: 'own', log: 'info' },
  CONVERSATION_NOT_FOUND: { status: 404, message: 'own', log: 'info' },
  PASSAGE_NOT_FOUND: { status: 404, message: 'own', log: 'info' },
  CONVERSATION_BUSY: { status: 409, message: 'own', log: 'info' },
  RATE_LIMITED: { status: 429, message: 'own', log: 'info' },
  BUDGET_EXCEEDED: { status: 429, message: 'own', log: 'info' },
  MODEL_FAILED: { status: 502, message: 'The language model failed to answer. Please try again.', log: 'warn' },
  NOT_READY: {
    status: 503,
    message: (details) =>
      details.shuttingDown === true
        ? 'The tutor is restarting. Try again in a few seconds.'
        : 'The tutor is still starting (building its index). Try again in a few seconds.',
    log: 'info',
  },
  STORE_UNAVAILABLE: { status: 503, message: 'Conversations are temporarily unavailable. Try again in a moment.', log: 'warn' },
  ANSWER_TIMEOUT: { status: 504, message: 'The answer took too long and was stopped. Please try again.', log: 'warn' },
  // The client left mid-answer (closed the tab, lost the network): nobody waits for the answer, nothing failed. 499 is
  // nginx's "client closed request"; the status is never seen by the client that left.
  CLIENT_DISCONNECTED: { status: 499, message: 'The connection closed before the answer was complete.', log: 'info' },
  // Failures of the tutor itself: never the client's doing, never explained to it.
  CONFIG_INVALID: internal,
  CORPUS_EMPTY: internal,
  CORPUS_UNREADABLE: internal,
  INDEX_MISSING: internal,
  INDEX_CORRUPT: internal,
  INDEX_BUSY: internal,
  EMBEDDINGS_FAILED: internal,
};

export function toClientError(error: unknown): ClientError {
  if (!isTutorError(error)) return { status: 500, body: { code: 'INTERNAL', message: INTERNAL_MESSAGE } };
  const mapping = CLIENT_ERRORS[error.code];
  if (mapping.status === 500) return { status: 500, body: { code: 'INTERNAL', message: INTERNAL_MESSAGE } };
  const message =
    mapping.message === 'own' ? error.message : typeof mapping.message === 'function' ? mapping.message(error.details) : mapping.message;
  const retryAfter = error.details.retryAfterSeconds;
  return {
    status: mapping.status,
    body: { code: error.code, message },
    ...(typeof retryAfter === 'number' ? { retryAfterSeconds: retryAfter } : {}),
  };
}

/** Whether the failure is the client's (logged at info) rather than ours (logged at error with its cause). */
export function isClientFault(status: number): boolean {
  return status < 500;
}

/** How loudly to log a failure sent to a client (see {@link ClientMapping.log}). */
export function logLevelFor(client: ClientError): 'info' | 'warn' | 'error' {
  const code = client.body.code;
  return code in CLIENT_ERRORS ? CLIENT_ERRORS[code as TutorErrorCode].log : 'error';
}

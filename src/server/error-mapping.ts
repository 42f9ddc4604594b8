import { isTutorError, type TutorErrorCode } from '../errors/tutor-error.js';
import type { ErrorBody } from '../shared/chat-protocol.js';

export interface ClientError {
  readonly status: number;
  readonly body: ErrorBody;
  /** Seconds the client should wait before retrying, when known. */
  readonly retryAfterSeconds?: number;
}

/**
 * The one place where failures become what a client sees. Codes in `OWN_MESSAGE` carry messages we wrote for the
 * client (e.g. "at most 2000 characters"); every other failure gets a fixed message, and its details go to the log only.
 */
const STATUS_BY_CODE: Readonly<Partial<Record<TutorErrorCode, number>>> = {
  INVALID_REQUEST: 400,
  MESSAGE_TOO_LONG: 413,
  PAYLOAD_TOO_LARGE: 413,
  ORIGIN_NOT_ALLOWED: 403,
  CONVERSATION_NOT_FOUND: 404,
  PASSAGE_NOT_FOUND: 404,
  CONVERSATION_BUSY: 409,
  RATE_LIMITED: 429,
  BUDGET_EXCEEDED: 429,
  MODEL_FAILED: 502,
  NOT_READY: 503,
  STORE_UNAVAILABLE: 503,
  ANSWER_TIMEOUT: 504,
};

const OWN_MESSAGE = new Set<TutorErrorCode>([
  'INVALID_REQUEST',
  'MESSAGE_TOO_LONG',
  'PAYLOAD_TOO_LARGE',
  'ORIGIN_NOT_ALLOWED',
  'CONVERSATION_NOT_FOUND',
  'PASSAGE_NOT_FOUND',
  'CONVERSATION_BUSY',
  'RATE_LIMITED',
  'BUDGET_EXCEEDED',
]);

const FIXED_MESSAGES: Readonly<Partial<Record<TutorErrorCode, string>>> = {
  NOT_READY: 'The tutor is still starting (building its index). Try again in a few seconds.',
  STORE_UNAVAILABLE: 'Conversations are temporarily unavailable. Try again in a moment.',
  ANSWER_TIMEOUT: 'The answer took too long and was stopped. Please try again.',
  MODEL_FAILED: 'The language model failed to answer. Please try again.',
};

function fixedMessage(code: TutorErrorCode, details: Readonly<Record<string, unknown>>): string {
  if (code === 'NOT_READY' && details.shuttingDown === true) return 'The tutor is restarting. Try again in a few seconds.';
  return FIXED_MESSAGES[code] ?? 'Something went wrong on our side. Please try again.';
}

export function toClientError(error: unknown): ClientError {
  if (isTutorError(error)) {
    const status = STATUS_BY_CODE[error.code];
    if (status !== undefined) {
      const retryAfter = error.details.retryAfterSeconds;
      return {
        status,
        body: { code: error.code, message: OWN_MESSAGE.has(error.code) ? error.message : fixedMessage(error.code, error.details) },
        ...(typeof retryAfter === 'number' ? { retryAfterSeconds: retryAfter } : {}),
      };
    }
  }
  return { status: 500, body: { code: 'INTERNAL', message: 'Something went wrong on our side. Please try again.' } };
}

/** Whether the failure is the client's (logged at info) rather than ours (logged at error with its cause). */
export function isClientFault(status: number): boolean {
  return status < 500;
}

/**
 * How loudly to log a failure sent to a client: the client's own faults and refusals the server means to give
 * (starting, restarting) at info; a timeout, a failed model or an unavailable store at warn (they say something about
 * a dependency, and each has its own log line where it happens); anything unexpected at error.
 */
export function logLevelFor(client: ClientError): 'info' | 'warn' | 'error' {
  if (isClientFault(client.status) || client.body.code === 'NOT_READY') return 'info';
  if (client.body.code === 'ANSWER_TIMEOUT' || client.body.code === 'MODEL_FAILED' || client.body.code === 'STORE_UNAVAILABLE')
    return 'warn';
  return 'error';
}

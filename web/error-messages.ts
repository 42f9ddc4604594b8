import { ChatConnectionError } from './chat-connection.js';
import type { Failure } from './parts/answer-stream.js';
import type { WidgetStrings } from './widget-i18n.js';

/** The learner-facing message for a failed answer, in the widget's language. */
export function errorMessage(s: WidgetStrings, failure: Failure): string {
  switch (failure.code) {
    case 'RATE_LIMITED':
    case 'BUDGET_EXCEEDED':
      return s.errorRateLimited(failure.retryAfterSeconds);
    case 'MESSAGE_TOO_LONG':
    case 'PAYLOAD_TOO_LARGE': {
      // The server states its limit ("at most 2000 characters"); repeat it in the learner's language.
      const limit = /\d+/.exec(failure.serverMessage ?? '')?.[0];
      return s.errorTooLong(limit === undefined ? undefined : Number(limit));
    }
    case 'CONVERSATION_BUSY':
      return s.errorBusy;
    case 'ANSWER_TIMEOUT':
    case 'ACK_TIMEOUT':
      return s.errorTimeout;
    case 'NOT_READY':
    case 'INDEX_BUSY':
      return s.errorNotReady;
    case 'ORIGIN_NOT_ALLOWED':
      return s.errorOrigin;
    case 'CONNECTION_LOST':
      return s.errorConnectionLost;
    default:
      return s.errorGeneric;
  }
}

/** A short message for a failed REST call (quiz, feedback, restore). */
export function describeError(s: WidgetStrings, error: unknown): string {
  if (!(error instanceof ChatConnectionError)) return s.errorGeneric;
  if (error.code === 'NETWORK') return s.offline;
  return errorMessage(s, { code: error.code, serverMessage: error.message, retryAfterSeconds: error.retryAfterSeconds });
}

/**
 * What a failed model call means, in one typed error: {@link ModelAnswerError} says what went wrong (`failure`),
 * whether the same request may succeed (`retryable`), and what the server asked for (`retryAfterMs`). The fallback
 * answerer decides on retries from it; {@link isToolsUnsupported} tells the answerer to switch strategy.
 */
import { TutorError } from '../../errors/tutor-error.js';

export { isStreamOptionsRejected, isToolsUnsupported } from '../../providers/provider-errors.js';

/** Why a model answer failed. */
export type ModelFailure =
  | 'timeout'
  | 'rate-limited'
  | 'server-error'
  | 'connection-lost'
  | 'malformed-stream'
  | 'malformed-tool-call'
  | 'empty-answer'
  | 'request-rejected'
  /** The question (with the fixed instructions) does not fit the prompt budget: no model call was made. */
  | 'prompt-too-large'
  /** The model started repeating its instructions (e.g. a learner asked for the system prompt): the text is void. */
  | 'leaked-instructions'
  /** The conversation's or the node's model budget (uses or tokens) is spent: no model call was made. */
  | 'budget-exhausted'
  | 'unknown';

/** Failures the same request cannot recover from: the fallback answers at once instead of retrying. */
const NOT_RETRYABLE: ReadonlySet<ModelFailure> = new Set([
  'request-rejected',
  'prompt-too-large',
  'leaked-instructions',
  'budget-exhausted',
]);

/**
 * A failed model answer. `code` is `ANSWER_TIMEOUT` for timeouts and `MODEL_FAILED` otherwise; `failure`
 * says what happened, `retryable` whether the same request may succeed (false for 4xx other than 408/429),
 * and `retryAfterMs` what the server asked for (Retry-After / retry-after-ms), when it did.
 */
export class ModelAnswerError extends TutorError {
  readonly failure: ModelFailure;
  readonly retryable: boolean;
  readonly retryAfterMs: number | undefined;
  readonly status: number | undefined;

  constructor(
    failure: ModelFailure,
    message: string,
    options: { readonly cause?: unknown; readonly retryAfterMs?: number; readonly status?: number } = {},
  ) {
    const retryable = !NOT_RETRYABLE.has(failure);
    super(failure === 'timeout' ? 'ANSWER_TIMEOUT' : 'MODEL_FAILED', message, {
      cause: options.cause,
      details: {
        failure,
        retryable,
        ...(options.retryAfterMs === undefined ? {} : { retryAfterMs: options.retryAfterMs }),
        ...(options.status === undefined ? {} : { status: options.status }),
      },
    });
    this.name = 'ModelAnswerError';
    this.failure = failure;
    this.retryable = retryable;
    this.retryAfterMs = options.retryAfterMs;
    this.status = options.status;
  }
}

const CONNECTION_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'EPIPE',
  'ETIMEDOUT',
  'ENOTFOUND',
  'EAI_AGAIN',
  'UND_ERR_SOCKET',
  'UND_ERR_CLOSED',
]);

/**
 * What a model call's error means: HTTP status (429 → rate-limited, 408 → timeout, 5xx → server-error,
 * other 4xx → request-rejected), otherwise the error and its causes (timeouts, connection resets and cut
 * streams, invalid SSE JSON). Unknown errors count as retryable.
 */
export function classifyModelFailure(error: unknown): ModelAnswerError {
  const chain = causeChain(error);
  const own = chain.find((entry): entry is ModelAnswerError => entry instanceof ModelAnswerError);
  if (own) return own;
  const overBudget = chain.find((entry): entry is TutorError => entry instanceof TutorError && entry.code === 'BUDGET_EXCEEDED');
  if (overBudget) return new ModelAnswerError('budget-exhausted', overBudget.message, { cause: error });
  const status = chain.map((entry) => numericField(entry, 'status')).find((value) => value !== undefined);
  const retryAfterMs = chain.map((entry) => retryAfterOf(entry)).find((value) => value !== undefined);
  const message = chain.map((entry) => (entry instanceof Error ? entry.message : '')).find((text) => text !== '') ?? String(error);
  const options = {
    cause: error,
    ...(status === undefined ? {} : { status }),
    ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
  };
  if (status === 429) return new ModelAnswerError('rate-limited', `The model endpoint is rate limiting: ${message}`, options);
  if (status === 408) return new ModelAnswerError('timeout', `The model endpoint timed out: ${message}`, options);
  if (status !== undefined && status >= 500)
    return new ModelAnswerError('server-error', `The model endpoint failed (${status}): ${message}`, options);
  if (status !== undefined && status >= 400)
    return new ModelAnswerError('request-rejected', `The model endpoint rejected the request (${status}): ${message}`, options);
  const names = chain.map((entry) => (entry instanceof Error ? `${entry.name} ${entry.constructor.name}` : ''));
  if (names.some((name) => /Timeout/u.test(name)))
    return new ModelAnswerError('timeout', `The model request timed out: ${message}`, options);
  if (chain.some((entry) => entry instanceof SyntaxError) || /malformed|JSON/iu.test(message)) {
    return new ModelAnswerError('malformed-stream', `The model stream could not be read: ${message}`, options);
  }
  const codes = chain.map((entry) => (typeof entry === 'object' && entry !== null && 'code' in entry ? String(entry.code) : ''));
  if (
    codes.some((code) => CONNECTION_CODES.has(code)) ||
    names.some((name) => /APIConnectionError/u.test(name)) ||
    /terminated|socket|fetch failed|other side closed|ECONNRESET/iu.test(message)
  ) {
    return new ModelAnswerError('connection-lost', `The connection to the model endpoint was lost: ${message}`, options);
  }
  return new ModelAnswerError('unknown', `The model answer failed: ${message}`, options);
}

function causeChain(error: unknown): unknown[] {
  const chain: unknown[] = [];
  let current: unknown = error;
  while (current !== undefined && current !== null && chain.length < 6 && !chain.includes(current)) {
    chain.push(current);
    current = typeof current === 'object' && 'cause' in current ? current.cause : undefined;
  }
  return chain;
}

function numericField(value: unknown, field: string): number | undefined {
  if (typeof value !== 'object' || value === null || !(field in value)) return undefined;
  const raw = (value as Record<string, unknown>)[field];
  return typeof raw === 'number' && Number.isFinite(raw) ? raw : undefined;
}

/** Milliseconds a server asked to wait, from `retry-after-ms` or `retry-after` (seconds or an HTTP date). */
export function retryAfterOf(error: unknown): number | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  if (error instanceof ModelAnswerError) return error.retryAfterMs;
  const headers = (error as { headers?: unknown }).headers;
  const read = (name: string): string | undefined => {
    if (headers === null || typeof headers !== 'object') return undefined;
    if (typeof (headers as Headers).get === 'function') return (headers as Headers).get(name) ?? undefined;
    const value = (headers as Record<string, unknown>)[name];
    return typeof value === 'string' ? value : undefined;
  };
  const milliseconds = Number.parseFloat(read('retry-after-ms') ?? '');
  if (Number.isFinite(milliseconds) && milliseconds >= 0) return milliseconds;
  const retryAfter = read('retry-after');
  if (retryAfter === undefined) return undefined;
  const seconds = Number.parseFloat(retryAfter);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const date = Date.parse(retryAfter);
  return Number.isFinite(date) ? Math.max(0, date - Date.now()) : undefined;
}

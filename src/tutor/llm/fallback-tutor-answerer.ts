/**
 * Keeps the tutor answering when the language model does not: run the primary (LLM) answerer; on a failure
 * (timeout, 429, 5xx, connection reset, malformed stream, broken tool-call JSON...) retry once after a
 * backoff, then answer with the offline answerer, marked `mode: 'offline-fallback'` with a short notice in
 * the learner's language. The whole call ends within `timeoutMs` plus the offline answer's own time,
 * whatever the model does: a hung attempt is abandoned when the budget runs out.
 *
 * Streaming and resets: deltas of an attempt reach `onDelta` as they come. When an attempt fails after
 * some text was streamed, `onReset()` is called before anything else is streamed, and the learner's view
 * must drop the text streamed so far (the retry or the fallback streams its answer from the start). Deltas
 * an abandoned attempt produces later are discarded. A caller that does not pass `onReset` should replace
 * the streamed text with the final `answer` when the call resolves.
 *
 * Aborting: the caller's signal aborts the attempt in flight, the backoff and the fallback; the call then
 * rejects with the signal's reason and no fallback runs (nobody is waiting for it).
 */

import { TutorError } from '../../errors/tutor-error.js';
import type { Language } from '../../ingest/chunk-types.js';
import { raceWithAbort } from '../../support/race-with-abort.js';
import type { TutorAnswer, TutorAnswerer, TutorQuestion } from '../tutor-types.js';
import { classifyModelFailure, ModelAnswerError } from './model-failure.js';

/** A question whose streamed text can be taken back. */
export interface ResettableTutorQuestion extends TutorQuestion {
  /** Called when text already passed to `onDelta` is void: the caller clears it; new deltas follow. */
  readonly onReset?: () => void;
}

/** The subset of a pino logger used here. */
export interface FallbackLogger {
  warn(details: Record<string, unknown>, message: string): void;
}

export interface FallbackTutorAnswererOptions {
  /** The model-backed answerer, e.g. `createLlmTutorAnswerer(...)`. */
  readonly primary: TutorAnswerer;
  /** The offline answerer; its answer is returned with `mode: 'offline-fallback'`. */
  readonly fallback: TutorAnswerer;
  /** Pause before the one retry when the failure names no Retry-After. */
  readonly retryDelayMs: number;
  /** Longest Retry-After honoured; a server asking for more gets the fallback at once. @default 2000 */
  readonly maxRetryDelayMs?: number;
  /**
   * Budget for the model: both attempts and the pause between them. When it runs out the attempt in flight
   * is abandoned and the fallback answers. @default no overall budget (each attempt is bounded by the
   * primary's own timeout)
   */
  readonly timeoutMs?: number;
  /** A retry is not started with less budget left than this. @default 250 */
  readonly minAttemptMs?: number;
  readonly logger?: FallbackLogger;
}

/** What every attempt is asked: the question and its context (history, explain style, answer language), unchanged. */
function passThrough(input: TutorQuestion): Pick<TutorQuestion, 'question' | 'history' | 'style' | 'language'> {
  return {
    question: input.question,
    ...(input.history === undefined ? {} : { history: input.history }),
    ...(input.style === undefined ? {} : { style: input.style }),
    ...(input.language === undefined ? {} : { language: input.language }),
  };
}

/** The notice shown with a fallback answer. */
export const FALLBACK_NOTICES: Readonly<Record<Language, string>> = {
  en: 'The language model is unavailable right now; this answer is quoted from the article.',
  zh: '语言模型暂时不可用，以下回答直接引自文章。',
};

export function createFallbackTutorAnswerer(options: FallbackTutorAnswererOptions): {
  answer(input: ResettableTutorQuestion): Promise<TutorAnswer>;
} {
  const maxRetryDelayMs = options.maxRetryDelayMs ?? 2_000;
  const minAttemptMs = options.minAttemptMs ?? 250;

  return {
    async answer(input: ResettableTutorQuestion): Promise<TutorAnswer> {
      input.signal?.throwIfAborted();
      const startedAt = Date.now();
      const budget = new AbortController();
      const onCallerAbort = (): void => budget.abort(input.signal?.reason);
      input.signal?.addEventListener('abort', onCallerAbort, { once: true });
      const budgetTimer =
        options.timeoutMs === undefined
          ? undefined
          : setTimeout(
              () => budget.abort(new TutorError('ANSWER_TIMEOUT', `No model answer within ${options.timeoutMs} ms`)),
              options.timeoutMs,
            );
      const remainingMs = (): number =>
        options.timeoutMs === undefined ? Number.POSITIVE_INFINITY : options.timeoutMs - (Date.now() - startedAt);

      /** Whether text the caller must drop has been streamed since the last reset. */
      let streamedSinceReset = false;
      const resetIfStreamed = (): void => {
        if (!streamedSinceReset) return;
        streamedSinceReset = false;
        input.onReset?.();
      };

      const attempt = async (attemptNumber: number): Promise<TutorAnswer> => {
        const controller = new AbortController();
        const onBudgetAbort = (): void => controller.abort(budget.signal.reason);
        budget.signal.addEventListener('abort', onBudgetAbort, { once: true });
        if (budget.signal.aborted) controller.abort(budget.signal.reason);
        let current = true;
        try {
          const pending = options.primary.answer({
            ...passThrough(input),
            signal: controller.signal,
            onDelta: (text) => {
              if (!current) return;
              streamedSinceReset = true;
              input.onDelta?.(text);
            },
          });
          return await raceWithAbort(pending, controller.signal);
        } finally {
          current = false;
          budget.signal.removeEventListener('abort', onBudgetAbort);
          if (!controller.signal.aborted) controller.abort(new Error(`attempt ${attemptNumber} settled`));
        }
      };

      try {
        for (let attemptNumber = 1; attemptNumber <= 2; attemptNumber += 1) {
          try {
            return await attempt(attemptNumber);
          } catch (error) {
            if (input.signal?.aborted) throw input.signal.reason ?? error;
            const failure = budget.signal.aborted
              ? new ModelAnswerError('timeout', `No model answer within ${options.timeoutMs} ms`, { cause: error })
              : classifyModelFailure(error);
            resetIfStreamed();
            options.logger?.warn(
              { attempt: attemptNumber, failure: failure.failure, retryable: failure.retryable, err: failure },
              'model answer failed',
            );
            // A failure of the tutor itself (not of the model) would fail the same way again.
            const tutorFailure = error instanceof TutorError && !(error instanceof ModelAnswerError) && !budget.signal.aborted;
            if (attemptNumber === 2 || !failure.retryable || tutorFailure || budget.signal.aborted) break;
            const requested = failure.retryAfterMs;
            if (requested !== undefined && requested > maxRetryDelayMs) break;
            const delayMs = requested ?? options.retryDelayMs;
            if (delayMs + minAttemptMs > remainingMs()) break;
            await sleep(delayMs, budget.signal).catch(() => undefined);
            if (input.signal?.aborted) throw input.signal.reason;
            if (budget.signal.aborted) break;
          }
        }

        const answer = await options.fallback.answer({
          ...passThrough(input),
          ...(input.signal === undefined ? {} : { signal: input.signal }),
          onDelta: (text) => {
            streamedSinceReset = true;
            input.onDelta?.(text);
          },
        });
        return {
          ...answer,
          mode: 'offline-fallback',
          notice: FALLBACK_NOTICES[answer.language],
        };
      } finally {
        if (budgetTimer !== undefined) clearTimeout(budgetTimer);
        input.signal?.removeEventListener('abort', onCallerAbort);
      }
    },
  };
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) {
      reject(signal.reason);
      return;
    }
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

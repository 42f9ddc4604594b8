/**
 * Settles with `work`, or rejects as soon as `signal` aborts, whatever `work` does afterwards: a model, a stream or an
 * answerer that ignores its signal cannot hold its caller. The rejection is `toError(signal.reason)` (by default the
 * abort reason itself). A later rejection of `work` is observed, so it never becomes an unhandled rejection.
 */
export function raceWithAbort<T>(
  work: Promise<T>,
  signal: AbortSignal,
  toError: (reason: unknown) => unknown = (reason) => reason,
): Promise<T> {
  work.catch(() => undefined);
  if (signal.aborted) return Promise.reject(toError(signal.reason));
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(toError(signal.reason));
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}

export interface IdleStepsReport {
  /** Steps run to the end (a step that threw counts in `failed` instead). */
  readonly done: number;
  readonly failed: number;
  /** True when `shouldStop` ended the run before the steps ran out. */
  readonly stopped: boolean;
}

/**
 * Runs background steps one at a time, each in its own turn of the event loop (after `setImmediate`), so that whatever
 * arrived meanwhile (a learner's request, a socket message) is handled before the next step starts: work done this way
 * never holds a request for longer than one step. Steps are taken from the iterable lazily, so preparing a step is
 * part of that step's turn. A step that throws is counted and the run goes on; `shouldStop` is asked before every
 * step (the work has become pointless, e.g. the index it prepares was replaced).
 */
export async function runInIdleSteps(
  steps: Iterable<() => unknown>,
  options: { readonly shouldStop?: () => boolean } = {},
): Promise<IdleStepsReport> {
  let done = 0;
  let failed = 0;
  const iterator = steps[Symbol.iterator]();
  for (;;) {
    await new Promise<void>((resolve) => setImmediate(resolve));
    if (options.shouldStop?.()) return { done, failed, stopped: true };
    try {
      const next = iterator.next();
      if (next.done) return { done, failed, stopped: false };
      await next.value();
      done += 1;
    } catch {
      failed += 1;
    }
  }
}

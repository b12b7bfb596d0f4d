/**
 * Time, injected into whatever waits, so the supervisor's back-off can run on a fake clock in unit
 * tests. The real timers are bound here at import, so a user's fake timers (installed later, e.g.
 * by sinon or vitest) can never stall a teardown.
 */
export interface Clock {
  /** Milliseconds, monotonic. */
  now(): number;
  /** Resolves after `ms`, or rejects with the signal's reason when it is aborted first. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
  /**
   * Calls `fire` after `ms` unless the returned cancel is called first: a nap that a ring cuts
   * short, without an AbortController per nap (a readiness wait naps hundreds of times a second).
   * Optional: where a clock lacks it, naps go through `sleep`.
   */
  timer?(ms: number, fire: () => void): () => void;
}

const realSetTimeout = globalThis.setTimeout.bind(globalThis);
const realClearTimeout = globalThis.clearTimeout.bind(globalThis);
const realNow = performance.now.bind(performance);

export const realClock: Clock = {
  now: realNow,
  sleep(ms, signal) {
    return new Promise<void>((resolve, reject) => {
      if (signal?.aborted) {
        reject(signal.reason);
        return;
      }
      const onAbort = () => {
        realClearTimeout(timer);
        reject(signal?.reason);
      };
      const timer = realSetTimeout(() => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      }, Math.max(0, ms));
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  },
  timer(ms, fire) {
    const timer = realSetTimeout(fire, Math.max(0, ms));
    return () => realClearTimeout(timer);
  },
};

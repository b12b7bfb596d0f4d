import type { Clock } from '../supervision/clock.js';
import { whenAborted } from '../readiness/wait-options.js';

/** What a wait on states looks at: the state now, and every change after it. */
export interface StateWatch<S> {
  readonly current: S;
  /** Calls `listener` with each state it goes to; returns how to stop listening. */
  subscribe(listener: (state: S) => void): () => void;
}

/** What a wait makes of a state: it is the one awaited (`done`), not yet (`wait`), or an error that ends the wait. */
export type StateVerdict = 'done' | 'wait' | Error;

export interface StateWait<S> {
  /** Judges the state now (`change` false) and every change (`change` true). */
  judge(state: S, change: boolean): StateVerdict;
  timeoutMs: number;
  clock: Clock;
  /** At the deadline: the error to reject with, or undefined to resolve (a state that had to hold that long). */
  atDeadline(): Error | undefined;
  /** Ends the wait at once, rejecting with `aborted(elapsedMs)`. */
  signal?: AbortSignal;
  aborted?(elapsedMs: number): Error;
}

/**
 * The one "wait for a state, or give up": the state now is judged first, then each change, against
 * one deadline — no polling; one controller, aborted in `finally`, so no listener or timer outlives it.
 */
export async function waitForStates<S>(watch: StateWatch<S>, wait: StateWait<S>): Promise<void> {
  const started = wait.clock.now();
  const abortError = () => wait.aborted?.(wait.clock.now() - started) ?? wait.signal?.reason;
  if (wait.signal?.aborted) throw abortError();
  const now = wait.judge(watch.current, false);
  if (now === 'done') return;
  if (now instanceof Error) throw now;
  const controller = new AbortController();
  try {
    await Promise.race([
      new Promise<void>((resolve, reject) => {
        const unsubscribe = watch.subscribe((state) => {
          const verdict = wait.judge(state, true);
          if (verdict === 'done') resolve();
          else if (verdict instanceof Error) reject(verdict);
        });
        controller.signal.addEventListener('abort', unsubscribe, { once: true });
      }),
      wait.clock.sleep(wait.timeoutMs, controller.signal).then(() => {
        const error = wait.atDeadline();
        if (error) throw error;
      }),
      whenAborted(wait.signal, controller.signal).then(() => {
        throw abortError();
      }),
    ]);
  } finally {
    controller.abort();
  }
}

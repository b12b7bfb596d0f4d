import { formatSeconds, ReadinessAbortedError, type DaemonStepsErrorFields } from '../errors.js';
import { realClock, type Clock } from '../supervision/clock.js';

/** The options every public wait of the engine takes. */
export interface WaitOptions {
  /** How long to wait, in ms (default: the scope's setting for this kind of wait). */
  timeout?: number;
  /** Ends the wait at once with a `ReadinessAbortedError` that names what was awaited. */
  signal?: AbortSignal;
  /** What the deadline is measured on (default: the daemon's clock, else the real one). */
  clock?: Clock;
}

/** The scope's settings a wait falls back to when its options name no timeout. */
export interface WaitDefaults {
  /** Readiness, and a state to be reached. */
  startTimeoutMs: number;
  outputTimeoutMs: number;
  exitTimeoutMs: number;
}

/** A wait's options with its defaults filled in. */
export interface SettledWait {
  timeoutMs: number;
  signal: AbortSignal | undefined;
  clock: Clock;
}

export function settleWait(options: WaitOptions | undefined, defaultTimeoutMs: number, defaultClock: Clock = realClock): SettledWait {
  return { timeoutMs: options?.timeout ?? defaultTimeoutMs, signal: options?.signal, clock: options?.clock ?? defaultClock };
}

/** "the wait for 'web' to exit was aborted after 0.2 s", with what was awaited as a field. */
export function waitAborted(awaited: string, fields: Omit<DaemonStepsErrorFields, 'awaited'> = {}): ReadinessAbortedError {
  const after = fields.elapsedMs === undefined ? '' : ` after ${formatSeconds(fields.elapsedMs)}`;
  return new ReadinessAbortedError(`the wait for ${awaited} was aborted${after}`, { ...fields, awaited });
}

/**
 * Resolves with 'aborted' once `signal` is aborted (at once if it is), for a `Promise.race` beside
 * the wait; `until` (the wait's own controller, aborted when it ends) removes the listener.
 */
export function whenAborted(signal: AbortSignal | undefined, until: AbortSignal): Promise<'aborted'> {
  if (!signal) return new Promise<never>(() => undefined);
  if (signal.aborted) return Promise.resolve('aborted');
  return new Promise((resolve) => {
    const onAbort = () => resolve('aborted');
    signal.addEventListener('abort', onAbort, { once: true });
    until.addEventListener('abort', () => signal.removeEventListener('abort', onAbort), { once: true });
  });
}

import { realClock, type Clock } from '../supervision/clock.js';
import { waitAborted } from './wait-options.js';

/**
 * Every polling schedule of the engine, in one place.
 *
 * `readiness`: when polled readiness probes are checked — the first check at once, then 1 ms apart
 * for the first 10 ms (daemons that are quick are very quick), every 2 ms up to a quarter of a
 * second, and after that (`later`) a sixteenth of the time waited so far, at most 50 ms: a daemon
 * that takes a second to start loses at most a few percent of that to the poll, and waiting costs a
 * few percent of a core even where a refused connection is as expensive as on a sandboxed CI machine
 * (see `npm run bench`). A daemon that prints when it listens is checked at once anyway (`nudge`).
 *
 * `nudge`: output from the daemon (it often prints when it starts listening) brings the next check
 * forward to `minGapMs` after the previous one — but only output that breaks a silence of `quietMs`:
 * a daemon that prints all the time gets no more checks than a silent one.
 *
 * `lastLookMs`: after the daemon has exited, how long a last look at the probes may take.
 *
 * `backoff`: the other waits of the engine (a pid file, a family to be gone, a port lock, a file
 * another process writes): look at once, then after `firstMs`, doubling up to `maxMs`.
 */
export const POLL_SCHEDULE = {
  readiness: [
    { untilMs: 10, everyMs: 1 },
    { untilMs: 250, everyMs: 2 },
  ],
  later: { fractionOfWaited: 1 / 16, maxMs: 50 },
  nudge: { minGapMs: 1, quietMs: 10 },
  lastLookMs: 10,
  backoff: { firstMs: 1, maxMs: 50 },
} as const;

export const NUDGE = POLL_SCHEDULE.nudge;
export const LAST_LOOK_MS = POLL_SCHEDULE.lastLookMs;

/** The readiness schedule: how long after a check the next one comes, `waitedMs` into the wait. */
export function pollIntervalMs(waitedMs: number): number {
  const step = POLL_SCHEDULE.readiness.find((s) => waitedMs < s.untilMs);
  if (step) return step.everyMs;
  const { fractionOfWaited, maxMs } = POLL_SCHEDULE.later;
  return Math.min(Math.floor(waitedMs * fractionOfWaited), maxMs);
}

/** A doubling delay: `firstMs`, twice that, … up to `maxMs`; `reset()` starts over. */
export class Backoff {
  private current: number;

  constructor(
    private readonly firstMs: number = POLL_SCHEDULE.backoff.firstMs,
    private readonly maxMs: number = POLL_SCHEDULE.backoff.maxMs,
  ) {
    this.current = firstMs;
  }

  next(): number {
    const delay = this.current;
    this.current = Math.min(this.current * 2, this.maxMs);
    return delay;
  }

  reset(): void {
    this.current = this.firstMs;
  }
}

export interface PollOptions {
  /** How long to keep looking; the first look is at once, the last at or after the deadline. */
  timeoutMs: number;
  /** Cancels the wait: it rejects with the signal's reason, or with a `ReadinessAbortedError` when `awaited` is given. */
  signal?: AbortSignal;
  /** What is awaited, for the error of an aborted wait ("'web' to exit"). */
  awaited?: string;
  /** Where the deadline is measured (default: the real clock). */
  clock?: Clock;
  /** What the pauses between looks sleep on, when that is not `clock` (waiting for the kernel). */
  sleepClock?: Clock;
  /** The delays between looks (default: the `backoff` schedule). */
  backoff?: Backoff;
}

/**
 * Looks with `look` until it returns something other than `undefined` (which it returns), and
 * returns `undefined` once the deadline has passed without. A look that throws ends the wait with
 * its error. This is the one loop behind every poll of the engine that is not readiness's race.
 */
export async function pollUntil<T>(look: () => T | undefined | Promise<T | undefined>, options: PollOptions): Promise<T | undefined> {
  const clock = options.clock ?? realClock;
  const sleepClock = options.sleepClock ?? clock;
  const started = clock.now();
  const deadline = started + options.timeoutMs;
  const backoff = options.backoff ?? new Backoff();
  const aborted = (): unknown =>
    options.awaited === undefined ? options.signal?.reason : waitAborted(options.awaited, { timeoutMs: options.timeoutMs, elapsedMs: clock.now() - started });
  for (;;) {
    if (options.signal?.aborted) throw aborted();
    const value = await look();
    if (value !== undefined) return value;
    const remaining = deadline - clock.now();
    if (remaining <= 0) return undefined;
    await sleepClock.sleep(Math.min(backoff.next(), remaining), options.signal).catch((error: unknown) => {
      throw options.signal?.aborted ? aborted() : error;
    });
  }
}

/**
 * A sleep that can be cut short: `ring()` wakes it at once, `ringAt(t)` brings the wake-up forward
 * to `t` (never later than planned). A ring while nobody sleeps is remembered for the next sleep.
 */
export class Alarm {
  private target: number | undefined;
  private earliest = Infinity;
  private cancelNap: (() => void) | undefined;

  constructor(
    private readonly clock: Clock,
    private readonly signal: AbortSignal,
  ) {}

  async sleepUntil(time: number): Promise<void> {
    this.target = Math.min(time, this.earliest);
    this.earliest = Infinity;
    try {
      // Timers have whole milliseconds: round up, or a nap of 1.7 ms ends after 1 ms and costs a second wake-up.
      let retargeted = true;
      while (retargeted && !this.signal.aborted && this.clock.now() < this.target) {
        retargeted = false;
        await this.nap(Math.ceil(this.target - this.clock.now()), () => {
          retargeted = true;
        });
      }
    } finally {
      this.target = undefined;
      this.cancelNap = undefined;
    }
  }

  /** Sleeps `ms`, or until `cancelNap` (a ring) wakes it, calling `onRing` then. */
  private nap(ms: number, onRing: () => void): Promise<void> {
    const { timer } = this.clock;
    if (timer) {
      return new Promise<void>((wake) => {
        const cancel = timer.call(this.clock, ms, wake);
        this.cancelNap = () => {
          onRing();
          cancel();
          wake();
        };
      });
    }
    const nap = new AbortController();
    this.cancelNap = () => {
      onRing();
      nap.abort();
    };
    return this.clock.sleep(ms, nap.signal).catch(() => undefined);
  }

  ring(): void {
    this.ringAt(-Infinity);
  }

  ringAt(time: number): void {
    if (this.target === undefined) {
      this.earliest = Math.min(this.earliest, time);
    } else if (time < this.target) {
      this.target = time;
      this.cancelNap?.();
    }
  }
}

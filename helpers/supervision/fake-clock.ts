import type { Clock } from './clock.js';

interface Timer {
  at: number;
  order: number;
  resolve: () => void;
}

/** Lets every promise chain that is ready to run do so, without letting any real time pass. */
async function settle(): Promise<void> {
  for (let round = 0; round < 3; round++) await new Promise<void>((resolve) => setImmediate(resolve));
}

/**
 * A clock that moves only when told: `advance(ms)` fires the sleeps that fall due, in order, and
 * lets whatever they set off run before it moves on. For tests of code that waits (back-off, kill
 * time, deadlines) without real waiting.
 */
export class FakeClock implements Clock {
  private current = 0;
  private order = 0;
  private readonly timers = new Set<Timer>();
  private readonly onTimer = new Set<() => void>();

  now(): number {
    return this.current;
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      if (signal?.aborted) {
        reject(signal.reason);
        return;
      }
      const timer: Timer = {
        at: this.current + Math.max(0, ms),
        order: this.order++,
        resolve: () => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        },
      };
      const onAbort = () => {
        this.timers.delete(timer);
        reject(signal?.reason);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.timers.add(timer);
      for (const listener of [...this.onTimer]) listener();
    });
  }

  /** Sleeps not yet due nor aborted. */
  get pendingSleeps(): number {
    return this.timers.size;
  }

  /** Milliseconds until the next sleep falls due; undefined when none is pending. */
  get nextDueInMs(): number | undefined {
    const next = this.earliest();
    return next === undefined ? undefined : next.at - this.current;
  }

  /** Moves time forward by `ms`, firing due sleeps in order and letting what they start run. */
  async advance(ms: number): Promise<void> {
    const target = this.current + ms;
    await settle();
    for (let next = this.earliest(); next !== undefined && next.at <= target; next = this.earliest()) {
      this.timers.delete(next);
      this.current = Math.max(this.current, next.at);
      next.resolve();
      await settle();
    }
    this.current = target;
    await settle();
  }

  /** Resolves once at least `count` sleeps are pending (real events, no polling). */
  async untilSleeping(count = 1): Promise<void> {
    await settle();
    if (this.timers.size >= count) return;
    await new Promise<void>((resolve) => {
      const check = () => {
        if (this.timers.size < count) return;
        this.onTimer.delete(check);
        resolve();
      };
      this.onTimer.add(check);
    });
  }

  private earliest(): Timer | undefined {
    let best: Timer | undefined;
    for (const timer of this.timers) {
      if (!best || timer.at < best.at || (timer.at === best.at && timer.order < best.order)) best = timer;
    }
    return best;
  }
}

import { DaemonStepsError, describeDaemon, formatSeconds, type DaemonContext } from './base.js';

// Stops that failed: survivors of SIGKILL, and the failures of a parallel cleanup added up.

export class StopTimeoutError extends DaemonStepsError {}

/** Processes still there after SIGKILL and the wait that follows it (uninterruptible sleep). */
export function stopTimeoutError(daemon: DaemonContext, survivors: number[], elapsedMs: number): StopTimeoutError {
  return new StopTimeoutError(
    `${describeDaemon(daemon)}: processes ${survivors.join(', ')} were still there ${formatSeconds(elapsedMs)} after SIGKILL ` +
      '(uninterruptible sleep?); look at them with ps',
    { daemon },
  );
}

/**
 * Several stops of one cleanup failed. It is an AggregateError, so every failure is in `errors`,
 * and its message gives each one (one error alone is thrown as it is).
 */
export class StopFailuresError extends AggregateError {
  constructor(errors: readonly unknown[]) {
    super(
      errors,
      `${errors.length} stops failed:\n` +
        errors.map((error) => `- ${(error instanceof Error ? error.message : String(error)).split('\n').join('\n  ')}`).join('\n'),
    );
    this.name = 'StopFailuresError';
  }
}

/**
 * Throws what a parallel cleanup's failures add up to: nothing, the one error, or every error in a
 * StopFailuresError — each failure once, also when it came through two routes (the supervisor and
 * the registry share a daemon's stop) or inside another StopFailuresError.
 */
export function throwStopFailures(results: ReadonlyArray<PromiseSettledResult<unknown>>): void {
  const failures = new Set<unknown>();
  for (const result of results) {
    if (result.status === 'fulfilled') continue;
    const reason: unknown = result.reason;
    for (const error of reason instanceof StopFailuresError ? reason.errors : [reason]) failures.add(error);
  }
  if (failures.size === 1) throw [...failures][0];
  if (failures.size > 1) throw new StopFailuresError([...failures]);
}

/**
 * Containment would turn on the runner itself: a cgroup to end holds the runner or a process above
 * it, or the runner could not leave a daemon's cgroup after spawning into it.
 */
export class ContainmentError extends DaemonStepsError {}

import type { Clock } from '../supervision/clock.js';
import type { Cgroup } from '../containment/cgroup.js';
import type { TerminationTarget } from '../containment/family.js';
import { terminate, type StopOutcome } from '../containment/terminate.js';
import type { ProcessRun } from './spawn.js';

export interface StopRequest {
  signal?: NodeJS.Signals;
  graceMs: number;
}

/** What a stop or kill of a daemon with no process (never spawned) comes to. */
export const NOTHING_TO_STOP: StopOutcome = Object.freeze({ forced: false, elapsedMs: 0, survivors: [] });
export const NOTHING_TO_KILL: StopOutcome = Object.freeze({ forced: true, elapsedMs: 0, survivors: [] });

/** Everything a run of a daemon may have left: its process group, its marker, its cgroup. */
export function runTarget(run: ProcessRun, marker: string, cgroup: Cgroup | undefined): TerminationTarget {
  return {
    pid: run.pid,
    startTime: run.startTime,
    pgid: run.pid,
    exited: run.exited,
    hasExited: () => run.exit !== undefined,
    marker,
    cgroup,
    since: run.since,
  };
}

/**
 * The first signal to the whole target, the grace, SIGKILL; back once all of it is gone. Every
 * signal is noted on the run, so its exit record says whether it obeyed or was forced.
 */
export function stopRun(run: ProcessRun, target: TerminationTarget, request: StopRequest, clock: Clock): Promise<StopOutcome> {
  const stop = { signal: request.signal ?? 'SIGTERM', graceMs: request.graceMs };
  return terminate(target, {
    ...request,
    clock,
    onSignal: (signal, step) => run.sent.push({ signal, cause: step === 'first' ? 'stopped' : 'forced', stop }),
  });
}

/** SIGKILL to the whole target at once, noted on the run; back once all of it is gone. */
export function killRun(run: ProcessRun, target: TerminationTarget, clock: Clock): Promise<StopOutcome> {
  return terminate(target, {
    signal: 'SIGKILL',
    graceMs: 0,
    clock,
    onSignal: (signal) => run.sent.push({ signal, cause: 'killed' }),
  });
}

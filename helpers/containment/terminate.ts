import { realClock, type Clock } from '../supervision/clock.js';
import { signalIfSame } from './proc.js';
import { ProcessFamily, type TerminationTarget } from './family.js';
import { isInScope } from './marker.js';
import { pollUntil } from '../readiness/poll.js';

export interface StopOptions {
  /** First signal; SIGTERM unless told otherwise. */
  signal?: NodeJS.Signals;
  /** How long the first signal has before SIGKILL. */
  graceMs: number;
  clock?: Clock;
  /**
   * Called as a signal goes to the family: the first one, then SIGKILL once the grace has run out
   * (`escalation`). In the same turn as the signal, so before the exit it causes can be seen.
   */
  onSignal?: (signal: NodeJS.Signals, step: 'first' | 'escalation') => void;
}

export interface StopOutcome {
  /** True when SIGKILL was sent to a process still there: after the grace, or at once (`kill`). */
  forced: boolean;
  elapsedMs: number;
  /** Processes that were still there when we gave up waiting after SIGKILL (uninterruptible sleep). */
  survivors: number[];
}

/** After SIGKILL, how long we wait for the kernel to finish the processes off. */
const KILL_WAIT_MS = 5000;

/**
 * Waits after a SIGKILL, on the real clock even when another is injected: the kernel ends the
 * processes on its own schedule, and a test's fake clock stands in for the grace, not for that.
 */
function waitUntilKilled(family: ProcessFamily): Promise<boolean> {
  return waitUntilGone(family, realClock.now() + KILL_WAIT_MS, realClock, 'SIGKILL');
}

/**
 * Ends a family: the first signal to all of it, up to the grace for all of it to end, then SIGKILL
 * (also to anything forked meanwhile), then until everything is gone. A main process that is our
 * own child is awaited through its exit event, not by polling, so one that exits at once costs
 * only its exit.
 */
export async function endFamily(family: ProcessFamily, options: StopOptions): Promise<StopOutcome> {
  const clock = options.clock ?? realClock;
  const started = clock.now();
  const first = options.signal ?? 'SIGTERM';
  const survivors = () => [...(family.leaderAlive() ? [family.leaderPid!] : []), ...family.members().map((p) => p.pid)];
  // With the main process gone and no member left, nothing is left that could fork one: done.
  const wasAlive = signalAll(family, first, () => options.onSignal?.(first, 'first'));
  if (!wasAlive) return { forced: false, elapsedMs: clock.now() - started, survivors: [] };
  if (first === 'SIGKILL') {
    // Nothing to escalate to: forced, whether or not the process was gone before we looked again.
    const gone = await waitUntilKilled(family);
    return { forced: true, elapsedMs: clock.now() - started, survivors: gone ? [] : survivors() };
  }
  if (await waitUntilGone(family, started + options.graceMs, clock)) {
    return { forced: false, elapsedMs: clock.now() - started, survivors: [] };
  }
  signalAll(family, 'SIGKILL', () => options.onSignal?.('SIGKILL', 'escalation'));
  const gone = await waitUntilKilled(family);
  return { forced: true, elapsedMs: clock.now() - started, survivors: gone ? [] : survivors() };
}

/** Signals the whole family; false when there was nothing left to signal. */
function signalAll(family: ProcessFamily, signal: NodeJS.Signals, beforeSending?: () => void): boolean {
  // Look first: once the leader is signalled, a child that left its group may be orphaned before
  // we see it, and then nothing but the look we took before ties it to the family.
  // (The leader first: whatever it forked before it ended is there at the look that follows.)
  const leaderAlive = family.leaderAlive();
  const members = family.members();
  if (!leaderAlive && members.length === 0) return false;
  beforeSending?.();
  const groups = family.signalLeader(signal);
  if (signal === 'SIGKILL') family.killCgroup();
  // Each process gets the signal once: to many daemons a second SIGTERM means "quit now".
  for (const member of members) {
    if (!groups.includes(member.pgrp)) signalIfSame(member.pid, member.startTime, signal);
  }
  return true;
}

/** Waits until nothing of the family is left; `resignal` goes to members that appear meanwhile. */
async function waitUntilGone(family: ProcessFamily, deadline: number, clock: Clock, resignal?: NodeJS.Signals): Promise<boolean> {
  const exited = family.leaderExited;
  if (exited && family.leaderAlive()) {
    const controller = new AbortController();
    try {
      await Promise.race([exited, clock.sleep(deadline - clock.now(), controller.signal)]);
    } finally {
      controller.abort();
    }
  }
  const gone = await pollUntil(
    () => {
      if (family.leaderAlive()) return undefined;
      const left = family.members();
      if (left.length === 0) return true;
      if (resignal) for (const member of left) signalIfSame(member.pid, member.startTime, resignal);
      return undefined;
    },
    // Between looks we wait for the kernel, so on the real clock; the deadline is on the clock given.
    { timeoutMs: deadline - clock.now(), clock, sleepClock: realClock },
  );
  return gone ?? false;
}

/** Stops a process, its group, its marked processes and its descendants (see ProcessFamily). */
export function terminate(target: TerminationTarget, options: StopOptions): Promise<StopOutcome> {
  const marker = target.marker;
  return endFamily(
    new ProcessFamily({
      leader: target,
      acceptsMarker: marker === undefined ? undefined : (m) => isInScope(m, marker),
      cgroups: target.cgroup && (() => [target.cgroup!]),
    }),
    options,
  );
}

/** Stops many targets at once: the whole teardown costs about one grace, not one per target. */
export function terminateAll(targets: TerminationTarget[], options: StopOptions): Promise<StopOutcome[]> {
  return Promise.all(targets.map((target) => terminate(target, options)));
}

import { realClock, type Clock } from './clock.js';
import { hasProcFs, isAlive, listPids, readEnvironmentVariable, readProcStat, sendSignal, signalIfSame, type ProcStat } from './proc.js';
import { isInScope, MARKER_VARIABLE } from './marker.js';

/** A process to stop, with what we know to recognise it and what it may have left behind. */
export interface TerminationTarget {
  pid: number;
  /** Start time from /proc (clock ticks since boot); proves a pid still names this process. */
  startTime: number;
  /** The process group to signal; our own detached children lead one of their own. */
  pgid?: number;
  /** Resolves once the process has ended and been reaped, when it is our child; else we poll. */
  exited?: Promise<unknown>;
  hasExited?: () => boolean;
  /** Also stop processes carrying this marker (or one under it): descendants that left the group. */
  marker?: string;
}

export interface StopOptions {
  /** First signal; SIGTERM unless told otherwise. */
  signal?: NodeJS.Signals;
  /** How long the first signal has before SIGKILL. */
  graceMs: number;
  clock?: Clock;
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
 * Stops a process, its group and its marked descendants: the first signal, then up to the grace
 * for all of them to end, then SIGKILL, then until they are gone. A process that exits at once
 * costs only its exit: our own child is awaited through its exit event, not by polling.
 */
export async function terminate(target: TerminationTarget, options: StopOptions): Promise<StopOutcome> {
  const clock = options.clock ?? realClock;
  const started = clock.now();
  const first = options.signal ?? 'SIGTERM';
  if (first === 'SIGKILL') {
    // Nothing to escalate to: forced, whether or not the process was gone before we looked again.
    const wasAlive = leaderAlive(target) || leftovers(target).length > 0;
    signalEverything(target, 'SIGKILL');
    const gone = await waitUntilGone(target, clock.now() + KILL_WAIT_MS, clock);
    return { forced: wasAlive, elapsedMs: clock.now() - started, survivors: gone ? [] : leftovers(target).map((p) => p.pid) };
  }
  signalEverything(target, first);
  if (await waitUntilGone(target, started + options.graceMs, clock)) {
    return { forced: false, elapsedMs: clock.now() - started, survivors: [] };
  }
  signalEverything(target, 'SIGKILL');
  const gone = await waitUntilGone(target, clock.now() + KILL_WAIT_MS, clock);
  return { forced: true, elapsedMs: clock.now() - started, survivors: gone ? [] : leftovers(target).map((p) => p.pid) };
}

function leaderAlive(target: TerminationTarget): boolean {
  if (target.hasExited) return !target.hasExited();
  return isAlive(target.pid, target.startTime);
}

function signalEverything(target: TerminationTarget, signal: NodeJS.Signals): void {
  let groupSignalled = false;
  if (target.pgid !== undefined && (leaderAlive(target) || !hasProcFs)) {
    // While the leader is alive (an unreaped child of ours, or proved by its start time) the group
    // id cannot belong to anyone else.
    groupSignalled = sendSignal(-target.pgid, signal);
  } else if (leaderAlive(target)) {
    signalIfSame(target.pid, target.startTime, signal);
  }
  // Each process gets the signal once: to many daemons a second SIGTERM means "quit now".
  for (const process of leftovers(target)) {
    if (process.pid === target.pid || (groupSignalled && process.pgrp === target.pgid)) continue;
    signalIfSame(process.pid, process.startTime, signal);
  }
}

/** Live processes of the target's group, and live processes carrying its marker. */
function leftovers(target: TerminationTarget): ProcStat[] {
  if (!hasProcFs) return [];
  const found: ProcStat[] = [];
  for (const pid of listPids()) {
    if (pid === process.pid) continue;
    const stat = readProcStat(pid);
    if (!stat || stat.state === 'Z' || stat.state === 'X') continue;
    if (target.pgid !== undefined && stat.pgrp === target.pgid) {
      found.push(stat);
      continue;
    }
    // Only processes started after the daemon can be its descendants: skip reading the rest.
    if (target.marker === undefined || stat.startTime < target.startTime) continue;
    const marker = readEnvironmentVariable(pid, MARKER_VARIABLE);
    if (marker !== undefined && isInScope(marker, target.marker)) found.push(stat);
  }
  return found;
}

async function waitUntilGone(target: TerminationTarget, deadline: number, clock: Clock): Promise<boolean> {
  if (target.exited && leaderAlive(target)) {
    const controller = new AbortController();
    try {
      await Promise.race([target.exited, clock.sleep(deadline - clock.now(), controller.signal)]);
    } finally {
      controller.abort();
    }
  }
  let interval = 1;
  for (;;) {
    if (!leaderAlive(target) && leftovers(target).length === 0) return true;
    const left = deadline - clock.now();
    if (left <= 0) return false;
    await clock.sleep(Math.min(interval, left));
    interval = Math.min(interval * 2, 50);
  }
}

/** Stops many targets at once: the whole teardown costs about one grace, not one per target. */
export function terminateAll(targets: TerminationTarget[], options: StopOptions): Promise<StopOutcome[]> {
  return Promise.all(targets.map((target) => terminate(target, options)));
}

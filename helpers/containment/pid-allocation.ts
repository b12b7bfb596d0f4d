import { readlinkSync } from 'node:fs';
import { listPids, readKernelText } from './proc.js';

/**
 * Where the kernel's pid allocation stood at one moment. Linux hands out pids in a cycle: each new
 * one is the next free number after the last, wrapping to 300 at `pid_max`. So every process created
 * since the mark has a pid in the cyclic range after `lastPid` up to the last pid now — as long as
 * the allocation cannot have gone round the whole cycle meanwhile, which the counters rule out.
 * A look for the processes of a daemon then reads the few pids handed out since it started, not
 * every process on the machine (thousands on a shared CI machine).
 */
export interface PidMark {
  /** The pid most recently handed out in our pid namespace (/proc/loadavg). */
  lastPid: number;
  /** Processes and threads created since boot, in every namespace (/proc/stat "processes"). */
  forks: number;
  /** Processes and threads that existed then (/proc/loadavg): pids the allocation may have skipped. */
  tasks: number;
}

/** Pids below this are never handed out again once the cycle has wrapped (the kernel's RESERVED_PIDS). */
const RESERVED_PIDS = 300;

/**
 * Whether /proc shows our own pid namespace: /proc/loadavg counts in the reader's namespace, the
 * listing of /proc in the namespace of its mount (a container may see the host's).
 */
const procIsOurNamespace: boolean = (() => {
  try {
    return readlinkSync('/proc/self') === String(process.pid);
  } catch {
    return false;
  }
})();

/** The mark now; undefined where /proc does not say (then every look reads the whole table). */
export function markPids(): PidMark | undefined {
  if (!procIsOurNamespace) return undefined;
  const loadavg = readKernelText('/proc/loadavg');
  const stat = readKernelText('/proc/stat');
  const tasksAndLast = loadavg && /\d+\/(\d+) (\d+)\s*$/.exec(loadavg);
  const forks = stat && /^processes (\d+)$/m.exec(stat);
  if (!tasksAndLast || !forks) return undefined;
  return { lastPid: Number(tasksAndLast[2]), tasks: Number(tasksAndLast[1]), forks: Number(forks[1]) };
}

/**
 * Which pids may have been handed out between `then` and `now`: a test for a pid, or undefined when
 * the allocation may have gone round the whole cycle. Every number it passed over was handed out
 * meanwhile, in use by a task that existed then (as its pid, group or session), or reserved: when
 * those could add up to the cycle, nothing can be ruled out.
 */
export function handedOutBetween(then: PidMark, now: PidMark, pidMax: number): ((pid: number) => boolean) | undefined {
  // A task holds up to three numbers: its pid, and those of a dead leader of its group and session.
  if (now.forks - then.forks + 3 * then.tasks + RESERVED_PIDS >= pidMax) return undefined;
  const distance = (pid: number) => (pid - then.lastPid + pidMax) % pidMax;
  const travelled = distance(now.lastPid);
  return (pid) => {
    const d = distance(pid);
    return d > 0 && d <= travelled;
  };
}

/** The live pids handed out since `mark`, or undefined when that cannot be told (look at every pid then). */
export function pidsSince(mark: PidMark): number[] | undefined {
  // Listed first: what is handed out after the listing is no more missed than by a full look.
  const listed = listPids();
  const now = markPids();
  const pidMax = Number(readKernelText('/proc/sys/kernel/pid_max'));
  if (!now || !Number.isInteger(pidMax) || pidMax <= RESERVED_PIDS) return undefined;
  const since = handedOutBetween(mark, now, pidMax);
  return since && listed.filter(since);
}

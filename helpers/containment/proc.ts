import { closeSync, openSync, readFileSync, readSync, readdirSync, statSync } from 'node:fs';

/**
 * What the process table says about one process, read from /proc on Linux. `startTime` is in clock
 * ticks since boot: together with the pid it names one process for the life of the machine, which
 * is how we prove a pid still belongs to the process we mean before signalling it.
 */
export interface ProcStat {
  pid: number;
  state: string;
  ppid: number;
  pgrp: number;
  startTime: number;
  /** A kernel thread: it has no command line, ever. */
  kernelThread: boolean;
}

/** PF_KTHREAD in the flags of /proc/<pid>/stat. */
const KERNEL_THREAD_FLAG = 0x00200000;

export const hasProcFs: boolean = (() => {
  try {
    readFileSync('/proc/self/stat');
    return true;
  } catch {
    return false;
  }
})();

let readBuffer = Buffer.allocUnsafe(4096);

/**
 * A small file the kernel generates (/proc, cgroupfs), read with one open, reads until the end,
 * and one close: readFileSync also stats the file first and costs about four times as much, which
 * a look at the whole process table pays once per process. Undefined when it cannot be read.
 */
export function readKernelText(file: string): string | undefined {
  let fd: number | undefined;
  try {
    fd = openSync(file, 'r');
    let length = 0;
    for (;;) {
      if (length === readBuffer.length) {
        const grown = Buffer.allocUnsafe(readBuffer.length * 2);
        readBuffer.copy(grown);
        readBuffer = grown;
      }
      const bytesRead = readSync(fd, readBuffer, length, readBuffer.length - length, null);
      if (bytesRead === 0) break;
      length += bytesRead;
    }
    return readBuffer.toString('latin1', 0, length);
  } catch {
    return undefined;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** One line of under a kilobyte, which the kernel writes whole at the first read. */
function readStatLine(pid: number): string | undefined {
  let fd: number | undefined;
  try {
    fd = openSync(`/proc/${pid}/stat`, 'r');
    const length = readSync(fd, readBuffer, 0, readBuffer.length, null);
    return readBuffer.toString('latin1', 0, length);
  } catch {
    return undefined;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

export function readProcStat(pid: number): ProcStat | undefined {
  const text = readStatLine(pid);
  if (text === undefined) return undefined;
  // The command name (field 2) is in parentheses and may itself contain spaces and parentheses.
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  return {
    pid,
    state: fields[0] ?? '?',
    ppid: Number(fields[1]),
    pgrp: Number(fields[2]),
    startTime: Number(fields[19]),
    kernelThread: (Number(fields[6]) & KERNEL_THREAD_FLAG) !== 0,
  };
}

/** True when the pid names a process that has not ended (a zombie has ended). */
export function isAlive(pid: number, startTime?: number): boolean {
  if (hasProcFs) {
    const stat = readProcStat(pid);
    if (!stat || stat.state === 'Z' || stat.state === 'X') return false;
    return startTime === undefined || stat.startTime === startTime;
  }
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export function listPids(): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    const c = entry.charCodeAt(0);
    if (c >= 48 && c <= 57) pids.push(Number(entry));
  }
  return pids;
}

/** The command line with its arguments joined by spaces; '' for zombies and kernel threads. */
export function readCommandLine(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0$/, '').replaceAll('\0', ' ');
  } catch {
    return '';
  }
}

/** The value of one environment variable of another process, or undefined (absent or unreadable). */
export function readEnvironmentVariable(pid: number, name: string): string | undefined {
  return readEnvironmentVariables(pid, [name])[0];
}

/** The values of some environment variables of another process, read at one look. */
export function readEnvironmentVariables(pid: number, names: readonly string[]): Array<string | undefined> {
  const environ = readEnvironment(pid);
  return names.map((name) => (environ ? variableIn(environ, name) : undefined));
}

/** Another process's whole environment, NUL-separated; undefined when it is gone or not ours to read. */
export function readEnvironment(pid: number): Buffer | undefined {
  try {
    return readFileSync(`/proc/${pid}/environ`);
  } catch {
    return undefined;
  }
}

/** One variable of an environment as /proc gives it. */
export function variableIn(environ: Buffer, name: string): string | undefined {
  const key = Buffer.from(`${name}=`);
  let at = environ.indexOf(key);
  while (at > 0 && environ[at - 1] !== 0) at = environ.indexOf(key, at + 1);
  if (at < 0) return undefined;
  const end = environ.indexOf(0, at);
  return environ.subarray(at + key.length, end < 0 ? environ.length : end).toString('utf8');
}

/** Live processes whose DAEMON_STEPS_RUN marker satisfies `accept`. */
export function processesWithMarker(accept: (marker: string) => boolean): Array<ProcStat & { marker: string }> {
  if (!hasProcFs) return [];
  const found: Array<ProcStat & { marker: string }> = [];
  for (const pid of listPids()) {
    if (pid === process.pid) continue;
    const marker = readEnvironmentVariable(pid, 'DAEMON_STEPS_RUN');
    if (marker === undefined || !accept(marker)) continue;
    const stat = readProcStat(pid);
    if (stat && stat.state !== 'Z' && stat.state !== 'X') found.push({ ...stat, marker });
  }
  return found;
}

/** Every live (not zombie) process, keyed by pid: one look at the process table (or at the pids given). */
export function snapshotProcesses(pids?: Iterable<number>): Map<number, ProcStat> {
  const live = new Map<number, ProcStat>();
  if (!hasProcFs) return live;
  for (const pid of pids ?? listPids()) {
    const stat = readProcStat(pid);
    if (stat && stat.state !== 'Z' && stat.state !== 'X') live.set(pid, stat);
  }
  return live;
}

/** The runner and every process above it: never ours to signal, whatever a pid file says. */
export function runnerAndAncestors(): Set<number> {
  const pids = new Set<number>();
  for (let pid = process.pid; pid > 0 && !pids.has(pid); pid = readProcStat(pid)?.ppid ?? 0) pids.add(pid);
  return pids;
}

/** Linux reports start times in USER_HZ ticks, which is 100 on every architecture it runs on. */
export const TICKS_PER_SECOND = 100;

/** Now, on the scale of start times (ticks since boot); undefined without /proc. */
export function ticksNow(): number | undefined {
  try {
    const uptimeSeconds = Number(readFileSync('/proc/uptime', 'latin1').split(' ')[0]);
    return Number.isFinite(uptimeSeconds) ? Math.floor(uptimeSeconds * TICKS_PER_SECOND) : undefined;
  } catch {
    return undefined;
  }
}

/** The process a pid belongs to: itself, or for a thread's id the process whose thread it is. */
export function threadGroupOf(pid: number): number | undefined {
  try {
    const match = /^Tgid:\s+(\d+)$/m.exec(readFileSync(`/proc/${pid}/status`, 'latin1'));
    return match ? Number(match[1]) : undefined;
  } catch {
    return undefined;
  }
}

/** The user a process runs as (the owner of its /proc entry); undefined when it is gone or unknown. */
export function ownerOf(pid: number): number | undefined {
  try {
    return statSync(`/proc/${pid}`).uid;
  } catch {
    return undefined;
  }
}

/** When a process started, as wall-clock milliseconds (Date.now()'s scale); undefined without /proc. */
export function startedAtMs(stat: ProcStat): number | undefined {
  let uptimeSeconds: number;
  try {
    uptimeSeconds = Number(readFileSync('/proc/uptime', 'latin1').split(' ')[0]);
  } catch {
    return undefined;
  }
  if (!Number.isFinite(uptimeSeconds)) return undefined;
  return Date.now() - (uptimeSeconds * 1000 - (stat.startTime * 1000) / TICKS_PER_SECOND);
}

/** Sends a signal; false when the process (or group, for a negative pid) is already gone. */
export function sendSignal(pid: number, signal: NodeJS.Signals | number): boolean {
  try {
    process.kill(pid, signal);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ESRCH') return false;
    throw error;
  }
}

/**
 * Signals a process that is not our own child only if it is still the process we recorded: same
 * pid and same start time. Pid reuse can then never make us signal a stranger.
 */
export function signalIfSame(pid: number, startTime: number, signal: NodeJS.Signals | number): boolean {
  if (hasProcFs) {
    const stat = readProcStat(pid);
    if (!stat || stat.startTime !== startTime) return false;
  }
  return sendSignal(pid, signal);
}

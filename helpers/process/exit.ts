import { formatSeconds } from '../errors.js';

/**
 * What ended a process, as far as daemon-steps can tell from the signals it sent itself:
 * - `by-itself`: it exited, or died of a signal a process raises on its own faults (SIGSEGV,
 *   SIGABRT, …), with no signal of ours behind it;
 * - `stopped`: it ended on the first signal of our stop (SIGTERM, or the one asked for), within the grace;
 * - `forced`: the grace of our stop ran out and our SIGKILL ended it;
 * - `killed`: our kill ended it, SIGKILL at once;
 * - `signalled-by-us`: it died of a signal we sent it without stopping it (`sendSignal`);
 * - `signalled-by-someone-else`: it died of a signal we never sent it — from another process (a
 *   test's own `kill`, the OOM killer), or from itself signalling its group (`kill -KILL $$`);
 * - `unknown`: it was not our child, so nothing of how it ended is known.
 */
export type ExitCause =
  | 'by-itself'
  | 'stopped'
  | 'forced'
  | 'killed'
  | 'signalled-by-us'
  | 'signalled-by-someone-else'
  | 'unknown';

/** The stop that ended a process: its first signal and the grace that signal had before SIGKILL. */
export interface EndingStop {
  signal: NodeJS.Signals;
  graceMs: number;
}

/**
 * How a process ended: exactly one of `code` and `signal` is set — or neither, for a process that
 * was not our child (an attached service), whose exit status cannot be known — and what ended it.
 */
export interface ExitRecord {
  code: number | null;
  signal: NodeJS.Signals | null;
  cause: ExitCause;
  /** For `stopped` and `forced`: the stop that ended it. */
  stop?: EndingStop;
}

/** A signal we sent a process, and what it means should the process die of it. */
export type SentSignal =
  | { signal: NodeJS.Signals; cause: 'stopped' | 'forced'; stop: EndingStop }
  | { signal: NodeJS.Signals; cause: 'killed' | 'signalled-by-us' };

/** Signals the kernel sends a process for what it did itself, or that it raises on itself (abort, alarm). */
const SELF_INFLICTED: ReadonlySet<NodeJS.Signals> = new Set<NodeJS.Signals>([
  'SIGSEGV',
  'SIGBUS',
  'SIGFPE',
  'SIGILL',
  'SIGABRT',
  'SIGTRAP',
  'SIGSYS',
  'SIGXCPU',
  'SIGXFSZ',
  'SIGPIPE',
  'SIGALRM',
  'SIGVTALRM',
  'SIGPROF',
]);

export const UNKNOWN_EXIT: ExitRecord = Object.freeze({ code: null, signal: null, cause: 'unknown' });

/**
 * The exit record of our child that ended with `code` or `signal`, after we had sent it `sent` (in
 * order). The first signal of ours it could have died of is the cause: a SIGKILL sent later, by a
 * kill or an escalation, does not hide the signal that ended it. An exit with a code during our stop
 * is the stop obeyed (a signal handler that exits).
 */
export function recordExit(code: number | null, signal: NodeJS.Signals | null, sent: readonly SentSignal[]): ExitRecord {
  if (signal === null) {
    const stop = sent.find((s) => s.cause === 'stopped');
    return stop?.cause === 'stopped' ? { code, signal, cause: 'stopped', stop: stop.stop } : { code, signal, cause: 'by-itself' };
  }
  const ours = sent.find((s) => s.signal === signal);
  if (ours?.cause === 'stopped' || ours?.cause === 'forced') return { code, signal, cause: ours.cause, stop: ours.stop };
  if (ours) return { code, signal, cause: ours.cause };
  return { code, signal, cause: SELF_INFLICTED.has(signal) ? 'by-itself' : 'signalled-by-someone-else' };
}

export function describeExit(exit: ExitRecord): string {
  if (exit.cause === 'forced' && exit.stop) {
    return `was killed by signal ${exit.signal} after the ${formatSeconds(exit.stop.graceMs)} grace (it did not end on ${exit.stop.signal})`;
  }
  if (exit.signal !== null) return `was killed by signal ${exit.signal}`;
  if (exit.code === null) return 'has ended (it was not started by this process, so how it ended is unknown)';
  return `exited with code ${exit.code}`;
}

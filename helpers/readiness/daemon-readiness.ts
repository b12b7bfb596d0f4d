import { realClock, type Clock } from '../supervision/clock.js';
import {
  DaemonExitedError,
  DaemonStepsError,
  ReadinessAbortedError,
  ReadinessFailedError,
  ReadinessTimeoutError,
  describeDaemon,
  formatSeconds,
  type DaemonContext,
  type OutputTails,
} from '../errors.js';
import { describeExit, UNKNOWN_EXIT, type ExitRecord } from '../process/exit.js';
import { pollUntil } from './poll.js';
import { probeFor, type ProbeTarget, type ReadyCondition } from './probe.js';
import { waitUntilReady, type ReadinessOptions, type ReadinessResult } from './race.js';

/** The daemon a readiness wait is for, as its messages need it. */
export interface ReadinessSubject {
  readonly context: DaemonContext;
  readonly isRunning: boolean;
  readonly pid: number | undefined;
  readonly exit: ExitRecord | undefined;
  tails(): OutputTails;
}

/** The race's options, with conditions for one daemon in place of probes. */
export interface DaemonReadinessOptions extends Omit<ReadinessOptions, 'probes'> {
  conditions: readonly ReadyCondition[];
  target: ProbeTarget;
  subject: ReadinessSubject;
}

/**
 * Waits until every condition holds for one daemon, or throws the error that says why not: it
 * exited first (with its exit and output), a probe found it hopeless, the deadline passed, or the
 * wait was aborted.
 */
export async function awaitDaemonReady(options: DaemonReadinessOptions): Promise<void> {
  const { subject } = options;
  const probes = options.conditions.map((condition) => probeFor(condition, options.target));
  const result = await waitUntilReady({
    probes,
    timeoutMs: options.timeoutMs,
    exited: options.exited,
    afterExit: options.afterExit,
    nudges: options.nudges,
    signal: options.signal,
    clock: options.clock,
  });
  if (!result.ready) throw await readinessError(subject, result, options.timeoutMs);
}

/**
 * Readiness of a process that is not our child (adopted through its pid file): its end is noticed
 * by looking, and its exit status is unknown.
 */
export async function awaitAdoptedReady(
  adopted: ReadinessSubject & { readonly name: string; readonly pid: number; readonly port: number | undefined },
  conditions: readonly ReadyCondition[],
  options: { host: string; workspace: string; timeoutMs: number; signal?: AbortSignal; clock?: Clock },
): Promise<void> {
  const clock = options.clock ?? realClock;
  const watching = new AbortController();
  const gone = pollUntil(() => (adopted.isRunning ? undefined : UNKNOWN_EXIT), { timeoutMs: Infinity, clock, signal: watching.signal });
  try {
    await awaitDaemonReady({
      conditions,
      target: { name: adopted.name, pid: adopted.pid, host: options.host, port: adopted.port, workspace: options.workspace, from: { stdout: 0, stderr: 0 } },
      subject: adopted,
      timeoutMs: options.timeoutMs,
      exited: gone.then((exit) => exit ?? UNKNOWN_EXIT, () => new Promise<ExitRecord>(() => undefined)),
      signal: options.signal,
      clock,
    });
  } finally {
    watching.abort();
  }
}

async function readinessError(subject: ReadinessSubject, result: Exclude<ReadinessResult, { ready: true }>, timeoutMs: number): Promise<DaemonStepsError> {
  const context = subject.context;
  const awaited = result.pending.map((p) => p.describe()).join(' and ');
  const failures = result.pending.map((p) => p.lastFailure?.()).filter(Boolean);
  if (result.reason === 'timeout') failures.push(...(await Promise.all(result.pending.map((p) => p.hint?.()))).filter(Boolean));
  const lastAttempt = failures.length > 0 ? ` (last attempt: ${failures.join('; ')})` : '';
  const fields = { daemon: context, awaited, timeoutMs, elapsedMs: result.elapsedMs };
  if (result.reason === 'exited') {
    return new DaemonExitedError(
      `${describeDaemon(context)} ${describeExit(result.exit)} after ${formatSeconds(result.elapsedMs)}, before it was ready: ` +
        `it was waiting for ${awaited}${lastAttempt}`,
      { ...fields, exit: result.exit, output: subject.tails() },
    );
  }
  const alive = subject.isRunning ? `the process is still running (pid ${subject.pid})` : `the process ${subject.exit ? describeExit(subject.exit) : 'has ended'}`;
  if (result.reason === 'hopeless') {
    const why = result.error instanceof Error ? (result.error instanceof DaemonStepsError ? result.error.headline : result.error.message) : String(result.error);
    return new ReadinessFailedError(`${describeDaemon(context)} cannot become ready: waiting for ${result.probe.describe()} failed: ${why}; ${alive}`, {
      ...fields,
      exit: subject.exit,
      output: subject.tails(),
      cause: result.error,
    });
  }
  if (result.reason === 'aborted') {
    return new ReadinessAbortedError(`the wait for ${describeDaemon(context)} to be ready was aborted after ${formatSeconds(result.elapsedMs)}: it was waiting for ${awaited}; ${alive}`, {
      ...fields,
      exit: subject.exit,
      output: subject.tails(),
    });
  }
  return new ReadinessTimeoutError(`${describeDaemon(context)} was not ready within ${formatSeconds(timeoutMs)}: waited for ${awaited}${lastAttempt}; ${alive}`, {
    ...fields,
    exit: subject.exit,
    output: subject.tails(),
  });
}

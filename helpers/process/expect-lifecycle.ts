import type { Daemon, DaemonState } from './daemon.js';
import { ExpectationError } from '../errors.js';
import { describeExit } from './exit.js';
import type { ManagedProcess } from './managed-process.js';

/** `Then background process NAME is running`: alive now (a zombie is not). */
export function expectRunning(entry: ManagedProcess): void {
  if (entry.isRunning) return;
  const how = entry.exit ? describeExit(entry.exit) : 'has ended';
  throw new ExpectationError(
    `daemon '${entry.name}' is not running: it ${how} (state ${entry.state})`,
    { actual: false, expected: true, diffable: false },
    { daemon: entry.context, exit: entry.exit, output: entry.tails() },
  );
}

/** `Then background process NAME is in state STATE`, for a spawned or an adopted process. */
export function expectState(entry: ManagedProcess, state: DaemonState): void {
  if (entry.state === state) return;
  throw new ExpectationError(
    `daemon '${entry.name}' is in state ${entry.state}, not ${state}`,
    { actual: entry.state, expected: state, diffable: true },
    { daemon: entry.context, output: entry.tails() },
  );
}

/** `Then background process NAME is not running` */
export function expectNotRunning(entry: ManagedProcess): void {
  if (!entry.isRunning) return;
  throw new ExpectationError(
    `daemon '${entry.name}' is still running (pid ${entry.pid}, state ${entry.state})`,
    { actual: true, expected: false, diffable: false },
    { daemon: entry.context },
  );
}

/**
 * `Then background process NAME exited with code N`; a daemon still running, or adopted, is an error
 * saying so. `actual` is null when it was killed by a signal.
 */
export function expectExitCode(entry: ManagedProcess, code: number): void {
  const exit = entry.requireExit();
  if (exit.code === code) return;
  throw new ExpectationError(
    `daemon '${entry.name}' should have exited with code ${code}, but it ${describeExit(exit)}`,
    { actual: exit.code, expected: code, diffable: true },
    { daemon: entry.context, exit, output: entry.tails() },
  );
}

/** `Then background process NAME was killed by signal SIGNAL`; `actual` is null when it exited by itself. */
export function expectKilledBySignal(entry: ManagedProcess, signal: NodeJS.Signals): void {
  const exit = entry.requireExit();
  if (exit.signal === signal) return;
  throw new ExpectationError(
    `daemon '${entry.name}' should have been killed by signal ${signal}, but it ${describeExit(exit)}`,
    { actual: exit.signal, expected: signal, diffable: true },
    { daemon: entry.context, exit, output: entry.tails() },
  );
}

/** `Then background process NAME has been restarted N times`: restarts that have happened, not ones scheduled. */
export function expectRestarts(daemon: Daemon, count: number): void {
  if (daemon.restarts === count) return;
  throw new ExpectationError(
    `daemon '${daemon.name}' has been restarted ${daemon.restarts} time${daemon.restarts === 1 ? '' : 's'}, not ${count}`,
    { actual: daemon.restarts, expected: count, diffable: true },
    { daemon: daemon.context },
  );
}

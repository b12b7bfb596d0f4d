import type { DaemonState } from './daemon.js';
import { DaemonStepsError } from './errors.js';
import { describeExit } from './exit.js';
import type { ManagedProcess } from './managed-process.js';

/** `Then background process NAME is running`: alive now (a zombie is not). */
export function expectRunning(entry: ManagedProcess): void {
  if (entry.isRunning) return;
  const how = entry.exit ? describeExit(entry.exit) : 'has ended';
  throw new DaemonStepsError(`daemon '${entry.name}' is not running: it ${how} (state ${entry.state})`, {
    daemon: entry.context,
    exit: entry.exit,
    output: entry.tails(),
  });
}

/** `Then background process NAME is in state STATE`, for a spawned or an adopted process. */
export function expectState(entry: ManagedProcess, state: DaemonState): void {
  if (entry.state === state) return;
  throw new DaemonStepsError(`daemon '${entry.name}' is in state ${entry.state}, not ${state}`, { daemon: entry.context, output: entry.tails() });
}

/** `Then background process NAME is not running` */
export function expectNotRunning(entry: ManagedProcess): void {
  if (!entry.isRunning) return;
  throw new DaemonStepsError(`daemon '${entry.name}' is still running (pid ${entry.pid}, state ${entry.state})`, { daemon: entry.context });
}

/** `Then background process NAME exited with code N`; a daemon still running, or adopted, is an error saying so. */
export function expectExitCode(entry: ManagedProcess, code: number): void {
  const exit = entry.requireExit();
  if (exit.code === code) return;
  throw new DaemonStepsError(`daemon '${entry.name}' should have exited with code ${code}, but it ${describeExit(exit)}`, {
    daemon: entry.context,
    exit,
    output: entry.tails(),
  });
}

/** `Then background process NAME was killed by signal SIGNAL` */
export function expectKilledBySignal(entry: ManagedProcess, signal: NodeJS.Signals): void {
  const exit = entry.requireExit();
  if (exit.signal === signal) return;
  throw new DaemonStepsError(`daemon '${entry.name}' should have been killed by signal ${signal}, but it ${describeExit(exit)}`, {
    daemon: entry.context,
    exit,
    output: entry.tails(),
  });
}

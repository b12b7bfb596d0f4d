import { DaemonStepsError, NotExitedError, describeDaemon, formatSeconds } from '../errors.js';
import { waitAborted, whenAborted, type SettledWait } from '../readiness/wait-options.js';
import type { DaemonProcess } from './daemon-process.js';
import type { ExitRecord } from './exit.js';
import type { DaemonState } from './lifecycle.js';
import type { ProcessRun } from './spawn.js';
import { waitForStates } from './wait-for-state.js';

/** A daemon's wait for a state, on the one "wait for a state": `fatal` is the error when it is FATAL instead. */
export async function waitForDaemonState(daemon: DaemonProcess, state: DaemonState, wait: SettledWait, fatal: () => Error): Promise<void> {
  const { timeoutMs, signal, clock } = wait;
  await waitForStates<DaemonState>(
    { current: daemon.state, subscribe: (listener) => (daemon.on('state', listener), () => daemon.off('state', listener)) },
    {
      judge: (now) => (now === state ? 'done' : now === 'FATAL' ? fatal() : 'wait'),
      timeoutMs,
      clock,
      atDeadline: () =>
        new DaemonStepsError(`${describeDaemon(daemon.context)} did not reach state ${state} within ${formatSeconds(timeoutMs)}; it is ${daemon.state}`, {
          daemon: daemon.context,
          awaited: `state ${state}`,
          timeoutMs,
          output: daemon.tails(),
        }),
      signal,
      aborted: (elapsedMs) => waitAborted(`${describeDaemon(daemon.context)} to reach state ${state}`, { daemon: daemon.context, timeoutMs, elapsedMs }),
    },
  );
}

/** Resolves with how `run` ended; a `NotExitedError` after the timeout, a `ReadinessAbortedError` at an abort. */
export async function waitForRunExit(daemon: DaemonProcess, run: ProcessRun, wait: SettledWait): Promise<ExitRecord> {
  const { timeoutMs, signal, clock } = wait;
  const started = clock.now();
  const controller = new AbortController();
  try {
    const exit = await Promise.race([run.exited, clock.sleep(timeoutMs, controller.signal).then(() => 'timeout' as const), whenAborted(signal, controller.signal)]);
    if (exit === 'aborted') {
      throw waitAborted(`${describeDaemon(daemon.context)} to exit`, { daemon: daemon.context, timeoutMs, elapsedMs: clock.now() - started, output: daemon.tails() });
    }
    if (exit === 'timeout') {
      throw new NotExitedError(`${describeDaemon(daemon.context)} did not exit within ${formatSeconds(timeoutMs)}; it is still running (pid ${run.pid})`, {
        daemon: daemon.context,
        timeoutMs,
        output: daemon.tails(),
      });
    }
    return exit;
  } finally {
    controller.abort();
  }
}

import { realClock } from './clock.js';
import type { DaemonState } from '../process/daemon.js';
import type { ReadonlyDaemon } from '../process/readonly-daemon.js';
import { ExpectationError, describeDaemon, formatSeconds } from '../errors.js';
import { waitForStates } from '../process/wait-for-state.js';
import { settleWait, waitAborted, type WaitOptions } from '../readiness/wait-options.js';

/** A wait's options, where `timeout` (required) is how long the state must hold. */
export type StayOptions = WaitOptions & { timeout: number };

/**
 * Resolves when the daemon has stayed in `state` for `timeout` ms; rejects at the first change (or
 * at once when it is not in that state), or with a `ReadinessAbortedError` when `signal` is
 * aborted. For "nothing happens": e.g. a stopped daemon is not restarted. It waits on the daemon's
 * state events against one deadline, never polls.
 */
export async function expectStaysInState(daemon: ReadonlyDaemon, state: DaemonState, options: StayOptions): Promise<void> {
  const { timeoutMs, signal, clock } = settleWait(options, options.timeout, realClock);
  const awaited = `state ${state} for ${formatSeconds(timeoutMs)}`;
  const didNotStay = (now: DaemonState, afterMs?: number) =>
    new ExpectationError(
      `${describeDaemon(daemon.context)} should have stayed in ${awaited}, but ` +
        (afterMs === undefined ? `it is ${now}` : `after ${formatSeconds(afterMs)} it went to ${now}`),
      { actual: now, expected: state, diffable: true },
      { daemon: daemon.context, awaited, output: daemon.tails() },
    );
  const started = clock.now();
  await waitForStates<DaemonState>(
    { current: daemon.state, subscribe: (listener) => (daemon.on('state', listener), () => daemon.off('state', listener)) },
    {
      judge: (now, change) => (change ? didNotStay(now, clock.now() - started) : now === state ? 'wait' : didNotStay(now)),
      timeoutMs,
      clock,
      atDeadline: () => undefined,
      signal,
      aborted: (elapsedMs) => waitAborted(`${describeDaemon(daemon.context)} to stay in ${awaited}`, { daemon: daemon.context, timeoutMs, elapsedMs }),
    },
  );
}

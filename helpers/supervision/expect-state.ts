import { realClock, type Clock } from './clock.js';
import type { DaemonState } from '../process/daemon.js';
import type { ReadonlyDaemon } from '../process/readonly-daemon.js';
import { ExpectationError, describeDaemon, formatSeconds } from '../errors.js';
import { waitForStates } from '../process/wait-for-state.js';

/**
 * Resolves when the daemon has stayed in `state` for `durationMs`; rejects at the first change (or
 * at once when it is not in that state). For "nothing happens": e.g. a stopped daemon is not
 * restarted. It waits on the daemon's state events against one deadline, never polls.
 */
export async function expectStaysInState(daemon: ReadonlyDaemon, state: DaemonState, durationMs: number, clock: Clock = realClock): Promise<void> {
  const didNotStay = (now: DaemonState, afterMs?: number) =>
    new ExpectationError(
      `${describeDaemon(daemon.context)} should have stayed in state ${state} for ${formatSeconds(durationMs)}, but ` +
        (afterMs === undefined ? `it is ${now}` : `after ${formatSeconds(afterMs)} it went to ${now}`),
      { actual: now, expected: state, diffable: true },
      { daemon: daemon.context, awaited: `state ${state} for ${formatSeconds(durationMs)}`, output: daemon.tails() },
    );
  const started = clock.now();
  await waitForStates<DaemonState>(
    { current: daemon.state, subscribe: (listener) => (daemon.on('state', listener), () => daemon.off('state', listener)) },
    {
      judge: (now, change) => (change ? didNotStay(now, clock.now() - started) : now === state ? 'wait' : didNotStay(now)),
      timeoutMs: durationMs,
      clock,
      atDeadline: () => undefined,
    },
  );
}

import { sayRemedy, wording } from '../remedies.js';
import type { Daemon } from '../process/daemon.js';
import type { OwnerOnly, ReadonlyDaemon } from '../process/readonly-daemon.js';
import { SharedServiceError } from '../errors.js';

/** Who may end a shared service: the worker's shared scope, or the `daemon-steps run` that started it. */
export type SharedOwner = { kind: 'worker' } | { kind: 'run'; controlPid: number };

/**
 * A shared service as a scope that merely uses it holds it: everything can be read (port, pid,
 * state, output, waits), nothing that would end or change it is there — a call to one fails to
 * compile. (The object behind it still refuses them at run time, for JavaScript.) The instance
 * of a `daemon-steps run` takes writes to its stdin: write through the scope, `scope.get(name)`.
 */
export type SharedDaemon = ReadonlyDaemon;

/** What a scope that merely uses a shared service may not do to it, and how to say so. */
const REFUSED: Record<Exclude<OwnerOnly, typeof Symbol.asyncDispose>, { verb: string; async: boolean; external?: boolean }> = {
  stop: { verb: 'stop', async: true },
  kill: { verb: 'kill', async: true },
  restart: { verb: 'restart', async: true },
  respawn: { verb: 'restart', async: true },
  sendSignal: { verb: 'signal', async: false },
  closeStdin: { verb: 'close the stdin of', async: false },
  writeStdin: { verb: 'write to the stdin of', async: true, external: true },
  closeFiles: { verb: 'close the output files of', async: false },
};

/**
 * A shared service as a scope that uses it sees it: everything can be read (port, pid, state,
 * output, waits), but nothing that would end or change it for the other scopes using it — those
 * methods throw a SharedServiceError that says who owns it. The daemon itself is untouched: its
 * owner stops it. Typed as a whole `Daemon` for the scope's registry, through which the steps reach
 * it by name and get these refusals as their messages; hand users a `SharedDaemon`.
 */
export function sharedView(daemon: Daemon, owner: SharedOwner): Daemon {
  const refusals = new Map<PropertyKey, () => unknown>();
  for (const [method, { verb, async, external }] of Object.entries(REFUSED)) {
    if (external && owner.kind !== 'run') continue;
    const error = () => refusal(daemon, verb, owner);
    refusals.set(method, async ? () => Promise.reject(error()) : () => {
      throw error();
    });
  }
  refusals.set(Symbol.asyncDispose, () => Promise.reject(refusal(daemon, 'dispose of', owner)));
  return new Proxy(daemon, {
    get(target, property) {
      const refused = refusals.get(property);
      if (refused) return refused;
      const value = Reflect.get(target, property, target) as unknown;
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
    set() {
      return false;
    },
  });
}

function refusal(daemon: Daemon, verb: string, owner: SharedOwner): SharedServiceError {
  const who =
    owner.kind === 'worker'
      ? `other ${wording().scope}s use it too, and it is stopped when the test run ends`
      : `it is the instance that daemon-steps run started (control pid ${owner.controlPid}), which alone stops it: eval "$(daemon-steps stop)"`;
  return new SharedServiceError(
    `cannot ${verb} shared service '${daemon.name}' here: ${who}; ` +
      sayRemedy({ kind: 'own-daemon-for', verb }),
    { daemon: daemon.context },
  );
}

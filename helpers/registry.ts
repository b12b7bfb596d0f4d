import { DuplicateDaemonError, UnknownDaemonError } from './errors.js';
import type { Daemon } from './daemon.js';
import { isInScope, MARKER_VARIABLE } from './marker.js';
import { processesWithMarker, signalIfSame } from './proc.js';
import type { StopOutcome } from './terminate.js';

/**
 * The named daemons of one scope (a scenario, a worker's shared services, a command-line session).
 * Names are unique within it; `stopAll()` ends every daemon in parallel and then anything still
 * carrying the scope's marker.
 */
export class DaemonRegistry implements AsyncDisposable {
  private readonly daemons = new Map<string, Daemon>();
  /** Daemons another scope owns, reachable here by name: shared services. Never stopped from here. */
  private readonly shared = new Map<string, Daemon>();

  constructor(readonly scopeMarker: string) {}

  /** Throws when the name is taken, before anything is spawned. */
  assertNameFree(name: string): void {
    const existing = this.daemons.get(name) ?? this.shared.get(name);
    if (existing) throw new DuplicateDaemonError(name, existing.spec.commandLine, existing.isRunning);
  }

  add(daemon: Daemon): Daemon {
    this.assertNameFree(daemon.name);
    this.daemons.set(daemon.name, daemon);
    return daemon;
  }

  /** Makes a daemon that another scope owns (a shared service) reachable here by name; `stopAll` leaves it alone. */
  share(daemon: Daemon): Daemon {
    this.assertNameFree(daemon.name);
    this.shared.set(daemon.name, daemon);
    return daemon;
  }

  get(name: string): Daemon {
    const daemon = this.daemons.get(name) ?? this.shared.get(name);
    if (!daemon) throw new UnknownDaemonError(name, this.names());
    return daemon;
  }

  has(name: string): boolean {
    return this.daemons.has(name) || this.shared.has(name);
  }

  names(): string[] {
    return [...this.daemons.keys(), ...this.shared.keys()];
  }

  /** The daemons this scope owns (shared ones left out). */
  all(): Daemon[] {
    return [...this.daemons.values()];
  }

  /** The shared services this scope uses. */
  sharedDaemons(): Daemon[] {
    return [...this.shared.values()];
  }

  /**
   * Stops every daemon at once (the teardown costs about one grace, not one per daemon), then
   * SIGKILLs any process still carrying this scope's marker.
   */
  async stopAll(graceMs: number): Promise<StopOutcome[]> {
    const outcomes = await Promise.allSettled(this.all().map((daemon) => daemon.stop({ graceMs })));
    for (const leftover of processesWithMarker((marker) => isInScope(marker, this.scopeMarker))) {
      signalIfSame(leftover.pid, leftover.startTime, 'SIGKILL');
    }
    for (const daemon of this.all()) daemon.closeFiles();
    const failure = outcomes.find((o): o is PromiseRejectedResult => o.status === 'rejected');
    if (failure) throw failure.reason;
    return outcomes.map((o) => (o as PromiseFulfilledResult<StopOutcome>).value);
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.stopAll(3000);
  }
}

export { MARKER_VARIABLE };

import { sayRemedy } from './remedies.js';
import { AdoptedProcessError, DuplicateDaemonError, UnknownDaemonError, describeDaemon, throwStopFailures } from './errors.js';
import { Daemon } from './process/daemon.js';
import type { ManagedProcess } from './process/managed-process.js';
import { isInScope, thisRun } from './containment/marker.js';
import { endFamily, ProcessFamily, type StopOutcome } from './containment/terminate.js';

/**
 * The named processes of one scope (a scenario, a worker's shared services, a command-line
 * session): daemons it spawned and processes it adopted. Names are unique within it; `stopAll()`
 * ends every one in parallel and then anything still carrying the scope's marker.
 */
export class DaemonRegistry implements AsyncDisposable {
  private readonly entries = new Map<string, ManagedProcess>();
  /** Processes another scope owns, reachable here by name: shared services. Never stopped from here. */
  private readonly shared = new Map<string, Daemon>();

  constructor(readonly scopeMarker: string) {}

  /** Throws when the name is taken, before anything is spawned. */
  assertNameFree(name: string): void {
    const existing = this.entries.get(name) ?? this.shared.get(name);
    if (existing) throw new DuplicateDaemonError(name, existing.context.command ?? '', existing.isRunning);
  }

  add<T extends ManagedProcess>(entry: T): T {
    this.assertNameFree(entry.name);
    this.entries.set(entry.name, entry);
    return entry;
  }

  /** Makes a daemon that another scope owns (a shared service) reachable here by name; `stopAll` leaves it alone. */
  share(daemon: Daemon): Daemon {
    this.assertNameFree(daemon.name);
    this.shared.set(daemon.name, daemon);
    return daemon;
  }

  /** Any entry, spawned, adopted or shared: what the lifecycle steps (stop, signal, exit, is running) act on. */
  entry(name: string): ManagedProcess {
    const entry = this.entries.get(name) ?? this.shared.get(name);
    if (!entry) throw new UnknownDaemonError(name, this.names());
    return entry;
  }

  /** A daemon daemon-steps spawned (with output, stdin, restart); an adopted process is an error. */
  get(name: string): Daemon {
    const entry = this.entry(name);
    if (entry instanceof Daemon) return entry;
    throw new AdoptedProcessError(
      `${describeDaemon(entry.context)} was not started by daemon-steps: it has no captured output or stdin and cannot be restarted; ` +
        sayRemedy({ kind: 'read-adopted-log' }),
      { daemon: entry.context },
    );
  }

  has(name: string): boolean {
    return this.entries.has(name) || this.shared.has(name);
  }

  names(): string[] {
    return [...this.entries.keys(), ...this.shared.keys()];
  }

  /** The daemons spawned in this scope (adopted and shared ones left out). */
  all(): Daemon[] {
    return [...this.entries.values()].filter((entry): entry is Daemon => entry instanceof Daemon);
  }

  /** Every entry this scope owns, spawned or adopted (shared ones left out). */
  allEntries(): ManagedProcess[] {
    return [...this.entries.values()];
  }

  /** The shared services this scope uses. */
  sharedDaemons(): Daemon[] {
    return [...this.shared.values()];
  }

  /**
   * Stops every entry at once (the teardown costs about one grace, not one per daemon), then
   * SIGKILLs anything still carrying this scope's marker and waits until it is gone.
   */
  async stopAll(graceMs: number): Promise<StopOutcome[]> {
    const outcomes = await Promise.allSettled(this.allEntries().map((entry) => entry.stop({ graceMs })));
    await endFamily(
      new ProcessFamily({ acceptsMarker: (marker) => isInScope(marker, this.scopeMarker), startedNotBefore: thisRun.startTime }),
      { signal: 'SIGKILL', graceMs: 0 },
    );
    for (const entry of this.allEntries()) entry.closeFiles();
    throwStopFailures(outcomes);
    return outcomes.map((o) => (o as PromiseFulfilledResult<StopOutcome>).value);
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.stopAll(3000);
  }
}

import { sayRemedy } from './remedies.js';
import { AdoptedProcessError, DuplicateDaemonError, UnknownDaemonError, describeDaemon, throwStopFailures } from './errors.js';
import type { CapturedProcess, ManagedProcess } from './process/managed-process.js';
import { isInScope, thisRun } from './containment/marker.js';
import { ProcessFamily } from './containment/family.js';
import { endFamily, type StopOutcome } from './containment/terminate.js';
import { DEFAULTS } from './config.js';
import { cgroupOfScope, containmentInUse, type ContainmentSetting } from './containment/containment.js';
import { TICKS_PER_SECOND } from './containment/proc.js';
import type { PidMark } from './containment/pid-allocation.js';

export interface RegistryOptions {
  /** How the scope's daemons are contained: in cgroups, its own cgroup lists what is left of them. */
  containment?: ContainmentSetting;
  /** When the scope began, in /proc start-time ticks: no older process can carry its marker. */
  startedAtTicks?: number;
  /** The pid allocation when the scope began: what is left of it is among the pids handed out since. */
  since?: PidMark;
}

/**
 * The named processes of one scope (a scenario, a worker's shared services, a command-line
 * session): what it started and captures (`Captured`: a daemon; a container later), processes it
 * adopted, and shared services it uses. Names are unique within it; `stopAll()` ends every one it
 * owns in parallel and then anything still carrying the scope's marker. It knows its entries only
 * through `ManagedProcess` and `CapturedProcess`.
 */
export class DaemonRegistry<Captured extends CapturedProcess = CapturedProcess> implements AsyncDisposable {
  private readonly entries = new Map<string, ManagedProcess>();
  /** Processes another scope owns, reachable here by name: shared services. Never stopped from here. */
  private readonly shared = new Map<string, Captured>();

  constructor(
    readonly scopeMarker: string,
    private readonly options: RegistryOptions = {},
  ) {}

  /** Throws when the name is taken, before anything is spawned. */
  assertNameFree(name: string): void {
    const existing = this.entries.get(name) ?? this.shared.get(name);
    if (existing) throw new DuplicateDaemonError(name, existing.context.command ?? '', existing.isRunning);
  }

  /** An entry this scope owns: one it started (a `Captured`, its output captured) or adopted. */
  add<T extends ManagedProcess>(entry: T): T {
    this.assertNameFree(entry.name);
    this.entries.set(entry.name, entry);
    return entry;
  }

  /** Makes a process that another scope owns (a shared service) reachable here by name; `stopAll` leaves it alone. */
  share<T extends Captured>(entry: T): T {
    this.assertNameFree(entry.name);
    this.shared.set(entry.name, entry);
    return entry;
  }

  /** Any entry, spawned, adopted or shared: what the lifecycle steps (stop, signal, exit, is running) act on. */
  entry(name: string): ManagedProcess {
    const entry = this.entries.get(name) ?? this.shared.get(name);
    if (!entry) throw new UnknownDaemonError(name, this.names());
    return entry;
  }

  /** One whose output was captured (with output, stdin, restart); an adopted process is an error. */
  get(name: string): Captured {
    const entry = this.entry(name);
    if (isCaptured<Captured>(entry)) return entry;
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

  /** The processes started in this scope (adopted and shared ones left out). */
  all(): Captured[] {
    return [...this.entries.values()].filter((entry) => isCaptured<Captured>(entry));
  }

  /** Every entry this scope owns, spawned or adopted (shared ones left out). */
  allEntries(): ManagedProcess[] {
    return [...this.entries.values()];
  }

  /** The shared services this scope uses. */
  sharedDaemons(): Captured[] {
    return [...this.shared.values()];
  }

  /**
   * Stops every entry at once (the teardown costs about one grace, not one per daemon), then
   * SIGKILLs anything left in the scope's cgroup — or, contained by process group, anything still
   * carrying this scope's marker — and waits until it is gone.
   */
  async stopAll(graceMs: number): Promise<StopOutcome[]> {
    const outcomes = await Promise.allSettled(this.allEntries().map((entry) => entry.stop({ graceMs })));
    await endFamily(this.leftovers(), { signal: 'SIGKILL', graceMs: 0 });
    for (const entry of this.allEntries()) entry.closeFiles();
    throwStopFailures(outcomes);
    return outcomes.map((o) => (o as PromiseFulfilledResult<StopOutcome>).value);
  }

  /** What may be left of the scope: its cgroup lists it without a look at every process on the machine. */
  private leftovers(): ProcessFamily {
    const { containment, startedAtTicks, since } = this.options;
    const cgroup = containment && containmentInUse(containment).kind === 'cgroup' ? cgroupOfScope(this.scopeMarker) : undefined;
    if (cgroup) return new ProcessFamily({ cgroups: () => [cgroup] });
    return new ProcessFamily({
      acceptsMarker: (marker) => isInScope(marker, this.scopeMarker),
      // A second early: uptime and start times both count from boot, but are not read at one instant.
      startedNotBefore: startedAtTicks === undefined ? thisRun.startTime : startedAtTicks - TICKS_PER_SECOND,
      since,
    });
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.stopAll(DEFAULTS.stopGraceMs);
  }
}

/**
 * Whether the entry captured its output. A scope starts one kind of captured process (its
 * `Captured`), so an entry that says it captured its output is of that kind.
 */
function isCaptured<Captured extends CapturedProcess>(entry: ManagedProcess): entry is Captured {
  return entry.capturesOutput === true;
}

import type { OutputSpool } from '../output/output.js';

/**
 * One readiness condition: `check()` answers "ready yet?" (false = not yet; a throw = it never will
 * be), `describe()` says what is awaited, for messages ("port 8080 on 127.0.0.1 to accept a
 * connection"). Implement it for a condition of your own; the optional members make a probe
 * cheaper or its messages better, and the built-in probes use them.
 */
export interface Probe {
  describe(): string;
  check(): Promise<boolean>;
  /**
   * Re-checked on the polling schedule (the default). An event-driven probe sets it to false and
   * says through `watch` when to look again.
   */
  readonly polled?: boolean;
  watch?(wake: () => void): () => void;
  /** Why the last check said "not yet", e.g. "ConnectionRefusedError: connect ECONNREFUSED 127.0.0.1:8888". */
  lastFailure?(): string | undefined;
  /**
   * The look after the daemon has exited, when what it did is complete: it may take its time (read
   * everything the daemon wrote), where `check` answers from what it has seen so far. Without it,
   * `check` is asked, for at most a few milliseconds.
   */
  finalCheck?(): Promise<boolean>;
  /** Looked for once, when the wait has timed out: something that explains the failure, for the message. */
  hint?(): Promise<string | undefined>;
  /** Called once the wait is over, whatever its outcome. */
  dispose?(): void;
}

/** What a probe may need to know of the daemon it waits for; given to a `ProbeFactory` at each wait. */
export interface ProbeTarget {
  name: string;
  /** The process: its pid (the program itself, not a shell that is about to exec it). */
  pid: number | undefined;
  host: string;
  port: number | undefined;
  /** Where relative paths of the daemon's scope are resolved (its workspace). */
  workspace: string;
  stdout?: OutputSpool;
  stderr?: OutputSpool;
  /** Where in each stream this wait begins: a restart watches only what comes after it. */
  from: { stdout: number; stderr: number };
}

/** Makes a fresh probe for one wait of one daemon (its port, its output from the right offset…). */
export interface ProbeFactory {
  describe(): string;
  /** Needs the daemon's port: starting one without a port is refused before anything is spawned. */
  readonly needsPort?: boolean;
  /** Waits for the daemon's port itself (so a port does not add a second one). */
  readonly isPortProbe?: boolean;
  create(target: ProbeTarget): Probe;
}

/** What `ready` takes: a probe of your own, or a factory such as those `waitFor` makes. */
export type ReadyCondition = Probe | ProbeFactory;

export function isProbeFactory(condition: ReadyCondition): condition is ProbeFactory {
  return typeof (condition as ProbeFactory).create === 'function';
}

/** A condition as a probe for one wait of `target`. */
export function probeFor(condition: ReadyCondition, target: ProbeTarget): Probe {
  return isProbeFactory(condition) ? condition.create(target) : condition;
}

/** Whether a probe is re-checked on the polling schedule (the default) or waits for its events. */
export function isPolled(probe: Probe): boolean {
  return probe.polled !== false;
}

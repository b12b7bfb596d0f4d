import type { DaemonState } from './lifecycle.js';
import type { StopRequest } from './stop.js';
import type { DaemonContext, OutputTails } from '../errors.js';
import type { ExitRecord } from './exit.js';
import type { StopOutcome } from '../containment/terminate.js';
import type { OutputSpool } from '../output/output.js';
import type { WaitOptions } from '../readiness/wait-options.js';

/**
 * What every entry of a registry can do, whether daemon-steps spawned it (a `Daemon`) or found it
 * through a pid file (an `AdoptedProcess`): the lifecycle steps (stop, kill, send signal, wait to
 * exit, is running, exited with code) and the teardown work on either through this alone.
 */
export interface ManagedProcess {
  readonly name: string;
  readonly pid: number | undefined;
  readonly port: number | undefined;
  readonly state: DaemonState;
  readonly isRunning: boolean;
  /** How it ended: undefined while it runs, and always for a process that is not our child. */
  readonly exit: ExitRecord | undefined;
  /** Name, command and pid, for messages. */
  readonly context: DaemonContext;
  /** Whether its output was captured, so it can be read (then it is a `CapturedProcess`). */
  readonly capturesOutput: boolean;
  /**
   * The first signal (SIGTERM unless told) to its whole family, the grace, SIGKILL; back once all is
   * gone. A stop while another is under way signals nothing again: it shares that stop's outcome.
   */
  stop(request: StopRequest): Promise<StopOutcome>;
  /** SIGKILL to its whole family at once; back once all is gone. */
  kill(): Promise<StopOutcome>;
  /** Just the signal, to the process itself; it keeps its entry. */
  sendSignal(signal: NodeJS.Signals): void;
  /** Resolves once it has ended (with how, when known); throws after `timeout`, or at once when `signal` is aborted. */
  waitForExit(options?: WaitOptions): Promise<ExitRecord | undefined>;
  /** Resolves once it is in `state`; throws after `timeout`, at once when it can no longer get there or `signal` is aborted. */
  waitForState(state: DaemonState, options?: WaitOptions): Promise<void>;
  /** How it ended; an error saying why that cannot be told (still running, or not our child). */
  requireExit(): ExitRecord;
  /** The last lines of its captured output, for messages (none for an adopted process). */
  tails(): OutputTails;
  /** Releases whatever files it holds open; called once the scope is done with it. */
  closeFiles(): void;
}

/**
 * An entry a scope started itself and whose output it captured: it can be started again, awaited,
 * stopped, and its output read. A spawned `Daemon` is one; another backend (a container) would be
 * another — the registry holds them through this alone.
 */
export interface CapturedProcess extends ManagedProcess {
  readonly capturesOutput: true;
  readonly stdout: OutputSpool;
  readonly stderr: OutputSpool;
  /** How many times it was started again after its first start. */
  readonly restarts: number;
  /** Stop, then start again; resolves once it is ready again. */
  restart(stop: StopRequest, options?: WaitOptions): Promise<void>;
  writeStdin(data: Buffer, options?: WaitOptions): Promise<void>;
  closeStdin(): void;
}

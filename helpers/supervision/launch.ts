import type { OutputStream } from '../process/daemon.js';
import type { ExitRecord } from '../process/exit.js';
import type { OutputTails } from '../errors.js';
import type { PortPool } from '../ports/port-pool.js';
import type { Clock } from './clock.js';
import type { RestartPolicy } from './restart-policy.js';
import type { SupervisedState } from '../process/lifecycle.js';
import type { WaitOptions } from '../readiness/wait-options.js';

export type { SupervisedState } from '../process/lifecycle.js';

/** How to run one supervised process. */
export interface ProgramOptions {
  argv: string[];
  /** Variables added to the environment of this process only. */
  env?: Record<string, string>;
  cwd?: string;
  /** Overrides of the supervisor's restart policy for this process. */
  restart?: Partial<RestartPolicy>;
  /**
   * `'pool'`: the lowest free port of the supervisor's pool, written wherever argv or an env
   * value says `${NAME.port}` and given back when the process is removed; a number: the port the
   * process is known to use, just listed.
   */
  port?: 'pool' | number;
}

/** What a launcher is asked to start: one process of a program, everything resolved. */
export interface LaunchRequest {
  name: string;
  argv: string[];
  env: Record<string, string>;
  cwd: string | undefined;
  port: number | undefined;
  /** This launch's wait for readiness, when it is not the daemon's own deadline (a restart asked for it). */
  wait?: WaitOptions;
}

/** Starts processes for a supervisor. Injected, so the supervisor can be tested without any. */
export interface ProcessLauncher {
  /** Spawns one process; rejects, leaving nothing running, when it cannot be spawned at all. */
  launch(request: LaunchRequest): Promise<LaunchedProcess>;
}

/** Each chunk a process writes on one of its streams, then `null` when that stream has ended. */
export type OutputListener = (stream: OutputStream, chunk: Buffer | null) => void;

/** One spawned process, as the supervisor sees it. */
export interface LaunchedProcess {
  readonly pid: number;
  /** Resolves when the process is ready (RUNNING); rejects when it will not be. */
  readonly ready: Promise<void>;
  /** How it ended, once it has; never rejects. */
  readonly exited: Promise<ExitRecord>;
  onOutput(listener: OutputListener): void;
  /** SIGTERM to it and its group, SIGKILL after `graceMs`; resolves once all of it is gone. */
  stop(graceMs: number): Promise<void>;
  /** Tells when something other than the supervisor stops the process: it is not restarted then. */
  onStopRequested?(listener: () => void): void;
  /** The last lines of its output, for messages. */
  tails?(): OutputTails;
}

/** One line of `list()`. */
export interface ProcessInfo {
  name: string;
  /** Of the live process; undefined while none runs. */
  pid: number | undefined;
  state: SupervisedState;
  port: number | undefined;
  /** How many times it was started again after its first start. */
  restarts: number;
}

export interface SupervisorOptions {
  launcher: ProcessLauncher;
  /** Default: the real clock. Tests inject a fake one. */
  clock?: Clock;
  /** Between SIGTERM and SIGKILL when a process is stopped (procmon's killTime). Default 3 s, as `stopGrace`. */
  killTimeMs?: number;
  /**
   * Receives every output line of every process as `[NAME] line` (a CombinedLog will do): through
   * `writeLines`, when it has one, all the lines of a chunk at once (bytes ending in a newline, lent
   * for the call only); else line by line.
   */
  log?: { writeLine(line: string): void; writeLines?(bytes: Buffer): void };
  /** Where `port: 'pool'` comes from. Default: a pool from port 20000. */
  ports?: PortPool;
  /** The restart policy of every process, unless its own options say otherwise. */
  restart?: Partial<RestartPolicy>;
}


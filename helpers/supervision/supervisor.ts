import { EventEmitter } from 'node:events';
import { realClock, type Clock } from './clock.js';
import { LineWriter } from '../output/combined-log.js';
import type { DaemonState, OutputStream } from '../process/daemon.js';
import {
  DaemonStepsError,
  DuplicateProgramError,
  GaveUpRestartingError,
  InvalidArgumentError,
  UnknownProgramError,
  formatSeconds,
  throwStopFailures,
  type OutputTails,
} from '../errors.js';
import { describeExit, type ExitRecord } from '../process/exit.js';
import { PortPool, type PooledPort } from '../ports/port-pool.js';
import { BackOff, restartPolicy, type RestartPolicy } from './restart-policy.js';
import { DEFAULTS } from '../config.js';
import { isValidName, NAME_RULE } from '../names.js';
import { replacePlaceholders } from '../placeholders.js';

/** A supervised process's state; DESTROYED for a name that was never added, or was removed. */
export type SupervisedState = DaemonState | 'DESTROYED';

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

/** Everything the supervisor keeps about one added process. */
interface Program {
  readonly name: string;
  readonly request: LaunchRequest;
  readonly backOff: BackOff;
  readonly pooledPort: PooledPort | undefined;
  state: SupervisedState;
  process: LaunchedProcess | undefined;
  processEnded: boolean;
  startedAt: number;
  launches: number;
  restarts: number;
  /** False once stopped (by anyone): an exit is then not followed by a restart. */
  wantRunning: boolean;
  pendingRestart: AbortController | undefined;
  /** While a launcher is spawning a process for it (not while that process gets ready). */
  spawning: Promise<unknown> | undefined;
  stopping: Promise<void> | undefined;
  /** Why it is FATAL. */
  fatal: Error | undefined;
}

/**
 * Keeps named processes running (Twisted's procmon, supervisord): each one that exits is started
 * again after a back-off, until it keeps dying too quickly (FATAL) or is stopped. Every state
 * change is emitted as `'state'` (name, state, previous); every restart as `'restarted'` (name,
 * count). Every output line goes to the log as `[NAME] line`.
 *
 * States: added → STOPPED; start → STARTING → (ready) RUNNING; an exit → EXITED → BACKOFF (a
 * restart is pending) or FATAL (gave up); stop → STOPPED; remove → DESTROYED.
 */
export class Supervisor extends EventEmitter implements AsyncDisposable {
  readonly killTimeMs: number;
  private readonly launcher: ProcessLauncher;
  private readonly clock: Clock;
  private readonly log: SupervisorOptions['log'];
  private readonly defaults: Partial<RestartPolicy>;
  private portPool: PortPool | undefined;
  private readonly programs = new Map<string, Program>();
  private readonly adding = new Set<string>();

  constructor(options: SupervisorOptions) {
    super();
    this.launcher = options.launcher;
    this.clock = options.clock ?? realClock;
    this.killTimeMs = options.killTimeMs ?? DEFAULTS.stopGraceMs;
    this.log = options.log;
    this.portPool = options.ports;
    this.defaults = options.restart ?? {};
  }

  /** Adds a process, STOPPED until started. A name already added is an error. */
  async add(name: string, options: ProgramOptions): Promise<ProcessInfo> {
    checkName(name);
    if (this.programs.has(name) || this.adding.has(name)) throw new DuplicateProgramError(name);
    if (options.argv.length === 0 || options.argv[0] === '') {
      throw new InvalidArgumentError(`process '${name}': argv is empty; give the program to run, e.g. ['./server.py', '8080']`);
    }
    const policy = restartPolicy({ ...this.defaults, ...options.restart });
    this.adding.add(name);
    let pooledPort: PooledPort | undefined;
    try {
      if (options.port === 'pool') pooledPort = await this.ports.acquire();
    } finally {
      this.adding.delete(name);
    }
    const port = pooledPort?.port ?? (typeof options.port === 'number' ? options.port : undefined);
    const expand = (text: string) =>
      port === undefined ? text : replacePlaceholders(text, (p) => (p.kind === 'daemon' && p.name === name && p.field === 'port' ? String(port) : p.whole));
    const program: Program = {
      name,
      request: {
        name,
        argv: options.argv.map(expand),
        env: Object.fromEntries(Object.entries(options.env ?? {}).map(([key, value]) => [key, expand(value)])),
        cwd: options.cwd,
        port,
      },
      backOff: new BackOff(policy),
      pooledPort,
      state: 'DESTROYED',
      process: undefined,
      processEnded: true,
      startedAt: 0,
      launches: 0,
      restarts: 0,
      wantRunning: false,
      pendingRestart: undefined,
      spawning: undefined,
      stopping: undefined,
      fatal: undefined,
    };
    this.programs.set(name, program);
    this.setState(program, 'STOPPED');
    return this.describe(program);
  }

  /** Stops the process and forgets it: its state is DESTROYED, its pool port free again. */
  async remove(name: string): Promise<void> {
    const program = this.require(name);
    this.programs.delete(name);
    this.setState(program, 'DESTROYED');
    try {
      await this.stopProgram(program);
    } finally {
      program.pooledPort?.release();
    }
  }

  /**
   * Starts the process and resolves once it is RUNNING (ready). Rejects when it cannot be spawned
   * (it is FATAL then) or exits before it is ready (it is in BACKOFF or FATAL then, as its policy
   * says). A process already STARTING or RUNNING is left as it is.
   */
  async start(name: string): Promise<void> {
    const program = this.require(name);
    if (program.state === 'RUNNING' || (program.state === 'STARTING' && program.wantRunning)) return;
    if (program.stopping) await program.stopping;
    this.cancelRestart(program);
    program.wantRunning = true;
    program.backOff.reset();
    await this.launch(program);
  }

  /** Starts every process that is not running yet, all at once; rejects if any did not start. */
  async startAll(): Promise<void> {
    const names = [...this.programs.keys()];
    const results = await Promise.allSettled(names.map((name) => this.start(name)));
    const failures = results.flatMap((result, i) => (result.status === 'rejected' ? [`${names[i]}: ${(result.reason as Error).message}`] : []));
    if (failures.length > 0) {
      throw new DaemonStepsError(`${failures.length} of ${names.length} processes did not start:\n${failures.join('\n')}`);
    }
  }

  /**
   * Stops the process — SIGTERM, then SIGKILL after the kill time — and cancels a pending restart;
   * resolves once it is gone, STOPPED. Stopping a process that is not running just makes it STOPPED.
   */
  async stop(name: string): Promise<void> {
    await this.stopProgram(this.require(name));
  }

  /** Stops and starts the process again; it counts as a restart. */
  async restart(name: string): Promise<void> {
    const program = this.require(name);
    await this.stopProgram(program);
    if (this.programs.get(name) !== program) throw new UnknownProgramError(name, this.names());
    program.wantRunning = true;
    program.backOff.reset();
    await this.launch(program);
  }

  /** Stops every process at once, cancelling every pending restart first; resolves when all are gone. */
  async stopAll(): Promise<void> {
    throwStopFailures(await Promise.allSettled([...this.programs.values()].map((program) => this.stopProgram(program))));
  }

  /** The state of a name; DESTROYED when it was never added or has been removed. */
  state(name: string): SupervisedState {
    checkName(name);
    return this.programs.get(name)?.state ?? 'DESTROYED';
  }

  /** Every process, by name. */
  list(): ProcessInfo[] {
    return [...this.programs.values()].sort((a, b) => (a.name < b.name ? -1 : 1)).map((program) => this.describe(program));
  }

  info(name: string): ProcessInfo {
    return this.describe(this.require(name));
  }

  names(): string[] {
    return [...this.programs.keys()];
  }

  /** Why the process is FATAL: the spawn error, or a GaveUpRestartingError. */
  fatalError(name: string): Error | undefined {
    return this.programs.get(name)?.fatal;
  }

  /**
   * Resolves once the name is in `state` (at once if it is). Rejects when the process becomes
   * FATAL instead (it will not come back by itself), or after `timeoutMs`.
   */
  async waitForState(name: string, state: SupervisedState, timeoutMs: number): Promise<void> {
    if (this.state(name) === state) return;
    const controller = new AbortController();
    try {
      await Promise.race([
        new Promise<void>((resolve, reject) => {
          const onState = (changed: string, next: SupervisedState) => {
            if (changed !== name) return;
            if (next === state) resolve();
            else if (next === 'FATAL') reject(this.programs.get(name)?.fatal ?? new GaveUpRestartingError(`'${name}' is FATAL`));
          };
          this.on('state', onState);
          controller.signal.addEventListener('abort', () => this.off('state', onState), { once: true });
        }),
        this.clock.sleep(timeoutMs, controller.signal).then(() => {
          throw new DaemonStepsError(`'${name}' did not reach state ${state} within ${formatSeconds(timeoutMs)}; it is ${this.state(name)}`, {
            daemon: { name },
            awaited: `state ${state}`,
            timeoutMs,
          });
        }),
      ]);
    } finally {
      controller.abort();
    }
  }

  private get ports(): PortPool {
    this.portPool ??= new PortPool();
    return this.portPool;
  }

  private require(name: string): Program {
    checkName(name);
    const program = this.programs.get(name);
    if (!program) throw new UnknownProgramError(name, this.names());
    return program;
  }

  private describe(program: Program): ProcessInfo {
    return {
      name: program.name,
      pid: program.process && !program.processEnded ? program.process.pid : undefined,
      state: program.state,
      port: program.request.port,
      restarts: program.restarts,
    };
  }

  private setState(program: Program, state: SupervisedState): void {
    if (program.state === state) return;
    const previous = program.state;
    program.state = state;
    this.emit('state', program.name, state, previous);
  }

  private isCurrent(program: Program): boolean {
    return this.programs.get(program.name) === program;
  }

  /** Spawns a process, then waits until it is ready: RUNNING. */
  private async launch(program: Program): Promise<void> {
    this.setState(program, 'STARTING');
    const spawning = this.launcher.launch(program.request).then((handle) => {
      this.follow(program, handle);
      return handle;
    });
    program.spawning = spawning;
    let handle: LaunchedProcess;
    try {
      handle = await spawning;
    } catch (error) {
      program.fatal = error as Error;
      if (this.isCurrent(program) && program.wantRunning) this.setState(program, 'FATAL');
      throw error;
    } finally {
      if (program.spawning === spawning) program.spawning = undefined;
    }
    if (!program.wantRunning) {
      // Stopped while it was being spawned: a stop of ours ends it; after one from outside, we do.
      if (!program.stopping) await this.stopProgram(program);
      return;
    }
    await handle.ready;
    if (program.process === handle && !program.processEnded && program.state === 'STARTING') this.setState(program, 'RUNNING');
  }

  private follow(program: Program, handle: LaunchedProcess): void {
    program.process = handle;
    program.processEnded = false;
    program.startedAt = this.clock.now();
    program.launches += 1;
    if (program.launches > 1) {
      program.restarts += 1;
      this.emit('restarted', program.name, program.restarts);
    }
    if (this.log) {
      const log = this.log;
      // The writer hands on whole prefixed lines, valid UTF-8 (other bytes escaped), each ending in \n.
      const writeLines = log.writeLines
        ? (bytes: Buffer) => log.writeLines!(bytes)
        : (bytes: Buffer) => {
            for (const line of bytes.toString('utf8').split('\n').slice(0, -1)) log.writeLine(line);
          };
      const writers = {
        stdout: new LineWriter(`[${program.name}] `, writeLines),
        stderr: new LineWriter(`[${program.name}] `, writeLines),
      };
      handle.onOutput((stream, chunk) => (chunk === null ? writers[stream].flush() : writers[stream].write(chunk)));
    }
    handle.ready.catch(() => undefined); // whoever started it hears of it; a restart shows it in its state
    handle.onStopRequested?.(() => this.onStopRequested(program, handle));
    handle.exited.then((exit) => this.onExit(program, handle, exit));
  }

  private onExit(program: Program, handle: LaunchedProcess, exit: ExitRecord): void {
    if (program.process !== handle) return;
    program.processEnded = true;
    if (!this.isCurrent(program)) return;
    if (!program.wantRunning) {
      // Stopped from outside (a step, a teardown): no restart. A stop of our own says STOPPED itself.
      if (!program.stopping) this.setState(program, 'STOPPED');
      return;
    }
    this.setState(program, 'EXITED');
    const decision = program.backOff.afterDeath(this.clock.now() - program.startedAt);
    if (!decision.restart) {
      program.fatal = this.gaveUp(program, handle, decision.quickDeaths, exit);
      this.setState(program, 'FATAL');
      return;
    }
    this.setState(program, 'BACKOFF');
    const controller = new AbortController();
    program.pendingRestart = controller;
    this.clock.sleep(decision.delayMs, controller.signal).then(
      () => {
        if (program.pendingRestart !== controller) return;
        program.pendingRestart = undefined;
        // What went wrong shows in the states (FATAL, BACKOFF); nobody awaits a restart.
        this.launch(program).catch(() => undefined);
      },
      () => undefined,
    );
  }

  private gaveUp(program: Program, handle: LaunchedProcess, quickDeaths: number, exit: ExitRecord): GaveUpRestartingError {
    const { thresholdMs } = program.backOff.policy;
    return new GaveUpRestartingError(
      `gave up restarting '${program.name}' (${program.request.argv.join(' ')}): it died ${quickDeaths} times in a row, ` +
        `each sooner than ${formatSeconds(thresholdMs)} after its start; the last time it ${describeExit(exit)}`,
      { daemon: { name: program.name, pid: handle.pid }, exit, output: handle.tails?.() },
    );
  }

  private onStopRequested(program: Program, handle: LaunchedProcess): void {
    if (program.process !== handle) return;
    program.wantRunning = false;
    this.cancelRestart(program);
    if (program.processEnded && !program.stopping && this.isCurrent(program)) this.setState(program, 'STOPPED');
  }

  private cancelRestart(program: Program): void {
    program.pendingRestart?.abort();
    program.pendingRestart = undefined;
  }

  private stopProgram(program: Program): Promise<void> {
    program.wantRunning = false;
    this.cancelRestart(program);
    if (program.stopping) return program.stopping;
    const stopping = (async () => {
      try {
        await program.spawning?.catch(() => undefined);
        const handle = program.process;
        if (handle && !program.processEnded) {
          await handle.stop(this.killTimeMs);
          await handle.exited;
        }
      } finally {
        if (this.isCurrent(program)) this.setState(program, 'STOPPED');
      }
    })();
    program.stopping = stopping;
    stopping.then(
      () => this.stopped(program, stopping),
      () => this.stopped(program, stopping),
    );
    return stopping;
  }

  private stopped(program: Program, stopping: Promise<void>): void {
    if (program.stopping === stopping) program.stopping = undefined;
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.stopAll();
  }
}

function checkName(name: string): void {
  if (name === '') throw new InvalidArgumentError("empty process name: give each process a name of letters, digits, '_', '.' or '-'");
  if (!isValidName(name)) {
    throw new InvalidArgumentError(`process name '${name}' may contain only ${NAME_RULE}`);
  }
}

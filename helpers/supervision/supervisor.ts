import { EventEmitter } from 'node:events';
import { realClock, type Clock } from './clock.js';
import { DaemonStepsError, DuplicateProgramError, GaveUpRestartingError, UnknownProgramError, formatSeconds, throwStopFailures } from '../errors.js';
import type { ExitRecord } from '../process/exit.js';
import { checkArgv, checkName, describeProgram, gaveUpError, logOutput, newProgram, type Program } from './supervised-program.js';
import { PortPool, type PooledPort } from '../ports/port-pool.js';
import { restartPolicy, type RestartPolicy } from './restart-policy.js';
import type { SupervisedState } from '../process/lifecycle.js';
import { waitForStates } from '../process/wait-for-state.js';
import type { LaunchedProcess, ProcessInfo, ProcessLauncher, ProgramOptions, SupervisorOptions } from './launch.js';
import { DEFAULTS } from '../config.js';
import { settleWait, waitAborted, type WaitOptions } from '../readiness/wait-options.js';

export type { LaunchedProcess, LaunchRequest, OutputListener, ProcessInfo, ProcessLauncher, ProgramOptions, SupervisedState, SupervisorOptions } from './launch.js';

/**
 * Keeps named processes running (Twisted's procmon, supervisord): each one that exits is started
 * again after a back-off, until it keeps dying too quickly (FATAL) or is stopped. Every state
 * change is emitted as `'lifecycle'` (name, the event that made it), then as `'state'` (name, state,
 * previous); every restart as `'restarted'` (name, count). Every output line goes to the log as `[NAME] line`.
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
    checkArgv(name, options.argv);
    this.adding.add(name);
    let pooledPort: PooledPort | undefined;
    try {
      if (options.port === 'pool') pooledPort = await this.ports.acquire();
    } finally {
      this.adding.delete(name);
    }
    const program = newProgram(name, options, restartPolicy({ ...this.defaults, ...options.restart }), pooledPort, (state, previous, event) => {
      this.emit('lifecycle', name, event);
      this.emit('state', name, state, previous);
    });
    this.programs.set(name, program);
    program.lifecycle.handle('added');
    return describeProgram(program);
  }

  /** Stops the process and forgets it: its state is DESTROYED, its pool port free again. */
  async remove(name: string): Promise<void> {
    const program = this.require(name);
    this.programs.delete(name);
    program.lifecycle.handle('removed');
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
    const { state } = program.lifecycle;
    if (state === 'RUNNING' || (state === 'STARTING' && program.wantRunning)) return;
    if (program.stopping.isUnderway) await program.stopping.underway;
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

  /** Stops and starts the process again; it counts as a restart. `options`: the wait for it to be ready again. */
  async restart(name: string, options: WaitOptions = {}): Promise<void> {
    const program = this.require(name);
    await this.stopProgram(program);
    if (this.programs.get(name) !== program) throw new UnknownProgramError(name, this.names());
    program.wantRunning = true;
    program.backOff.reset();
    await this.launch(program, options);
  }

  /** Stops every process at once, cancelling every pending restart first; resolves when all are gone. */
  async stopAll(): Promise<void> {
    throwStopFailures(await Promise.allSettled([...this.programs.values()].map((program) => this.stopProgram(program))));
  }

  /** The state of a name; DESTROYED when it was never added or has been removed. */
  state(name: string): SupervisedState {
    checkName(name);
    return this.programs.get(name)?.lifecycle.state ?? 'DESTROYED';
  }

  /** Every process, by name. */
  list(): ProcessInfo[] {
    return [...this.programs.values()].sort((a, b) => (a.name < b.name ? -1 : 1)).map((program) => describeProgram(program));
  }

  info(name: string): ProcessInfo {
    return describeProgram(this.require(name));
  }

  names(): string[] {
    return [...this.programs.keys()];
  }

  /** Why the process is FATAL: the spawn error, or a GaveUpRestartingError. */
  fatalError(name: string): Error | undefined {
    return this.programs.get(name)?.fatal;
  }

  /**
   * Resolves once the name is in `state` (at once if it is). Rejects when the process becomes FATAL
   * instead (it will not come back by itself), after `timeout` (default 5 s), or when `signal` is aborted.
   */
  async waitForState(name: string, state: SupervisedState, options: WaitOptions = {}): Promise<void> {
    const { timeoutMs, signal, clock } = settleWait(options, DEFAULTS.startTimeoutMs, this.clock);
    const subscribe = (listener: (state: SupervisedState) => void) => {
      const onState = (changed: string, next: SupervisedState) => changed === name && listener(next);
      return this.on('state', onState), () => this.off('state', onState);
    };
    await waitForStates<SupervisedState>(
      { current: this.state(name), subscribe },
      {
        judge: (now, change) =>
          now === state ? 'done' : change && now === 'FATAL' ? (this.programs.get(name)?.fatal ?? new GaveUpRestartingError(`'${name}' is FATAL`)) : 'wait',
        timeoutMs,
        clock,
        atDeadline: () =>
          new DaemonStepsError(`'${name}' did not reach state ${state} within ${formatSeconds(timeoutMs)}; it is ${this.state(name)}`, {
            daemon: { name },
            awaited: `state ${state}`,
            timeoutMs,
          }),
        signal,
        aborted: (elapsedMs) => waitAborted(`'${name}' to reach state ${state}`, { daemon: { name }, timeoutMs, elapsedMs }),
      },
    );
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

  private isCurrent(program: Program): boolean {
    return this.programs.get(program.name) === program;
  }

  /** Spawns a process, then waits until it is ready: RUNNING. */
  private async launch(program: Program, wait?: WaitOptions): Promise<void> {
    program.lifecycle.handle('spawning');
    const spawning = this.launcher.launch(wait ? { ...program.request, wait } : program.request).then((handle) => {
      this.follow(program, handle);
      return handle;
    });
    program.spawning = spawning;
    let handle: LaunchedProcess;
    try {
      handle = await spawning;
    } catch (error) {
      program.fatal = error as Error;
      if (this.isCurrent(program) && program.wantRunning) program.lifecycle.handle('gave-up');
      throw error;
    } finally {
      if (program.spawning === spawning) program.spawning = undefined;
    }
    if (!program.wantRunning) {
      // Stopped while it was being spawned: a stop of ours ends it; after one from outside, we do.
      if (!program.stopping.isUnderway) await this.stopProgram(program);
      return;
    }
    await handle.ready;
    if (program.process === handle && !program.processEnded) program.lifecycle.handle('ready');
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
    if (this.log) logOutput(program.name, handle, this.log);
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
      if (!program.stopping.isUnderway) program.lifecycle.handle('stopped');
      return;
    }
    program.lifecycle.handle('exited');
    const decision = program.backOff.afterDeath(this.clock.now() - program.startedAt);
    if (!decision.restart) {
      program.fatal = gaveUpError(program, handle, decision.quickDeaths, exit);
      program.lifecycle.handle('gave-up');
      return;
    }
    program.lifecycle.handle('backing-off');
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

  private onStopRequested(program: Program, handle: LaunchedProcess): void {
    if (program.process !== handle) return;
    program.wantRunning = false;
    this.cancelRestart(program);
    if (program.processEnded && !program.stopping.isUnderway && this.isCurrent(program)) program.lifecycle.handle('stopped');
  }

  private cancelRestart(program: Program): void {
    program.pendingRestart?.abort();
    program.pendingRestart = undefined;
  }

  private stopProgram(program: Program): Promise<void> {
    program.wantRunning = false;
    this.cancelRestart(program);
    return program.stopping.run(async () => {
      try {
        await program.spawning?.catch(() => undefined);
        const handle = program.process;
        if (handle && !program.processEnded) {
          await handle.stop(this.killTimeMs);
          await handle.exited;
        }
      } finally {
        if (this.isCurrent(program)) program.lifecycle.handle('stopped');
      }
    });
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.stopAll();
  }
}

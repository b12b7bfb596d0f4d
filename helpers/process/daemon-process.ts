import { sayRemedy } from '../remedies.js';
import { EventEmitter } from 'node:events';
import { realClock, type Clock } from '../supervision/clock.js';
import { DaemonStepsError, GaveUpRestartingError, NotExitedError, describeDaemon, stopTimeoutError, type DaemonContext, type OutputTails } from '../errors.js';
import { describeExit, UNKNOWN_EXIT, type ExitRecord } from './exit.js';
import type { Cgroup } from '../containment/cgroup.js';
import { cgroupForDaemon } from '../containment/containment.js';
import type { OutputSpool } from '../output/output.js';
import { sendSignal } from '../containment/proc.js';
import { writeToStdin } from './stdin.js';
import type { TerminationTarget } from '../containment/family.js';
import type { StopOutcome } from '../containment/terminate.js';
import { Lifecycle, type DaemonEvent, type DaemonState } from './lifecycle.js';
import { CoalescedStop } from './coalesced-stop.js';
import { spawnRun, type ProcessRun } from './spawn.js';
import { OutputCapture } from './capture.js';
import { killRun, NOTHING_TO_KILL, NOTHING_TO_STOP, runTarget, stopRun, type StopRequest } from './stop.js';
import type { DaemonSpec } from './spec.js';
import { DEFAULTS } from '../config.js';
import { settleWait, type WaitDefaults, type WaitOptions } from '../readiness/wait-options.js';
import { waitForDaemonState, waitForRunExit } from './daemon-waits.js';

/**
 * A named background process without its readiness (see `Daemon`): its processes spawned in turn
 * (spawn.ts), their output captured (capture.ts), stdin written (stdin.ts), stopped (stop.ts), its
 * state held by its lifecycle, which alone writes it. Every state change is emitted as 'state'.
 */
export class DaemonProcess extends EventEmitter {
  readonly name: string;
  readonly spec: DaemonSpec;
  readonly stdout: OutputSpool;
  readonly stderr: OutputSpool;
  /** The one writer of its state: the daemon and its supervisor tell it what happened. */
  readonly lifecycle: Lifecycle<DaemonState, DaemonEvent>;
  private readonly output: OutputCapture;
  protected current: ProcessRun | undefined;
  private readonly stopping = new CoalescedStop<StopOutcome>();
  private restartCount = 0;
  /** Why no process could be spawned for it (a supervised daemon is FATAL then). */
  protected spawnFailure: Error | undefined;
  protected readonly clock: Clock;
  protected stopWatching: (() => void) | undefined;
  /** Where every process it starts lives (undefined: contained by process group and marker). */
  private cgroup: Cgroup | undefined;
  /** A run whose cgroup was removed empty: nothing of it is left, and nothing can enter it again. */
  private goneForGood: ProcessRun | undefined;

  protected constructor(spec: DaemonSpec, followOutput = false) {
    super();
    this.name = spec.name;
    this.spec = spec;
    this.clock = spec.clock ?? realClock;
    this.lifecycle = new Lifecycle<DaemonState, DaemonEvent>('STARTING', (state, previous) => this.emit('state', state, previous));
    this.output = OutputCapture.of(spec, followOutput);
    this.stdout = this.output.stdout;
    this.stderr = this.output.stderr;
  }

  get context(): DaemonContext {
    return { name: this.name, command: this.spec.commandLine, pid: this.current?.pid };
  }

  get state(): DaemonState {
    return this.lifecycle.state;
  }

  get pid(): number | undefined {
    return this.current?.pid;
  }

  get port(): number | undefined {
    return this.spec.port;
  }

  /** How the latest process ended, once it has. */
  get exit(): ExitRecord | undefined {
    return this.current?.exit;
  }

  /** The timeouts its waits take when their options name none: the scope's settings. */
  get waitDefaults(): WaitDefaults {
    return this.spec.waitDefaults ?? DEFAULTS;
  }

  get readinessTimeoutMs(): number | undefined {
    return this.spec.readinessTimeoutMs;
  }

  get restarts(): number {
    return this.restartCount;
  }

  get isSupervised(): boolean {
    return this.spec.supervised === true;
  }

  get isRunning(): boolean {
    return this.current !== undefined && this.current.exit === undefined;
  }

  /** Its output is captured (to files), so it can be read. */
  get capturesOutput(): true {
    return true;
  }

  /** Resolves with how the current process ended (never rejects). */
  get exited(): Promise<ExitRecord> {
    return this.current?.exited ?? Promise.resolve(UNKNOWN_EXIT);
  }

  /**
   * Resolves when the daemon is in `state` (at once if it is), rejects after `timeout` (default:
   * the start timeout) — or at once when it is FATAL instead, a state its supervisor never leaves
   * by itself, or when `signal` is aborted.
   */
  waitForState(state: DaemonState, options: WaitOptions = {}): Promise<void> {
    return waitForDaemonState(this, state, settleWait(options, this.waitDefaults.startTimeoutMs, this.clock), () => this.fatalError(state));
  }

  /** Why a FATAL daemon is: "its supervisor gave up restarting it (the last time it exited with code 3)". */
  whyFatal(): string {
    if (this.spawnFailure && !this.exit) {
      const why = this.spawnFailure instanceof DaemonStepsError ? this.spawnFailure.headline : this.spawnFailure.message;
      return `it could not be spawned (${why})`;
    }
    return `its supervisor gave up restarting it${this.exit ? ` (the last time it ${describeExit(this.exit)})` : ''}`;
  }

  private fatalError(awaited: DaemonState): DaemonStepsError {
    return new GaveUpRestartingError(
      `${describeDaemon(this.context)} is FATAL: ${this.whyFatal()}, so it will not reach state ${awaited}`,
      { daemon: this.context, awaited: `state ${awaited}`, exit: this.exit, output: this.tails() },
    );
  }

  protected async spawnProcess(): Promise<void> {
    const { spec } = this;
    const run = await spawnRun(spec, this.context, this.clock, () => (this.cgroup ??= cgroupForDaemon(spec.containment ?? 'auto', spec.marker)));
    this.current = run;
    this.output.capture(run.child!);
    run.exited.then((exit) => this.onExit(run, exit));
  }

  protected onExit(run: ProcessRun, exit: ExitRecord): void {
    if (run !== this.current) return;
    this.lifecycle.handle('exited');
    this.emit('exit', exit);
  }

  /** The last lines of both streams, with their files, for error messages. */
  tails(): OutputTails {
    return this.output.tails();
  }

  /** After an exit, waits briefly for the last output to arrive through the pipes. */
  async settleOutput(maxWaitMs = 500): Promise<void> {
    await this.output.settle(maxWaitMs);
  }

  terminationTarget(): TerminationTarget | undefined {
    return this.current && runTarget(this.current, this.spec.marker, this.cgroup);
  }

  /**
   * SIGTERM (or `signal`) to the whole process group, the grace, SIGKILL, and back once everything
   * in it is gone. Stopping a daemon that has already exited still ends what is left of its group.
   * A stop while another is under way shares the outcome of the first, whose signal and grace hold.
   */
  stop(request: StopRequest): Promise<StopOutcome> {
    return this.stopping.run(() => this.stopOnce(request));
  }

  private async stopOnce(request: StopRequest): Promise<StopOutcome> {
    this.lifecycle.handle('stop-requested');
    this.emit('stopping');
    const run = this.current;
    const target = this.terminationTarget();
    if (!run || !target || run === this.goneForGood) {
      this.lifecycle.handle('stopped');
      return NOTHING_TO_STOP;
    }
    let outcome: StopOutcome;
    try {
      outcome = await stopRun(run, target, request, this.clock);
      await this.afterTermination();
    } catch (error) {
      this.lifecycle.handle('stop-abandoned');
      throw error;
    }
    this.lifecycle.handle('stopped');
    if (outcome.survivors.length > 0) throw stopTimeoutError(this.context, outcome.survivors, outcome.elapsedMs);
    return outcome;
  }

  /** SIGKILL to the whole group at once; back once it is gone. The state becomes EXITED. */
  async kill(): Promise<StopOutcome> {
    const run = this.current;
    const target = this.terminationTarget();
    if (!run || !target || run === this.goneForGood) return NOTHING_TO_KILL;
    const outcome = await killRun(run, target, this.clock);
    await this.afterTermination();
    this.lifecycle.handle('killed');
    return outcome;
  }

  /** Once all of it is gone: its last output read, its pipes let go, its cgroup removed (a restart makes it again). */
  private async afterTermination(): Promise<void> {
    await this.settleOutput();
    await this.output.releasePipes();
    if (this.cgroup?.remove()) {
      this.cgroup = undefined;
      // Its family was the cgroup's members: a later stop (the teardown's) need not look for it.
      this.goneForGood = this.current;
    }
  }

  /** Just the signal, to the process itself (like `kill -HUP PID`); the daemon keeps its entry. */
  sendSignal(signal: NodeJS.Signals): void {
    const run = this.current;
    if (!run || run.exit !== undefined || !sendSignal(run.pid, signal)) {
      throw new DaemonStepsError(
        `cannot send ${signal} to ${describeDaemon(this.context)}: it is not running` + (run?.exit ? ` (it ${describeExit(run.exit)})` : ''),
        { daemon: this.context, exit: run?.exit, output: this.tails() },
      );
    }
    run.sent.push({ signal, cause: 'signalled-by-us' });
  }

  /** Resolves with the exit once the current process has ended; throws after `timeout` (default: the exit timeout) or when `signal` is aborted. */
  async waitForExit(options: WaitOptions = {}): Promise<ExitRecord> {
    const exit = await waitForRunExit(this, this.current!, settleWait(options, this.waitDefaults.exitTimeoutMs, this.clock));
    await this.settleOutput();
    return exit;
  }

  /**
   * Writes to the daemon's stdin; fails clearly when the daemon has exited or closed it, or has not
   * taken it all within `timeout` (default: the output timeout; it does not read its stdin), or when
   * `signal` is aborted.
   */
  async writeStdin(data: Buffer, options: WaitOptions = {}): Promise<void> {
    const target = { stdin: this.current?.child?.stdin, isRunning: this.isRunning, exit: this.exit, context: this.context, tails: () => this.tails() };
    await writeToStdin(target, data, settleWait(options, this.waitDefaults.outputTimeoutMs, this.clock));
  }

  closeStdin(): void {
    this.current?.child?.stdin?.end();
  }

  /** The same command again, once the last process has ended (a supervisor's restart); counts in `restarts`. */
  async respawn(): Promise<void> {
    this.lifecycle.handle('spawning');
    await this.spawnProcess();
    this.restartCount += 1;
    this.emit('restarted', this.restartCount);
  }

  /** Exit code of a daemon that has exited; an error naming the state otherwise. */
  requireExit(): ExitRecord {
    if (this.exit) return this.exit;
    throw new NotExitedError(
      `${describeDaemon(this.context)} has not exited: it is still running (pid ${this.pid}, state ${this.state}); ` +
        sayRemedy({ kind: 'wait-for-exit', name: this.name }),
      { daemon: this.context },
    );
  }

  /**
   * Closes the output files and our ends of the pipes of every process it spawned: a process that
   * escaped the stop and still holds one can then never keep the runner alive.
   */
  closeFiles(): void {
    this.stopWatching?.();
    this.output.close();
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.stop({ graceMs: DEFAULTS.stopGraceMs });
    this.closeFiles();
  }
}

import { sayRemedy } from '../remedies.js';
import { EventEmitter } from 'node:events';
import path from 'node:path';
import { execa } from 'execa';
import type { ChildProcess } from 'node:child_process';
import type { Readable, Writable } from 'node:stream';
import { realClock, type Clock } from '../supervision/clock.js';
import type { CombinedLog, LineWriter } from '../output/combined-log.js';
import { assertValidEnvironment } from './environment.js';
import {
  DaemonStepsError,
  GaveUpRestartingError,
  NotExitedError,
  StdinError,
  describeDaemon,
  formatSeconds,
  stopTimeoutError,
  type DaemonContext,
  type OutputTails,
} from '../errors.js';
import { describeExit, recordExit, UNKNOWN_EXIT, type ExitRecord, type SentSignal } from './exit.js';
import type { ManagedProcess } from './managed-process.js';
import type { Cgroup } from '../containment/cgroup.js';
import { cgroupForDaemon, enterCgroupCommand, untilShimExecs, type ContainmentSetting } from '../containment/containment.js';
import { MARKER_VARIABLE } from '../containment/marker.js';
import { OutputSpool } from '../output/output.js';
import { isAlive, readProcStat, sendSignal } from '../containment/proc.js';
import { explainSpawnFailure, missingInterpreter, resolveProgram } from './program.js';
import { ensureReaper } from '../containment/reaper.js';
import { awaitDaemonReady } from '../readiness/daemon-readiness.js';
import type { ReadyCondition } from '../readiness/probe.js';
import { writeWithDeadline } from './stdin.js';
import { terminate, type StopOutcome, type TerminationTarget } from '../containment/terminate.js';

/**
 * After a daemon has exited, how long we wait for its pipes to close before judging its output. They
 * close with the process, unless a descendant still holds them: then we do not wait for that one.
 */
export const EXIT_SETTLE_MS = 20;

/** How long a write to a daemon's stdin may wait for it to read, unless the caller says (the output timeout's default). */
const DEFAULT_STDIN_TIMEOUT_MS = 5000;

const realSetTimeout = globalThis.setTimeout.bind(globalThis);
const realClearTimeout = globalThis.clearTimeout.bind(globalThis);
const realSetImmediate = globalThis.setImmediate.bind(globalThis);

export type DaemonState = 'STARTING' | 'RUNNING' | 'BACKOFF' | 'FATAL' | 'STOPPED' | 'EXITED';
export const DAEMON_STATES: readonly DaemonState[] = ['STARTING', 'RUNNING', 'BACKOFF', 'FATAL', 'STOPPED', 'EXITED'];

export type OutputStream = 'stdout' | 'stderr';

export interface DaemonSpec {
  name: string;
  /** The command with its placeholders expanded, for messages. */
  commandLine: string;
  /** argv with placeholders expanded; argv[0] is resolved like a shell would. */
  argv: string[];
  cwd: string;
  /** Variables added to the runner's environment for this daemon only. */
  env?: Record<string, string>;
  /** Where `<name>.stdout` and `<name>.stderr` are written. */
  outputDirectory: string;
  /** DAEMON_STEPS_RUN value: how this daemon and all its descendants are recognised. */
  marker: string;
  host?: string;
  port?: number;
  /** What must hold before it counts as ready (all of them); checked again after each restart. */
  ready?: readonly ReadyCondition[];
  /** The readiness deadline the daemon was started with (`, within N seconds`), for restarts. */
  readinessTimeoutMs?: number;
  combinedLog?: CombinedLog;
  clock?: Clock;
  /** Whether it goes into a cgroup of its own (default `auto`: where the machine allows). */
  containment?: ContainmentSetting;
  /**
   * Kept running by a supervisor (`, restarting on exit`): an exit is followed by a restart unless
   * it is FATAL or STOPPED, so a wait for its output spans its restarts.
   */
  supervised?: boolean;
}

/** One spawned process of a daemon (a restart makes another); an attached one is not our child. */
interface ProcessRun {
  child: ChildProcess | undefined;
  pid: number;
  startTime: number;
  exit: ExitRecord | undefined;
  exited: Promise<ExitRecord>;
  startedAt: number;
  /** Resolves once the process is the program (not the shim that entered its cgroup), or has ended. */
  execed?: Promise<void>;
  /** Every signal we sent it, in order: what it dies of says which of them ended it. */
  sent: SentSignal[];
}

export interface StopRequest {
  signal?: NodeJS.Signals;
  graceMs: number;
}

/**
 * A named background process: spawned detached in its own process group with the run's marker,
 * its stdout and stderr spooled to files, its exit recorded. `state` follows STEPS.md; every change
 * is emitted as 'state' so callers wait without polling.
 */
export class Daemon extends EventEmitter implements AsyncDisposable, ManagedProcess {
  readonly name: string;
  readonly spec: DaemonSpec;
  readonly stdout: OutputSpool;
  readonly stderr: OutputSpool;
  private current: ProcessRun | undefined;
  private currentState: DaemonState = 'STARTING';
  private stopInFlight: Promise<StopOutcome> | undefined;
  /** Our ends of the pipes of every process it spawned, until they close (see `releasePipes`). */
  private readonly openPipes = new Set<Readable | Writable>();
  private restartCount = 0;
  /** Why no process could be spawned for it (a supervised daemon is FATAL then). */
  private spawnFailure: Error | undefined;
  private readonly clock: Clock;
  private stopWatching: (() => void) | undefined;
  /** Where every process it starts lives (undefined: contained by process group and marker). */
  private cgroup: Cgroup | undefined;

  private constructor(spec: DaemonSpec, followOutput = false) {
    super();
    this.name = spec.name;
    this.spec = spec;
    this.clock = spec.clock ?? realClock;
    this.stdout = new OutputSpool(path.join(spec.outputDirectory, `${spec.name}.stdout`), { follow: followOutput });
    this.stderr = new OutputSpool(path.join(spec.outputDirectory, `${spec.name}.stderr`), { follow: followOutput });
  }

  /**
   * A daemon another process started and captures (a service of `daemon-steps run`): its output is
   * read from the files that process writes (`<outputDirectory>/<name>.stdout`, `.stderr`), and its
   * end is noticed by looking (it is not our child, so its exit status stays unknown). RUNNING
   * while the pid names the process that has `startTime`.
   */
  static attach(spec: DaemonSpec, process: { pid: number; startTime: number }): Daemon {
    const daemon = new Daemon(spec, true);
    let ended: (exit: ExitRecord) => void = () => undefined;
    const run: ProcessRun = {
      child: undefined,
      pid: process.pid,
      startTime: process.startTime,
      exit: undefined,
      startedAt: daemon.clock.now(),
      exited: new Promise<ExitRecord>((resolve) => (ended = resolve)),
      sent: [],
    };
    daemon.current = run;
    daemon.setState('RUNNING');
    run.exited.then((exit) => daemon.onExit(run, exit));
    daemon.stopWatching = watchUntilGone(process.pid, process.startTime, () => {
      run.exit = UNKNOWN_EXIT;
      ended(run.exit);
    });
    return daemon;
  }

  /** Spawns the daemon and returns at once, in state STARTING; `waitUntilReady()` follows. */
  static async spawn(spec: DaemonSpec): Promise<Daemon> {
    const daemon = new Daemon(spec);
    try {
      await daemon.spawnProcess();
    } catch (error) {
      daemon.closeFiles();
      throw error;
    }
    return daemon;
  }

  /**
   * A supervised daemon whose program could not be spawned at all: it has a name, a state (its
   * supervisor makes it FATAL) and empty output, so steps can ask it why, and it has no process.
   */
  static unspawned(spec: DaemonSpec, failure: Error): Daemon {
    const daemon = new Daemon(spec);
    daemon.spawnFailure = failure;
    return daemon;
  }

  /** Spawns the daemon and waits until its readiness conditions hold (RUNNING), or throws. */
  static async start(spec: DaemonSpec, timeoutMs: number): Promise<Daemon> {
    const daemon = await Daemon.spawn(spec);
    await daemon.waitUntilReady(timeoutMs);
    return daemon;
  }

  get context(): DaemonContext {
    return { name: this.name, command: this.spec.commandLine, pid: this.current?.pid };
  }

  get state(): DaemonState {
    return this.currentState;
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

  /** Resolves with how the current process ended (never rejects). */
  get exited(): Promise<ExitRecord> {
    return this.current?.exited ?? Promise.resolve(UNKNOWN_EXIT);
  }

  setState(state: DaemonState): void {
    if (state === this.currentState) return;
    const previous = this.currentState;
    this.currentState = state;
    this.emit('state', state, previous);
  }

  /**
   * Resolves when the daemon is in `state` (at once if it is), rejects after `timeoutMs` — or at
   * once when it is FATAL instead, a state its supervisor never leaves by itself.
   */
  async waitForState(state: DaemonState, timeoutMs: number): Promise<void> {
    if (this.currentState === state) return;
    if (this.currentState === 'FATAL') throw this.fatalError(state);
    const controller = new AbortController();
    try {
      await Promise.race([
        new Promise<void>((resolve, reject) => {
          const onState = (next: DaemonState) => {
            if (next === state) resolve();
            else if (next === 'FATAL') reject(this.fatalError(state));
          };
          this.on('state', onState);
          controller.signal.addEventListener('abort', () => this.off('state', onState), { once: true });
        }),
        this.clock.sleep(timeoutMs, controller.signal).then(() => {
          throw new DaemonStepsError(
            `${describeDaemon(this.context)} did not reach state ${state} within ${formatSeconds(timeoutMs)}; it is ${this.currentState}`,
            { daemon: this.context, awaited: `state ${state}`, timeoutMs, output: this.tails() },
          );
        }),
      ]);
    } finally {
      controller.abort();
    }
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

  private async spawnProcess(): Promise<void> {
    const { spec } = this;
    assertValidEnvironment(spec.env ?? {}, this.context);
    const env: Record<string, string> = { ...(process.env as Record<string, string>), ...spec.env, [MARKER_VARIABLE]: spec.marker };
    const program = resolveProgram(spec.argv[0]!, spec.cwd, env.PATH, this.context);
    // Before anything is spawned, so that nothing of this run can outlive a runner that dies.
    const reaper = ensureReaper();
    this.cgroup ??= cgroupForDaemon(spec.containment ?? 'auto', spec.marker);
    if (this.cgroup) {
      const problem = missingInterpreter(program, spec.cwd, this.context);
      if (problem) throw problem;
    }
    const { file, args } = this.cgroup ? enterCgroupCommand(this.cgroup, spec.argv) : { file: program, args: spec.argv.slice(1) };
    const child = execa(file, args, {
      cwd: spec.cwd,
      env,
      extendEnv: false,
      detached: true,
      cleanup: false,
      buffer: false,
      reject: false,
      stdin: 'pipe',
      stdout: 'pipe',
      stderr: 'pipe',
      encoding: 'buffer',
      argv0: this.cgroup ? undefined : spec.argv[0],
    });
    child.catch(() => undefined);
    await new Promise<void>((resolve, reject) => {
      const refuse = (error: NodeJS.ErrnoException) =>
        reject(
          explainSpawnFailure(program, error, this.context, { argv: spec.argv, env }) ??
            new DaemonStepsError(`cannot start ${describeDaemon(this.context)}: ${error.message}`, { daemon: this.context, cause: error }),
        );
      child.once('spawn', resolve);
      child.once('error', refuse);
      // What Node refuses before a process exists (E2BIG, an invalid option) emits neither event:
      // execa hands it to the result instead, which then resolves at once.
      child.then((result) => {
        if (result.failed && child.pid === undefined) refuse((result.cause ?? result) as NodeJS.ErrnoException);
      });
    });
    const pid = child.pid!;
    child.stdin?.on('error', () => undefined);
    const run: ProcessRun = {
      child,
      pid,
      startTime: readProcStat(pid)?.startTime ?? 0,
      exit: undefined,
      startedAt: this.clock.now(),
      sent: [],
      exited: new Promise<ExitRecord>((resolve) => {
        child.once('exit', (code, signal) => {
          run.exit = recordExit(code, signal, run.sent);
          resolve(run.exit);
        });
      }),
    };
    this.current = run;
    for (const pipe of [child.stdin, child.stdout, child.stderr]) {
      if (!pipe) continue;
      this.openPipes.add(pipe);
      pipe.once('close', () => this.openPipes.delete(pipe));
    }
    reaper?.watchGroup(pid, run.startTime);
    this.captureStream(child.stdout!, this.stdout);
    this.captureStream(child.stderr!, this.stderr);
    run.exited.then((exit) => this.onExit(run, exit));
    // Not awaited here: whoever spawned the daemon must subscribe to its output before a chunk can
    // arrive. Readiness waits for it instead.
    run.execed = this.cgroup ? untilShimExecs(pid, () => run.exit !== undefined) : Promise.resolve();
  }

  private captureStream(stream: Readable, spool: OutputSpool): void {
    spool.attach(stream);
    const lines: LineWriter | undefined = this.spec.combinedLog?.lineWriter(this.name);
    if (!lines) return;
    stream.on('data', (chunk: Buffer) => lines.write(chunk));
    stream.once('end', () => lines.flush());
    stream.once('close', () => lines.flush());
  }

  private onExit(run: ProcessRun, exit: ExitRecord): void {
    if (run !== this.current) return;
    if (!this.stopInFlight && (this.currentState === 'STARTING' || this.currentState === 'RUNNING')) this.setState('EXITED');
    this.emit('exit', exit);
  }

  /** Waits until the readiness conditions hold; the daemon is RUNNING afterwards. */
  async waitUntilReady(timeoutMs: number, fromOffsets?: { stdout: number; stderr: number }, signal?: AbortSignal): Promise<void> {
    const run = this.current!;
    // Until the cgroup's shim has become the program, the process table shows the shim.
    await run.execed;
    await awaitDaemonReady({
      conditions: this.spec.ready ?? [],
      target: {
        name: this.name,
        pid: run.pid,
        host: this.spec.host ?? '127.0.0.1',
        port: this.spec.port,
        workspace: this.spec.outputDirectory,
        stdout: this.stdout,
        stderr: this.stderr,
        from: fromOffsets ?? { stdout: 0, stderr: 0 },
      },
      subject: this,
      timeoutMs,
      exited: run.exited,
      afterExit: () => this.settleOutput(EXIT_SETTLE_MS),
      nudges: (wake) => {
        const unsubscribeStdout = this.stdout.onChunk(wake);
        const unsubscribeStderr = this.stderr.onChunk(wake);
        return () => {
          unsubscribeStdout();
          unsubscribeStderr();
        };
      },
      signal,
      clock: this.clock,
    });
    if (run === this.current && run.exit === undefined) this.setState('RUNNING');
  }

  /** The last lines of both streams, with their files, for error messages. */
  tails(): OutputTails {
    return {
      stderr: { tail: this.stderr.tail(), path: this.stderr.path },
      stdout: { tail: this.stdout.tail(), path: this.stdout.path },
    };
  }

  /** After an exit, waits briefly for the last output to arrive through the pipes. */
  async settleOutput(maxWaitMs = 500): Promise<void> {
    await Promise.all([this.stdout.drained(maxWaitMs), this.stderr.drained(maxWaitMs)]);
    // A timer that is due runs before the pipes are polled: on a loaded machine the last chunk may
    // be waiting in a pipe a descendant still holds. One turn of the loop lets it be read.
    await new Promise((resolve) => realSetImmediate(resolve));
  }

  terminationTarget(): TerminationTarget | undefined {
    const run = this.current;
    if (!run) return undefined;
    return {
      pid: run.pid,
      startTime: run.startTime,
      pgid: run.pid,
      exited: run.exited,
      hasExited: () => run.exit !== undefined,
      marker: this.spec.marker,
      cgroup: this.cgroup,
    };
  }

  /**
   * SIGTERM (or `signal`) to the whole process group, the grace, SIGKILL, and back once everything
   * in it is gone. Stopping a daemon that has already exited still ends what is left of its group.
   * A stop while another is under way (a step and the teardown, the supervisor and the registry)
   * signals nothing again — to many daemons a second SIGTERM means "quit now" — but shares the
   * outcome of the first, whose signal and grace hold.
   */
  stop(request: StopRequest): Promise<StopOutcome> {
    this.stopInFlight ??= this.stopOnce(request).finally(() => {
      this.stopInFlight = undefined;
    });
    return this.stopInFlight;
  }

  private async stopOnce(request: StopRequest): Promise<StopOutcome> {
    this.emit('stopping');
    const run = this.current;
    const target = this.terminationTarget();
    if (!run || !target) {
      this.setState('STOPPED');
      return { forced: false, elapsedMs: 0, survivors: [] };
    }
    const stop = { signal: request.signal ?? 'SIGTERM', graceMs: request.graceMs };
    const outcome = await terminate(target, {
      ...request,
      clock: this.clock,
      onSignal: (signal, step) => run.sent.push({ signal, cause: step === 'first' ? 'stopped' : 'forced', stop }),
    });
    await this.settleOutput();
    await this.releasePipes();
    this.removeEmptyCgroup();
    this.setState('STOPPED');
    if (outcome.survivors.length > 0) throw stopTimeoutError(this.context, outcome.survivors, outcome.elapsedMs);
    return outcome;
  }

  /** SIGKILL to the whole group at once; back once it is gone. The state becomes EXITED. */
  async kill(): Promise<StopOutcome> {
    const run = this.current;
    const target = this.terminationTarget();
    if (!run || !target) return { forced: true, elapsedMs: 0, survivors: [] };
    const outcome = await terminate(target, {
      signal: 'SIGKILL',
      graceMs: 0,
      clock: this.clock,
      onSignal: (signal) => run.sent.push({ signal, cause: 'killed' }),
    });
    await this.settleOutput();
    await this.releasePipes();
    this.removeEmptyCgroup();
    if (this.currentState === 'STARTING' || this.currentState === 'RUNNING') this.setState('EXITED');
    return outcome;
  }

  /**
   * Lets go of the pipes of the stopped process, and of every earlier one (a restart). Normally they
   * have ended with their process; but a descendant that escaped (left the group and dropped the
   * marker) may still hold them, and an open pipe would keep the runner's event loop — and so the
   * whole test run — from ever finishing.
   */
  private async releasePipes(): Promise<void> {
    await Promise.all(
      [...this.openPipes].map((pipe) => {
        const closed = new Promise<void>((resolve) => pipe.once('close', () => resolve()));
        pipe.destroy();
        return closed;
      }),
    );
  }

  /** Once everything in it is gone, its cgroup goes too; a restart makes it again. */
  private removeEmptyCgroup(): void {
    if (this.cgroup?.remove()) this.cgroup = undefined;
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

  /** Resolves with the exit once the current process has ended; throws after `timeoutMs`. */
  async waitForExit(timeoutMs: number): Promise<ExitRecord> {
    const run = this.current!;
    const controller = new AbortController();
    try {
      const exit = await Promise.race([run.exited, this.clock.sleep(timeoutMs, controller.signal).then(() => undefined)]);
      if (exit === undefined) {
        throw new NotExitedError(`${describeDaemon(this.context)} did not exit within ${formatSeconds(timeoutMs)}; it is still running (pid ${run.pid})`, {
          daemon: this.context,
          timeoutMs,
          output: this.tails(),
        });
      }
      await this.settleOutput();
      return exit;
    } finally {
      controller.abort();
    }
  }

  /**
   * Writes to the daemon's stdin; fails clearly when the daemon has exited or closed it, or has not
   * taken it all within `timeoutMs` (it does not read its stdin).
   */
  async writeStdin(data: Buffer, timeoutMs = DEFAULT_STDIN_TIMEOUT_MS): Promise<void> {
    const stdin = this.current?.child?.stdin;
    const notWritable = (why: string) =>
      new StdinError(`cannot write to the stdin of ${describeDaemon(this.context)}: ${why}`, { daemon: this.context, output: this.tails() });
    if (!stdin || !this.isRunning) throw notWritable(this.exit ? `it ${describeExit(this.exit)}` : 'it is not running');
    if (stdin.writableEnded || stdin.destroyed) throw notWritable('its stdin has been closed');
    const outcome = await writeWithDeadline(stdin, data, timeoutMs, this.clock).catch((error: Error) => {
      throw notWritable(error.message);
    });
    if (outcome.timedOut) {
      throw new StdinError(
        `${describeDaemon(this.context)} is not reading its stdin: it took ${outcome.written} of ${data.length} bytes within ${formatSeconds(timeoutMs)}; ` +
          'the rest was not written',
        { daemon: this.context, timeoutMs, output: this.tails() },
      );
    }
  }

  closeStdin(): void {
    this.current?.child?.stdin?.end();
  }

  /** Stop, then the same command again; readiness looks only at output written after this point. */
  async restart(stop: StopRequest, timeoutMs: number): Promise<void> {
    await this.stop(stop);
    const from = { stdout: this.stdout.size, stderr: this.stderr.size };
    await this.respawn();
    await this.waitUntilReady(timeoutMs, from);
  }

  /** The same command again, once the last process has ended (a supervisor's restart); counts in `restarts`. */
  async respawn(): Promise<void> {
    this.setState('STARTING');
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
    for (const pipe of this.openPipes) pipe.destroy();
    this.stdout.close();
    this.stderr.close();
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.stop({ graceMs: 3000 });
    this.closeFiles();
  }
}


/**
 * Calls `onGone` once the process is no longer there (a zombie counts as gone), looking every
 * 100 ms; returns how to stop looking. Like a child process, it keeps the event loop alive while
 * the process runs, until `closeFiles()`.
 */
function watchUntilGone(pid: number, startTime: number, onGone: () => void): () => void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  // Bound now, like the clock's timers: a user's fake timers must not stop the watch.
  const look = () => {
    if (!isAlive(pid, startTime)) {
      timer = undefined;
      onGone();
      return;
    }
    timer = realSetTimeout(look, 100);
  };
  look();
  return () => {
    if (timer !== undefined) realClearTimeout(timer);
    timer = undefined;
  };
}

import { realClock, type Clock } from './clock.js';
import { Daemon, type DaemonSpec, type OutputStream } from '../process/daemon.js';
import type { ExitRecord } from '../process/exit.js';
import { daemonMarker, newScopeMarker } from '../containment/marker.js';
import type { LaunchedProcess, LaunchRequest, OutputListener, ProcessLauncher, Supervisor } from './supervisor.js';
import type { LifecycleEvent } from '../process/lifecycle.js';
import { DEFAULTS } from '../config.js';

export interface DaemonLauncherOptions {
  /** Where each process's `<name>.stdout` and `<name>.stderr` are kept. */
  outputDirectory: string;
  /** The scope its processes belong to (they carry `<scope>/<name>`). Default: a new scope of this run. */
  scopeMarker?: string;
  /** How long a process may take to become ready, unless its definition says. Default 5 s. */
  readinessTimeoutMs?: number;
  host?: string;
  clock?: Clock;
}

/**
 * The real launcher of a Supervisor: each name is one Daemon (spawned in its own process group
 * with the run's marker, output spooled to files), started again with `respawn()` after an exit,
 * so its output files, restart count and state are those of one daemon across restarts.
 */
export class DaemonLauncher implements ProcessLauncher {
  private readonly daemons = new Map<string, Daemon>();
  private readonly everyDaemon = new Set<Daemon>();
  private readonly definitions = new Map<string, Partial<DaemonSpec>>();
  private readonly latestRun = new Map<Daemon, DaemonRun>();
  private readonly scopeMarker: string;
  private readonly clock: Clock;

  constructor(private readonly options: DaemonLauncherOptions) {
    this.scopeMarker = options.scopeMarker ?? newScopeMarker('supervisor');
    this.clock = options.clock ?? realClock;
  }

  /**
   * What a daemon needs beyond argv, env and cwd — readiness conditions, its command as written,
   * its readiness deadline — given before the supervisor first starts `name`.
   */
  define(name: string, details: Partial<DaemonSpec>): void {
    this.definitions.set(name, details);
  }

  /** The daemon behind a name, once it has been spawned. */
  daemon(name: string): Daemon | undefined {
    return this.daemons.get(name);
  }

  async launch(request: LaunchRequest): Promise<LaunchedProcess> {
    const existing = this.daemons.get(request.name);
    if (existing) {
      const from = { stdout: existing.stdout.size, stderr: existing.stderr.size };
      this.latestRun.get(existing)?.endOutput();
      await existing.respawn();
      return this.track(existing, existing.waitUntilReady({ timeout: this.readinessTimeout(existing), ...request.wait }, from));
    }
    const spec = this.spec(request);
    let daemon: Daemon;
    try {
      daemon = await Daemon.spawn(spec);
    } catch (error) {
      // Kept under its name before the supervisor hears of the failure, so it shows as FATAL.
      const unspawned = Daemon.unspawned(spec, error as Error);
      this.daemons.set(request.name, unspawned);
      this.everyDaemon.add(unspawned);
      throw error;
    }
    this.daemons.set(request.name, daemon);
    this.everyDaemon.add(daemon);
    // A stop by someone else (a step, the teardown) tells the supervisor not to restart it.
    daemon.on('stopping', () => this.latestRun.get(daemon)?.stopRequested());
    return this.track(daemon, daemon.waitUntilReady({ timeout: this.readinessTimeout(daemon), ...request.wait }));
  }

  /**
   * Tells its daemons what their supervisor saw happen (backing off and giving up are the
   * supervisor's to know), so whoever holds a daemon sees the same states and can wait for them; a
   * removed name's daemon is let go.
   */
  mirrorStatesOf(supervisor: Supervisor): void {
    supervisor.on('lifecycle', (name: string, event: LifecycleEvent) => {
      if (event === 'removed') this.daemons.delete(name);
      else if (event !== 'added') this.daemons.get(name)?.lifecycle.handle(event);
    });
  }

  /** Closes the output files of every daemon it started (stop them first). */
  closeFiles(): void {
    for (const daemon of this.everyDaemon) daemon.closeFiles();
  }

  private spec(request: LaunchRequest): DaemonSpec {
    const defined = this.definitions.get(request.name) ?? {};
    return {
      commandLine: request.argv.join(' '),
      outputDirectory: this.options.outputDirectory,
      marker: daemonMarker(this.scopeMarker, request.name),
      host: this.options.host,
      clock: this.clock,
      ...defined,
      name: request.name,
      argv: request.argv,
      env: request.env,
      cwd: request.cwd ?? defined.cwd ?? this.options.outputDirectory,
      port: request.port ?? defined.port,
      // The supervisor writes the `[NAME]` lines itself.
      combinedLog: undefined,
      supervised: true,
    };
  }

  private readinessTimeout(daemon: Daemon): number {
    return daemon.readinessTimeoutMs ?? this.options.readinessTimeoutMs ?? DEFAULTS.startTimeoutMs;
  }

  private track(daemon: Daemon, ready: Promise<void>): DaemonRun {
    const run = new DaemonRun(daemon, ready);
    this.latestRun.set(daemon, run);
    return run;
  }
}

/** One process of a supervised daemon. */
class DaemonRun implements LaunchedProcess {
  readonly pid: number;
  readonly exited: Promise<ExitRecord>;
  private readonly pending: Array<[OutputStream, Buffer | null]> = [];
  private listener: OutputListener | undefined;
  private readonly unsubscribe: Array<() => void>;
  private outputEnded = false;
  private onStop: (() => void) | undefined;

  constructor(
    private readonly daemon: Daemon,
    readonly ready: Promise<void>,
  ) {
    this.pid = daemon.pid!;
    this.exited = daemon.exited;
    ready.catch(() => undefined);
    // Subscribed at once, delivered when the supervisor listens: no chunk is lost in between.
    this.unsubscribe = (['stdout', 'stderr'] as const).map((stream) => daemon[stream].onChunk((chunk) => this.deliver(stream, chunk)));
    this.exited.then(async () => {
      await daemon.settleOutput();
      this.endOutput();
    });
  }

  onOutput(listener: OutputListener): void {
    this.listener = listener;
    for (const [stream, chunk] of this.pending.splice(0)) listener(stream, chunk);
  }

  onStopRequested(listener: () => void): void {
    this.onStop = listener;
  }

  stopRequested(): void {
    this.onStop?.();
  }

  /** A stop already under way (a step's, the teardown's) is shared, not repeated: see `Daemon.stop`. */
  async stop(graceMs: number): Promise<void> {
    await this.daemon.stop({ graceMs });
  }

  tails() {
    return this.daemon.tails();
  }

  /** The end of this process's output: partial last lines are flushed, later chunks are another run's. */
  endOutput(): void {
    if (this.outputEnded) return;
    this.outputEnded = true;
    for (const stop of this.unsubscribe) stop();
    this.deliver('stdout', null);
    this.deliver('stderr', null);
  }

  private deliver(stream: OutputStream, chunk: Buffer | null): void {
    if (this.listener) this.listener(stream, chunk);
    else this.pending.push([stream, chunk]);
  }
}

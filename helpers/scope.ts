import path from 'node:path';
import { AdoptedProcess } from './process/adopted.js';
import { CombinedLog } from './output/combined-log.js';
import { cgroupOfScope } from './containment/containment.js';
import { splitCommand } from './process/command-line.js';
import { keepsWorkspace, resolveConfig, type DaemonStepsConfig } from './config.js';
import { Daemon, type DaemonSpec } from './process/daemon.js';
import { checkPortUse, withPortProbe, workingDirectory, type AdoptOptions, type RestartOptions, type StartOptions } from './start-options.js';

export type { AdoptOptions, RestartOptions, StartOptions } from './start-options.js';
import { DaemonLauncher } from './supervision/daemon-launcher.js';
import { InvalidArgumentError, throwStopFailures } from './errors.js';
import type { ManagedProcess } from './process/managed-process.js';
import { daemonMarker, newScopeMarker } from './containment/marker.js';
import { expandPlaceholders, type PlaceholderValues } from './placeholders.js';
import { choosePort } from './ports/choose-port.js';
import { releasePorts } from './ports/ports.js';
import { DaemonRegistry } from './registry.js';
import { requestDaemon, type DaemonRequestOptions, type HttpResponse } from './http/index.js';
import { Supervisor } from './supervision/supervisor.js';
import { ticksNow } from './containment/proc.js';
import { markPids } from './containment/pid-allocation.js';
import { realClock, type Clock } from './supervision/clock.js';
import type { WaitOptions } from './readiness/wait-options.js';
import { createWorkspace, removeRunDirectoryIfEmpty, removeWorkspace } from './workspace/workspace.js';

/** How long a scope waits for a fixed port that another scope or run has reserved. */
const FIXED_PORT_WAIT_MS = 120_000;

export interface ScopeOptions {
  /** Names the workspace directory and the marker, e.g. the scenario's name. */
  label: string;
  config?: DaemonStepsConfig;
  /** Use this directory instead of creating one. */
  workspace?: string;
  /** How long a start waits for a fixed port another scope or run has reserved (default 120 s; 0: fail at once). */
  fixedPortWaitMs?: number;
  /** What its waits (readiness, exit, state, stop) measure time with (default: the real clock). */
  clock?: Clock;
}

/**
 * Everything one scenario (or any other scope) owns: a workspace directory, a registry of named
 * daemons, a combined log, and the marker its processes carry. `dispose()` stops every daemon in
 * parallel and removes the workspace unless it is to be kept.
 */
export class DaemonScope implements AsyncDisposable {
  readonly config: DaemonStepsConfig;
  readonly workspace: string;
  readonly marker: string;
  readonly registry: DaemonRegistry<Daemon>;
  readonly combinedLog: CombinedLog;
  private supervised: { supervisor: Supervisor; launcher: DaemonLauncher } | undefined;
  private readonly fixedPortWaitMs: number;
  private readonly clock: Clock | undefined;
  /** When the scope began, on the scale of processes' start times: what it adopts is younger. */
  private readonly startedAtTicks = ticksNow();
  private readonly pidMark = markPids();

  constructor(options: ScopeOptions) {
    this.fixedPortWaitMs = options.fixedPortWaitMs ?? FIXED_PORT_WAIT_MS;
    this.clock = options.clock;
    this.config = options.config ?? resolveConfig();
    this.workspace = options.workspace ?? createWorkspace(options.label);
    this.marker = newScopeMarker(options.label);
    this.registry = new DaemonRegistry<Daemon>(this.marker, { containment: this.config.containment, startedAtTicks: this.startedAtTicks, since: this.pidMark });
    this.combinedLog = new CombinedLog(path.join(this.workspace, 'combined.log'));
  }

  get(name: string): Daemon {
    return this.registry.get(name);
  }

  /** Any named process of the scope, spawned or adopted: what stop, signal and exit steps act on. */
  entry(name: string): ManagedProcess {
    return this.registry.entry(name);
  }

  /** Placeholder values: the workspace, and every daemon's port and pid (plus `self` while it starts). */
  placeholders(self?: { name: string; port?: number }): PlaceholderValues {
    return {
      workspace: this.workspace,
      names: () => this.registry.names(),
      self: self?.name,
      port: (name) => (self && name === self.name ? self.port : this.registry.entry(name).port),
      pid: (name) => (this.registry.has(name) ? this.registry.entry(name).pid : undefined),
    };
  }

  /** Text for a message: placeholders expanded where they can be yet (a daemon's own port may not be chosen). */
  expandSoft(text: string, self?: string): string {
    try {
      return expandPlaceholders(text, this.placeholders(self === undefined ? undefined : { name: self }));
    } catch {
      return text;
    }
  }

  expand(text: string): string {
    return expandPlaceholders(text, this.placeholders());
  }

  /** A path as a step writes it, relative to the workspace, placeholders expanded. */
  resolvePath(written: string): string {
    return path.resolve(this.workspace, this.expand(written));
  }

  /** Spawns a daemon and returns once its readiness conditions hold; the error says why not. */
  async start(options: StartOptions): Promise<Daemon> {
    if (options.restart) return this.startSupervised(options, options.restart === true ? {} : options.restart);
    const daemon = await this.spawn(options);
    await daemon.waitUntilReady({ timeout: this.readinessTimeout(options), signal: options.signal });
    return daemon;
  }

  /** Spawns a daemon (registered under its name) without waiting for readiness. */
  async spawn(options: StartOptions): Promise<Daemon> {
    this.registry.assertNameFree(options.name);
    if (options.restart) throw new InvalidArgumentError(`daemon '${options.name}': a supervised daemon (restart) is started with start(), not spawn() or run()`);
    const daemon = await Daemon.spawn(await this.daemonSpec(options));
    return this.registry.add(daemon);
  }

  private async daemonSpec(options: StartOptions): Promise<DaemonSpec> {
    const written = typeof options.command === 'string' ? options.command : options.command.join(' ');
    const ready = [...(options.ready ?? [])];
    // A mistyped name (`${clinet.port}`) is the mistake to report, before what it leads to.
    const known = this.placeholders({ name: options.name, port: 0 });
    for (const text of [written, ...Object.values(options.env ?? {}), options.cwd ?? '']) expandPlaceholders(text, known);
    checkPortUse(options, written, this.expandSoft(written, options.name));
    const host = this.config.host;
    const port = await choosePort({ name: options.name, command: written, port: options.port, host, owner: this.marker, fixedPortWaitMs: this.fixedPortWaitMs });
    const values = this.placeholders({ name: options.name, port });
    const expand = (text: string) => expandPlaceholders(text, values);
    const argv = (typeof options.command === 'string' ? splitCommand(options.command) : [...options.command]).map(expand);
    const env: Record<string, string> = {};
    for (const [key, value] of Object.entries(options.env ?? {})) env[key] = expand(value);
    const commandLine = typeof options.command === 'string' ? expand(options.command) : argv.join(' ');
    const cwd = workingDirectory(this.workspace, options.cwd === undefined ? undefined : expand(options.cwd), { name: options.name, command: commandLine });
    return {
      name: options.name,
      commandLine,
      argv,
      cwd,
      env,
      outputDirectory: this.workspace,
      marker: daemonMarker(this.marker, options.name),
      host,
      port,
      ready: withPortProbe(ready, port),
      readinessTimeoutMs: options.timeout,
      combinedLog: this.combinedLog,
      containment: this.config.containment,
      clock: this.clock,
      waitDefaults: this.config,
    };
  }

  /** The scope's supervisor, which keeps the daemons started `, restarting on exit` running. */
  get supervisor(): Supervisor {
    return this.supervision().supervisor;
  }

  private supervision(): { supervisor: Supervisor; launcher: DaemonLauncher } {
    if (!this.supervised) {
      const launcher = new DaemonLauncher({
        outputDirectory: this.workspace,
        scopeMarker: this.marker,
        readinessTimeoutMs: this.config.startTimeoutMs,
        host: this.config.host,
      });
      const supervisor = new Supervisor({ launcher, killTimeMs: this.config.stopGraceMs, log: this.combinedLog });
      launcher.mirrorStatesOf(supervisor);
      this.supervised = { supervisor, launcher };
    }
    return this.supervised;
  }

  /**
   * Starts a daemon under the scope's supervisor: like `start`, and when it exits it is started
   * again after a back-off (or given up on: FATAL). A daemon that exits before it is ready fails
   * the start and stays supervised (BACKOFF); one that cannot be spawned fails it too, and is
   * registered FATAL, so its state can be asked for.
   */
  private async startSupervised(options: StartOptions, restart: RestartOptions): Promise<Daemon> {
    this.registry.assertNameFree(options.name);
    const spec = await this.daemonSpec(options);
    const { supervisor, launcher } = this.supervision();
    launcher.define(options.name, spec);
    await supervisor.add(options.name, {
      argv: spec.argv,
      env: spec.env,
      cwd: spec.cwd,
      port: spec.port,
      restart: { minDelayMs: restart.minDelayMs, maxDelayMs: restart.maxDelayMs, forever: restart.forever ?? false },
    });
    try {
      await supervisor.start(options.name);
    } finally {
      const daemon = launcher.daemon(options.name);
      if (daemon) this.registry.add(daemon);
    }
    return this.registry.get(options.name);
  }

  /**
   * Runs a command to its end: spawned like a daemon (so its output can be read the same way), its
   * stdin closed at once, awaited whatever its exit code (`, within N seconds` or exitTimeout).
   */
  async run(options: StartOptions): Promise<Daemon> {
    const daemon = await this.spawn(options);
    daemon.closeStdin();
    await daemon.waitForExit({ timeout: options.timeout ?? this.config.exitTimeoutMs, signal: options.signal });
    return daemon;
  }

  /**
   * Registers the process a pid file names (a daemon that forked itself) under `name`, waiting up
   * to the timeout for the file to name a live process, and then for its readiness conditions.
   */
  async adopt(options: AdoptOptions): Promise<AdoptedProcess> {
    this.registry.assertNameFree(options.name);
    const timeoutMs = options.timeout ?? this.config.startTimeoutMs;
    const clock = this.clock ?? realClock;
    const started = clock.now();
    const adopted = await AdoptedProcess.adopt({
      name: options.name,
      pidFile: this.resolvePath(options.pidFile),
      shownAs: this.expand(options.pidFile),
      timeoutMs,
      notStartedBefore: this.startedAtTicks,
      port: options.port,
      signal: options.signal,
      clock: this.clock,
      waitDefaults: this.config,
    });
    this.registry.add(adopted);
    const ready = withPortProbe(options.ready ?? [], options.port);
    if (ready.length > 0) {
      await adopted.waitUntilReady(ready, {
        host: this.config.host,
        workspace: this.workspace,
        timeoutMs: Math.max(0, timeoutMs - (clock.now() - started)),
        signal: options.signal,
      });
    }
    return adopted;
  }

  /** An HTTP request to a daemon of the scope, by name: see `requestDaemon` in http/. */
  request(name: string, options: DaemonRequestOptions = {}): Promise<HttpResponse> {
    return requestDaemon(this, name, options);
  }

  /** Stop, then the same command again; counts in `restarts`. `timeout` (default: its readiness deadline), `signal`, `clock`: the wait for it to be ready again. */
  async restart(name: string, options: WaitOptions = {}): Promise<Daemon> {
    const daemon = this.registry.get(name);
    if (this.supervised?.launcher.daemon(name) === daemon) {
      await this.supervised.supervisor.restart(name, options);
      return daemon;
    }
    await daemon.restart({ graceMs: this.config.stopGraceMs }, options);
    return daemon;
  }

  readinessTimeout(options: Pick<StartOptions, 'timeout'>): number {
    return options.timeout ?? this.config.startTimeoutMs;
  }

  /** Stops every daemon of the scope in parallel; supervised ones are not restarted. */
  async stopAll(): Promise<unknown> {
    // The registry stops every daemon, supervised ones included (the supervisor hears of it and
    // waits for them); the supervisor's own stop also ends a restart that is being spawned now.
    const [registered, supervised] = await Promise.allSettled([this.registry.stopAll(this.config.stopGraceMs), this.supervised?.supervisor.stopAll()]);
    throwStopFailures([registered, supervised]);
    return (registered as PromiseFulfilledResult<unknown>).value;
  }

  /** Stops everything, closes the files, and removes the workspace unless `keepWorkspace`. */
  async dispose(keepWorkspace = false): Promise<void> {
    try {
      await this.stopAll();
    } finally {
      releasePorts(this.marker);
      cgroupOfScope(this.marker)?.remove();
      this.combinedLog.close();
      if (!keepWorkspace) removeWorkspace(this.workspace);
      // Outside Cucumber no AfterAll hook tidies up: the last scope of a run takes the run's directory along.
      removeRunDirectoryIfEmpty();
    }
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.dispose(keepsWorkspace(this.config.keepWorkspace, false));
  }
}


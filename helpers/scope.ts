import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { AdoptedProcess } from './process/adopted.js';
import { parseClauses, parseEnvironmentTable, type RestartPolicyClause, type StartClauses } from './readiness/clauses.js';
import { CombinedLog } from './output/combined-log.js';
import { cgroupOfScope } from './containment/containment.js';
import { splitCommand } from './process/command-line.js';
import { keepsWorkspace, resolveConfig, type DaemonStepsConfig } from './config.js';
import { Daemon, type DaemonSpec, type ReadinessCondition } from './process/daemon.js';
import { DaemonLauncher } from './supervision/daemon-launcher.js';
import { DaemonStepsError, InvalidArgumentError, MissingDirectoryError, PortBusyError, describeDaemon, throwStopFailures } from './errors.js';
import type { ManagedProcess } from './process/managed-process.js';
import { daemonMarker, newScopeMarker } from './containment/marker.js';
import { expandPlaceholders, type PlaceholderValues } from './placeholders.js';
import { allocateFreePort, describePortHolder, isPortInUse, releasePorts, reserveFixedPort } from './ports/ports.js';
import { DaemonRegistry } from './registry.js';
import { requestDaemon, type DaemonRequestOptions, type HttpResponse } from './http/index.js';
import { Supervisor } from './supervision/supervisor.js';
import { ticksNow } from './containment/proc.js';
import { parseText } from './output/text.js';
import { createWorkspace, removeRunDirectoryIfEmpty, removeWorkspace } from './workspace/workspace.js';
import { parsePortNumber } from './ports/port-number.js';

/** How long a scope waits for a fixed port that another scope or run has reserved. */
const FIXED_PORT_WAIT_MS = 120_000;

/** How to start one daemon, as a step (or a services file) says it. */
export interface StartRequest {
  name: string;
  /** The command as written; placeholders are expanded here. */
  command: string;
  /** The clauses, as written after the name (`, on port 8888, …`) or already parsed. */
  clauses?: string | StartClauses;
  /** The rows of the table that follows `, with environment:`. */
  environmentTable?: string[][];
}

export interface ScopeOptions {
  /** Names the workspace directory and the marker, e.g. the scenario's name. */
  label: string;
  config?: DaemonStepsConfig;
  /** Use this directory instead of creating one. */
  workspace?: string;
  /** How long a start waits for a fixed port another scope or run has reserved (default 120 s; 0: fail at once). */
  fixedPortWaitMs?: number;
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
  /** When the scope began, on the scale of processes' start times: what it adopts is younger. */
  private readonly startedAtTicks = ticksNow();

  constructor(options: ScopeOptions) {
    this.fixedPortWaitMs = options.fixedPortWaitMs ?? FIXED_PORT_WAIT_MS;
    this.config = options.config ?? resolveConfig();
    this.workspace = options.workspace ?? createWorkspace(options.label);
    this.marker = newScopeMarker(options.label);
    this.registry = new DaemonRegistry<Daemon>(this.marker, { containment: this.config.containment, startedAtTicks: this.startedAtTicks });
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

  expand(text: string): string {
    return expandPlaceholders(text, this.placeholders());
  }

  /** A path as a step writes it, relative to the workspace, placeholders expanded. */
  resolvePath(written: string): string {
    return path.resolve(this.workspace, this.expand(written));
  }

  /** Spawns a daemon and returns once its readiness clauses hold; the error says why not. */
  async start(request: StartRequest): Promise<Daemon> {
    const clauses = this.clausesOf(request);
    if (clauses.restart) return this.startSupervised(request, clauses, clauses.restart);
    const daemon = await this.spawn(request);
    await daemon.waitUntilReady(this.readinessTimeout(request));
    return daemon;
  }

  /** Spawns a daemon (registered under its name) without waiting for readiness. */
  async spawn(request: StartRequest): Promise<Daemon> {
    this.registry.assertNameFree(request.name);
    const clauses = this.clausesOf(request);
    if (clauses.restart) {
      throw new InvalidArgumentError(`', restarting on exit' keeps a daemon running: start it with "I start …" or "I try to start …"`);
    }
    const daemon = await Daemon.spawn(await this.daemonSpec(request, clauses));
    return this.registry.add(daemon);
  }

  private async daemonSpec(request: StartRequest, clauses: StartClauses): Promise<DaemonSpec> {
    if (clauses.resetCommand !== undefined) {
      throw new InvalidArgumentError(
        `', reset with "${clauses.resetCommand}"' belongs to a shared service: "Given the shared service ${request.name} started with "${request.command}", …, reset with "${clauses.resetCommand}""`,
      );
    }
    const httpWait = clauses.waits.find((wait) => wait.kind === 'http');
    if (httpWait && !clauses.port) {
      throw new InvalidArgumentError(
        `cannot start ${describeDaemon({ name: request.name, command: request.command })}: ', waiting for HTTP ${httpWait.path}' needs a port; ` +
          'add ", on port P" or ", on a free port"',
      );
    }
    const host = this.config.host;
    const port = await this.choosePort(request, clauses, host);
    const values = this.placeholders({ name: request.name, port });
    const expand = (text: string) => expandPlaceholders(text, values);
    const argv = splitCommand(request.command).map(expand);
    const env = this.environment(request, clauses, expand);
    const cwd = this.directory(request, clauses, expand);
    const conditions: ReadinessCondition[] = [];
    if (clauses.port) conditions.push({ kind: 'port' });
    for (const wait of clauses.waits) {
      if (wait.kind === 'output') conditions.push({ kind: 'output', stream: wait.stream, text: parseText(expand(wait.text)) });
      else if (wait.kind === 'http') conditions.push({ kind: 'http', path: expand(wait.path) });
      else conditions.push({ kind: 'file', path: path.resolve(this.workspace, expand(wait.path)), shownAs: expand(wait.path) });
    }
    return {
      name: request.name,
      commandLine: request.command,
      argv,
      cwd,
      env,
      outputDirectory: this.workspace,
      marker: daemonMarker(this.marker, request.name),
      host,
      port,
      conditions,
      readinessTimeoutMs: clauses.withinSeconds !== undefined ? clauses.withinSeconds * 1000 : undefined,
      combinedLog: this.combinedLog,
      containment: this.config.containment,
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
  private async startSupervised(request: StartRequest, clauses: StartClauses, restart: RestartPolicyClause): Promise<Daemon> {
    this.registry.assertNameFree(request.name);
    const spec = await this.daemonSpec(request, clauses);
    const { supervisor, launcher } = this.supervision();
    launcher.define(request.name, spec);
    const seconds = (value: number | undefined) => (value === undefined ? undefined : value * 1000);
    await supervisor.add(request.name, {
      argv: spec.argv,
      env: spec.env,
      cwd: spec.cwd,
      port: spec.port,
      restart: { minDelayMs: seconds(restart.minDelaySeconds), maxDelayMs: seconds(restart.maxDelaySeconds), forever: restart.forever },
    });
    try {
      await supervisor.start(request.name);
    } finally {
      const daemon = launcher.daemon(request.name);
      if (daemon) this.registry.add(daemon);
    }
    return this.registry.get(request.name);
  }

  /**
   * Runs a command to its end: spawned like a daemon (so its output can be read the same way), its
   * stdin closed at once, awaited whatever its exit code (`, within N seconds` or exitTimeout).
   */
  async run(request: StartRequest): Promise<Daemon> {
    const daemon = await this.spawn(request);
    daemon.closeStdin();
    const clauses = this.clausesOf(request);
    await daemon.waitForExit(clauses.withinSeconds !== undefined ? clauses.withinSeconds * 1000 : this.config.exitTimeoutMs);
    return daemon;
  }

  /**
   * Registers the process a pid file names (a daemon that forked itself) under `name`, waiting up
   * to the start timeout for the file to name a live process.
   */
  async adopt(request: { name: string; pidFile: string }): Promise<AdoptedProcess> {
    this.registry.assertNameFree(request.name);
    const adopted = await AdoptedProcess.adopt({
      name: request.name,
      pidFile: this.resolvePath(request.pidFile),
      shownAs: this.expand(request.pidFile),
      timeoutMs: this.config.startTimeoutMs,
      notStartedBefore: this.startedAtTicks,
    });
    return this.registry.add(adopted);
  }

  /** An HTTP request to a daemon of the scope, by name: see `requestDaemon` in http/. */
  request(name: string, options: DaemonRequestOptions = {}): Promise<HttpResponse> {
    return requestDaemon(this, name, options);
  }

  /** Stop, then the same command again; counts in `restarts`. */
  async restart(name: string): Promise<Daemon> {
    const daemon = this.registry.get(name);
    if (this.supervised?.launcher.daemon(name) === daemon) {
      await this.supervised.supervisor.restart(name);
      return daemon;
    }
    await daemon.restart({ graceMs: this.config.stopGraceMs }, daemon.readinessTimeoutMs ?? this.config.startTimeoutMs);
    return daemon;
  }

  private clausesOf(request: StartRequest): StartClauses {
    return typeof request.clauses === 'object' ? request.clauses : parseClauses(request.clauses ?? '');
  }

  readinessTimeout(request: StartRequest): number {
    const clauses = this.clausesOf(request);
    return clauses.withinSeconds !== undefined ? clauses.withinSeconds * 1000 : this.config.startTimeoutMs;
  }

  private async choosePort(request: StartRequest, clauses: StartClauses, host: string): Promise<number | undefined> {
    if (!clauses.port) return undefined;
    if (clauses.port.kind === 'free') return allocateFreePort(host, { owner: this.marker });
    const written = expandPlaceholders(clauses.port.port, this.placeholders());
    const port = parsePortNumber(written);
    if (port === undefined) {
      throw new InvalidArgumentError(`on port ${clauses.port.port}: '${written}' is not a TCP port (1 to 65535)`);
    }
    await reserveFixedPort(port, this.fixedPortWaitMs, undefined, this.marker);
    if (await isPortInUse(port, host)) {
      throw new PortBusyError(port, host, describePortHolder(port), { name: request.name, command: request.command });
    }
    return port;
  }

  private environment(request: StartRequest, clauses: StartClauses, expand: (text: string) => string): Record<string, string> {
    if (clauses.environmentFromTable && !request.environmentTable) {
      throw new InvalidArgumentError("', with environment:' needs a table after the step: | NAME | value |");
    }
    const sources = [...clauses.environment, ...(request.environmentTable ? [parseEnvironmentTable(request.environmentTable)] : [])];
    const env: Record<string, string> = {};
    for (const source of sources) for (const [key, value] of Object.entries(source)) env[key] = expand(value);
    return env;
  }

  private directory(request: StartRequest, clauses: StartClauses, expand: (text: string) => string): string {
    if (clauses.directory === undefined) return this.workspace;
    const directory = path.resolve(this.workspace, expand(clauses.directory));
    if (existsSync(directory) && statSync(directory).isDirectory()) return directory;
    const clause = `', in directory ${clauses.directory}'`;
    const daemon = { name: request.name, command: request.command };
    throw new MissingDirectoryError(
      `cannot start ${describeDaemon(daemon)}: ` +
        (existsSync(directory)
          ? `${clause}: ${directory} is a file, not a directory`
          : `${clause}: there is no directory ${directory}; create it first, e.g. with "Given a file ${clauses.directory}/README with:"`),
      { daemon },
    );
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

// The services file speaks the start steps' clause language: its parser is the steps' own.
import { startOptionsOfClauses } from './clause-options.js';
import path from 'node:path';
import { keepsWorkspace, resolveConfig, type DaemonStepsConfig } from '../config.js';
import type { Daemon } from '../process/daemon.js';
import { DaemonStepsError, PortBusyError, PortReservedError, ServiceStartError, type OutputTails } from '../errors.js';
import type { ExitRecord } from '../process/exit.js';
import { thisRun } from '../containment/marker.js';
import { DaemonScope } from '../scope.js';
import { CONTROL_PID_VARIABLE, SETTINGS_VARIABLE, serviceVariable } from './service-variables.js';
import type { ServiceDefinition, ServicesFile } from './services-file.js';
import { runDefinition } from './run-definition.js';
import { removeSettingsFile, writeSettingsFile, type ServiceSettings, type ServicesSettings } from './services-settings.js';

/** What happens while services start, run and stop, for a progress display. */
export type ServicesProgress =
  | { kind: 'starting'; name: string; command: string }
  | { kind: 'ready'; name: string; elapsedMs: number; pid: number; port?: number }
  | { kind: 'failed'; name: string; elapsedMs: number; error: Error }
  | { kind: 'not started'; name: string; because: string }
  | { kind: 'exited'; name: string; exit: ExitRecord; output: OutputTails }
  | { kind: 'stopping'; names: string[] }
  | { kind: 'stopped'; elapsedMs: number };

export interface ServicesRunOptions {
  config?: DaemonStepsConfig;
  onProgress?: (event: ServicesProgress) => void;
  /** Aborting while the services start stops those that have started; `start` then rejects with the reason. */
  signal?: AbortSignal;
}

/** A service that was not started because one it depends on failed: not the failure to report. */
class DependencyFailed extends Error {}

/**
 * The services of a services file, started in dependency order (each as soon as the services it
 * depends on are ready), owned by this process: `stop()` ends them all and removes their files.
 * While they run, a settings file describes them to other processes.
 */
export class ServicesRun {
  private stopping = false;
  private readonly died = new Set<string>();

  private constructor(
    readonly file: ServicesFile,
    readonly scope: DaemonScope,
    readonly settingsFile: string,
    readonly settings: ServicesSettings,
    private readonly onProgress: (event: ServicesProgress) => void,
  ) {
    for (const daemon of scope.registry.all()) {
      daemon.on('exit', (exit: ExitRecord) => {
        if (this.stopping) return;
        this.died.add(daemon.name);
        void daemon.settleOutput().then(() => onProgress({ kind: 'exited', name: daemon.name, exit, output: daemon.tails() }));
      });
    }
  }

  /**
   * Starts every service; resolves once all are ready and the settings file is written. When one
   * fails, everything started is stopped and the error says which service failed, and why.
   */
  static async start(file: ServicesFile, options: ServicesRunOptions = {}): Promise<ServicesRun> {
    const onProgress = options.onProgress ?? (() => undefined);
    const scope = new DaemonScope({ label: 'services', config: options.config ?? resolveConfig(), fixedPortWaitMs: 0 });
    const giveUp = new AbortController();
    let stoppedEarly: Promise<unknown> | undefined;
    // Stops what runs now, so that starts still waiting for readiness end at once.
    const cutShort = () => {
      if (giveUp.signal.aborted) return;
      giveUp.abort();
      stoppedEarly = scope.stopAll().catch(() => undefined);
    };
    options.signal?.addEventListener('abort', cutShort, { once: true });
    if (options.signal?.aborted) cutShort();

    // The first failure is the one to report: starts cut short because of it, or because of an interruption, are not.
    let failure: { service: ServiceDefinition; error: unknown } | undefined;
    const starts = new Map<string, Promise<Daemon>>();
    for (const service of file.services) {
      const start = startOne(service, scope, starts, giveUp.signal, onProgress);
      starts.set(service.name, start);
      start.catch((error) => {
        if (error instanceof DependencyFailed || giveUp.signal.aborted) return;
        failure = { service, error };
        cutShort();
      });
    }
    await Promise.allSettled(starts.values());
    options.signal?.removeEventListener('abort', cutShort);
    await stoppedEarly;
    if (failure || giveUp.signal.aborted) {
      // The output of a service that failed is kept for reading (unless keepWorkspace is "never");
      // an interrupted start, or one that failed before anything ran, has nothing worth keeping.
      const worthKeeping = failure !== undefined && (failure.error as DaemonStepsError).output !== undefined;
      await scope.dispose(keepsWorkspace(scope.config.keepWorkspace, worthKeeping));
      if (failure) throw describeStartFailure(failure.service, failure.error, file);
      throw options.signal!.reason;
    }
    const settingsFile = path.join(scope.workspace, 'settings.json');
    const settings = describeSettings(file, scope);
    writeSettingsFile(settingsFile, settings);
    return new ServicesRun(file, scope, settingsFile, settings, onProgress);
  }

  get(name: string): Daemon {
    return this.scope.get(name);
  }

  /** What `eval` should set: each service's port and pid, the control pid and the settings file. */
  variables(): Array<[string, string]> {
    return Object.entries(this.settings.variables);
  }

  /** Services that exited by themselves while they were meant to run. */
  get diedUnexpectedly(): string[] {
    return [...this.died];
  }

  /**
   * Stops every service at once (SIGTERM, the grace, SIGKILL) and removes the settings file and
   * the run's directory — which is kept, and returned, when a service died on its own meanwhile,
   * so that its output can be read (unless keepWorkspace is "never"; "always" keeps it anyway).
   */
  async stop(): Promise<{ keptDirectory?: string }> {
    if (this.stopping) return {};
    this.stopping = true;
    const started = performance.now();
    this.onProgress({ kind: 'stopping', names: this.scope.registry.names() });
    removeSettingsFile(this.settingsFile);
    const keep = keepsWorkspace(this.scope.config.keepWorkspace, this.died.size > 0);
    await this.scope.dispose(keep);
    this.onProgress({ kind: 'stopped', elapsedMs: performance.now() - started });
    return keep ? { keptDirectory: this.scope.workspace } : {};
  }
}

async function startOne(
  service: ServiceDefinition,
  scope: DaemonScope,
  starts: Map<string, Promise<Daemon>>,
  giveUp: AbortSignal,
  onProgress: (event: ServicesProgress) => void,
): Promise<Daemon> {
  const dependencies = await Promise.allSettled(service.dependencies.map((name) => starts.get(name)!));
  const failed = service.dependencies.filter((_, index) => dependencies[index]!.status === 'rejected');
  if (failed.length > 0) {
    const because = `${failed.length === 1 ? 'its dependency' : 'its dependencies'} ${failed.join(', ')} did not start`;
    onProgress({ kind: 'not started', name: service.name, because });
    throw new DependencyFailed(because);
  }
  if (giveUp.aborted) {
    onProgress({ kind: 'not started', name: service.name, because: 'another service failed' });
    throw new DependencyFailed('another service failed');
  }
  onProgress({ kind: 'starting', name: service.name, command: service.command });
  const started = performance.now();
  try {
    const daemon = await scope.start(startOptionsOfClauses(scope, service.name, service.command, service.clauses));
    onProgress({ kind: 'ready', name: service.name, elapsedMs: performance.now() - started, pid: daemon.pid!, port: daemon.port });
    return daemon;
  } catch (error) {
    if (!giveUp.aborted) onProgress({ kind: 'failed', name: service.name, elapsedMs: performance.now() - started, error: error as Error });
    throw error;
  }
}

function describeStartFailure(service: ServiceDefinition, error: unknown, file: ServicesFile): ServiceStartError {
  const which = `service '${service.name}' of ${file.file} did not start`;
  if (error instanceof PortBusyError) {
    return new ServiceStartError(
      `${which}: port ${error.port} on ${error.host} is already in use${error.holder ? ` by ${error.holder}` : ''}; ` +
        `stop whatever holds it, or set "port": "free" (and use \${${service.name}.port})`,
      { daemon: error.daemon, cause: error },
    );
  }
  if (error instanceof PortReservedError) {
    return new ServiceStartError(`${which}: ${error.headline}; stop that, or set "port": "free" (and use \${${service.name}.port})`, { cause: error });
  }
  const reason = error instanceof DaemonStepsError ? error : new DaemonStepsError(error instanceof Error ? error.message : String(error));
  return new ServiceStartError(`${which}: ${reason.headline}`, {
    daemon: reason.daemon,
    exit: reason.exit,
    output: reason.output,
    awaited: reason.awaited,
    timeoutMs: reason.timeoutMs,
    elapsedMs: reason.elapsedMs,
    cause: error,
  });
}

function describeSettings(file: ServicesFile, scope: DaemonScope): ServicesSettings {
  const services: Record<string, ServiceSettings> = {};
  const variables: Record<string, string> = {};
  for (const definition of file.services) {
    const daemon = scope.get(definition.name);
    const target = daemon.terminationTarget()!;
    services[definition.name] = {
      pid: target.pid,
      startTime: target.startTime,
      port: daemon.port,
      host: scope.config.host,
      command: daemon.spec.argv.join(' '),
      directory: daemon.spec.cwd,
      stdout: daemon.stdout.path,
      stderr: daemon.stderr.path,
      marker: daemon.spec.marker,
      definition: runDefinition(definition),
    };
    if (daemon.port !== undefined) variables[serviceVariable(definition.name, 'PORT')] = String(daemon.port);
    variables[serviceVariable(definition.name, 'PID')] = String(target.pid);
  }
  const settingsFile = path.join(scope.workspace, 'settings.json');
  variables[CONTROL_PID_VARIABLE] = String(process.pid);
  variables[SETTINGS_VARIABLE] = settingsFile;
  return {
    version: 1,
    file: file.path,
    control: { pid: process.pid, startTime: thisRun.startTime, runId: thisRun.runId },
    workspace: scope.workspace,
    services,
    variables,
  };
}


import { chmodSync, copyFileSync, existsSync, mkdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { splitCommand } from '../process/command-line.js';
import { keepsWorkspace, resolveConfig, type DaemonStepsConfig } from '../config.js';
import { Daemon } from '../process/daemon.js';
import { InvalidArgumentError, SharedServiceError, describeDaemon } from '../errors.js';
import { describeExit } from '../process/exit.js';
import { isAlive } from '../containment/proc.js';
import { DaemonScope, type StartOptions } from '../scope.js';
import { CONTROL_PID_VARIABLE, SETTINGS_VARIABLE, serviceVariable } from './service-variables.js';
import { readSettingsFile, type ServiceSettings, type ServicesSettings } from './services-settings.js';
import { sharedView, type SharedDaemon, type SharedOwner } from './shared-view.js';
import { assertSameDefinition } from './run-definition.js';
import { wording } from '../remedies.js';

export interface SharedServicesOptions {
  /** For the services this process starts (default: from the environment). */
  config?: DaemonStepsConfig;
  /** Where `daemon-steps run` left its variables (default: process.env). */
  env?: NodeJS.ProcessEnv;
}

export interface UseOptions {
  /** Who uses it (a scenario's name), for messages. */
  usedBy?: string;
  /** A command run in the using scope (as `NAME.reset`) before each use. */
  reset?: string;
  /**
   * What the service is, for telling a use that asks for something else (default: its command,
   * port, environment, directory and readiness conditions).
   */
  definition?: string;
}

/** A shared service of this process: one it started, or the running instance of a `daemon-steps run`. */
interface Entry {
  daemon: Daemon;
  owner: SharedOwner;
  /** What it was started with (command and clauses), to catch a scope that asks for something else. */
  definition?: string;
  startedFor?: string;
  /** For the running instance of a `daemon-steps run`: where it came from. */
  found?: RunningService;
}

/** The running instance of a service that a `daemon-steps run` names in the environment. */
export interface RunningService {
  name: string;
  settings: ServiceSettings;
  settingsFile: string;
  run: ServicesSettings;
}

/**
 * Services shared by many scopes (the scenarios of a test worker): each started on first use in a
 * scope of its own and kept running, every later use checks it is still alive and runs its reset.
 * When the environment names a running instance (from `eval "$(daemon-steps run FILE)"`), that is
 * used instead and never stopped from here. `dispose()` stops what this process started.
 */
export class SharedServices implements AsyncDisposable {
  private readonly config: DaemonStepsConfig;
  private readonly env: NodeJS.ProcessEnv;
  private scope: DaemonScope | undefined;
  private readonly entries = new Map<string, Promise<Entry>>();

  constructor(options: SharedServicesOptions = {}) {
    this.config = options.config ?? resolveConfig();
    this.env = options.env ?? process.env;
  }

  /**
   * Makes the shared service `request.name` reachable in `using` (by name, `${NAME.port}`, its
   * output) — starting it, or finding the running instance, on first use; checking it is alive on
   * every later one — then runs its reset (`, reset with "COMMAND"`) in `using`, as `NAME.reset`.
   */
  async use(request: StartOptions, using: DaemonScope, options: UseOptions = {}): Promise<SharedDaemon> {
    if (request.restart) {
      throw new InvalidArgumentError(`shared service '${request.name}': restarting is not for shared services — one that dies is an error, so that the bug shows`);
    }
    const resetCommand = options.reset;
    const definition = options.definition ?? describeDefinition(request);
    const earlier = this.entries.get(request.name);
    const pending = earlier ?? this.begin(request, definition, using, options.usedBy);
    if (!earlier) this.entries.set(request.name, pending);
    const entry = await pending.catch((error: Error) => {
      // The first use reports the failure itself; later ones fail at once, saying it is the same one.
      if (!earlier) throw error;
      throw new SharedServiceError(`shared service '${request.name}' could not be started earlier in this run, so it cannot be used here: ${error.message}`, {
        cause: error,
      });
    });
    if (entry.definition !== undefined && entry.definition !== definition) {
      throw new SharedServiceError(
        `shared service '${request.name}' is already running as ${describeDaemon(entry.daemon.context)}, started for ${entry.startedFor ?? 'another scope'} ` +
          `with other ${wording().start.settings} or another command than "${typeof request.command === 'string' ? request.command : request.command.join(' ')}" here; a shared service has one definition: give this one another name`,
        { daemon: entry.daemon.context },
      );
    }
    assertAlive(entry, this.env);
    if (entry.found) {
      const { settings, run } = entry.found;
      assertSameDefinition(request, { definition: settings.definition, file: run.file, pid: settings.pid });
    }
    const view = using.registry.share(sharedView(entry.daemon, entry.owner));
    if (resetCommand !== undefined) await runReset(using, request.name, resetCommand);
    return view;
  }

  /** The instance a `daemon-steps run` named in the environment, if it names one. */
  runningService(name: string): RunningService | undefined {
    return findRunningService(name, this.env);
  }

  private async begin(request: StartOptions, definition: string, using: DaemonScope, usedBy: string | undefined): Promise<Entry> {
    const found = findRunningService(request.name, this.env);
    if (found) {
      assertRunningServiceAlive(found, this.env);
      const { settings } = found;
      const daemon = Daemon.attach(
        {
          name: request.name,
          commandLine: settings.command,
          argv: [settings.command],
          cwd: settings.directory,
          outputDirectory: path.dirname(settings.stdout),
          marker: settings.marker,
          host: settings.host,
          port: settings.port,
        },
        { pid: settings.pid, startTime: settings.startTime },
      );
      return { daemon, owner: { kind: 'run', controlPid: found.run.control.pid }, found };
    }
    this.scope ??= new DaemonScope({ label: 'shared services', config: this.config });
    bringProgramAlong(request.command, using, this.scope);
    const daemon = await this.scope.start(request);
    return { daemon, owner: { kind: 'worker' }, definition, startedFor: usedBy === undefined ? undefined : `"${usedBy}"` };
  }

  /** Stops the services this process started (never a running instance it found) and removes their directory. */
  async dispose(keepWorkspace = keepsWorkspace(this.config.keepWorkspace, false)): Promise<void> {
    const entries = await Promise.allSettled(this.entries.values());
    this.entries.clear();
    for (const entry of entries) if (entry.status === 'fulfilled' && entry.value.owner.kind === 'run') entry.value.daemon.closeFiles();
    const scope = this.scope;
    this.scope = undefined;
    await scope?.dispose(keepWorkspace);
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.dispose();
  }
}

/**
 * Reads what the environment says about service `name`: `DAEMON_STEPS_<NAME>_PID` and the
 * settings file of `DAEMON_STEPS_SETTINGS`. Undefined when the pid variable is not set; an error
 * when the variables and the settings disagree or the settings are gone.
 */
export function findRunningService(name: string, env: NodeJS.ProcessEnv = process.env): RunningService | undefined {
  const pidVariable = serviceVariable(name, 'PID');
  const pidText = env[pidVariable];
  if (pidText === undefined || pidText === '') return undefined;
  const startOwn = `or unset ${pidVariable} to let the tests start their own '${name}'`;
  if (!/^\d+$/.test(pidText)) throw new SharedServiceError(`${pidVariable}=${pidText} is not a process id; ${startOwn}`);
  const settingsFile = env[SETTINGS_VARIABLE];
  if (settingsFile === undefined || settingsFile === '') {
    throw new SharedServiceError(
      `${pidVariable}=${pidText} names a running '${name}', but ${SETTINGS_VARIABLE} is not set, so its port and output cannot be known: ` +
        `set both, as eval "$(daemon-steps run FILE --daemonize)" does, ${startOwn}`,
    );
  }
  let run: ServicesSettings;
  try {
    run = readSettingsFile(settingsFile, SETTINGS_VARIABLE);
  } catch (error) {
    throw new SharedServiceError(
      `shared service '${name}': ${pidVariable}=${pidText} names an instance that is not running any more — ${(error as Error).message}. ` +
        `${restartAdvice(env, undefined)}; ${startOwn}`,
      { cause: error },
    );
  }
  const settings = run.services[name];
  if (!settings) {
    throw new SharedServiceError(
      `${pidVariable}=${pidText} names a running '${name}', but the settings file ${settingsFile} has no service '${name}' ` +
        `(it has: ${Object.keys(run.services).join(', ') || 'none'}); the variables come from another daemon-steps run: ${restartAdvice(env, run)}`,
    );
  }
  if (String(settings.pid) !== pidText) {
    throw new SharedServiceError(
      `${pidVariable}=${pidText}, but the settings file ${settingsFile} says '${name}' is pid ${settings.pid}: ` +
        `the variables come from another daemon-steps run; ${restartAdvice(env, run)}`,
    );
  }
  return { name, settings, settingsFile, run };
}

/** A running instance that has died is a loud error: what was expected, and how to start it again. */
function assertRunningServiceAlive(found: RunningService, env: NodeJS.ProcessEnv): void {
  const { settings, run, name } = found;
  if (isAlive(settings.pid, settings.startTime)) return;
  const control = isAlive(run.control.pid, run.control.startTime)
    ? `its control process (pid ${run.control.pid}) is still running`
    : `its control process (pid ${run.control.pid}) has ended too`;
  throw new SharedServiceError(
    `shared service '${name}' is not running: ${serviceVariable(name, 'PID')}=${settings.pid} names the instance that daemon-steps run ` +
      `started from ${run.file} (${settings.command}${settings.port === undefined ? '' : `, port ${settings.port}`}), but that process has ended; ${control}. ` +
      `Its output is in ${settings.stdout} and ${settings.stderr}. ${capitalize(restartAdvice(env, run))}`,
  );
}

function assertAlive(entry: Entry, env: NodeJS.ProcessEnv): void {
  if (entry.found) {
    assertRunningServiceAlive(entry.found, env);
    return;
  }
  const { daemon } = entry;
  if (daemon.isRunning) return;
  throw new SharedServiceError(
    `shared service '${daemon.name}' (${daemon.spec.commandLine}) is not running any more: it ${describeExit(daemon.exit!)}. ` +
      `It was started for ${entry.startedFor ?? 'an earlier scope'} and must keep running for the whole test run: a shared service that ends points at a bug in it`,
    { daemon: daemon.context, exit: daemon.exit, output: daemon.tails() },
  );
}

function restartAdvice(env: NodeJS.ProcessEnv, run: ServicesSettings | undefined): string {
  const file = run?.file ?? 'FILE';
  const stop = env[CONTROL_PID_VARIABLE] ? 'eval "$(daemon-steps stop)"; ' : '';
  return `start the services again: ${stop}eval "$(daemon-steps run ${file} --daemonize)"`;
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** Runs the reset command in the using scope, as `NAME.reset`; anything but exit code 0 is an error. */
async function runReset(using: DaemonScope, name: string, command: string): Promise<void> {
  const reset = await using.run({ name: `${name}.reset`, command });
  const exit = reset.exit!;
  if (exit.code === 0) return;
  throw new SharedServiceError(`the reset of shared service '${name}' failed: ${describeDaemon(reset.context)} ${describeExit(exit)}`, {
    daemon: reset.context,
    exit,
    output: reset.tails(),
  });
}

/**
 * A shared service outlives the scope that started it, so it runs in a directory of its own; a
 * program given as a relative path (`./db.sh`, installed in the using scope's workspace) is copied
 * there first.
 */
function bringProgramAlong(command: string | readonly string[], from: DaemonScope, to: DaemonScope): void {
  const program = (typeof command === 'string' ? splitCommand(command) : command)[0]!;
  if (!program.includes('/') || path.isAbsolute(program) || program.includes('${')) return;
  const source = path.resolve(from.workspace, program);
  const target = path.resolve(to.workspace, program);
  if (!existsSync(source) || !statSync(source).isFile() || existsSync(target)) return;
  mkdirSync(path.dirname(target), { recursive: true });
  copyFileSync(source, target);
  chmodSync(target, statSync(source).mode & 0o777);
}


/** What a service is, as far as another use could ask for something else. */
function describeDefinition(request: StartOptions): string {
  const ready = (request.ready ?? []).map((condition) => condition.describe());
  return JSON.stringify([request.command, request.port ?? null, request.env ?? {}, request.cwd ?? null, ready, request.timeout ?? null]);
}

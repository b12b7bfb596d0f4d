import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { DaemonStepsError, InvalidArgumentError, type DaemonScope } from '../../helpers/index.js';
import { resolveInside } from '../../helpers/workspace/files.js';
import { ArubaCommand } from './command.js';
import type { ArubaSettings } from './settings.js';
import type { TextRules } from './text.js';

export type Channel = 'output' | 'stdout' | 'stderr';

/**
 * What Aruba keeps for one scenario, over the scenario's DaemonScope: its settings, the commands in
 * the order they started ("the command started last", "… stopped last"), the environment they get
 * and the directory they run in (the scope's workspace, or where `I cd to` went).
 */
export class ArubaSession {
  readonly scope: DaemonScope;
  settings: ArubaSettings;
  readonly text: TextRules = { keepAnsi: false };
  readonly commands: ArubaCommand[] = [];
  lastStarted: ArubaCommand | undefined;
  lastStopped: ArubaCommand | undefined;
  /** Variables changed for the commands, over the runner's own environment (which stays as it is). */
  readonly environment: Record<string, string> = {};
  /** Where commands run and files are made, relative to the workspace. */
  directory = '.';
  private started = 0;

  constructor(scope: DaemonScope, settings: ArubaSettings, project = process.cwd()) {
    this.scope = scope;
    this.settings = settings;
    const search = [scope.workspace, project].flatMap((root) => [path.join(root, 'bin'), path.join(root, 'exe')]);
    this.environment.PATH = [...search, process.env.PATH ?? ''].join(path.delimiter);
    this.environment.HOME = scope.workspace;
  }

  variable(name: string): string {
    return this.environment[name] ?? process.env[name] ?? '';
  }

  /** A path as a step writes it, in the current directory, refused when it leaves the workspace. */
  expandPath(written: string): string {
    return resolveInside(this.scope.workspace, 'the workspace', path.join(this.directory, this.scope.expand(written)));
  }

  cd(written: string): void {
    const target = this.expandPath(written);
    if (!existsSync(target) || !statSync(target).isDirectory()) {
      throw new InvalidArgumentError(`cannot cd to "${written}": ${target} is not a directory or does not exist; create it first with Given a directory named "${written}"`);
    }
    this.directory = path.relative(this.scope.workspace, target) || '.';
  }

  /** Starts a command in the background; `settings` override the session's for this one. */
  async start(commandLine: string, settings: Partial<ArubaSettings> = {}): Promise<ArubaCommand> {
    this.started += 1;
    const daemon = await this.scope.spawn({
      name: `command-${this.started}`,
      command: commandLine,
      env: { ...this.environment },
      cwd: this.directory === '.' ? undefined : this.directory,
    });
    const command = new ArubaCommand(commandLine, daemon, { ...this.settings, ...settings }, {
      graceMs: this.scope.config.stopGraceMs,
      onStopped: (stopped) => (this.lastStopped = stopped),
    });
    this.commands.push(command);
    this.lastStarted = command;
    await command.settleFor(command.settings.startupWaitTimeMs);
    return command;
  }

  /** Runs a command to its end: stdin closed, up to the exit timeout, then stopped (`I run`). */
  async run(commandLine: string, settings: Partial<ArubaSettings> = {}): Promise<ArubaCommand> {
    const command = await this.start(commandLine, settings);
    command.daemon.closeStdin();
    await command.stop();
    return command;
  }

  lastCommandStarted(): ArubaCommand {
    if (this.lastStarted) return this.lastStarted;
    throw new DaemonStepsError('no command has been started in this scenario; start one first, e.g. with When I run `COMMAND` in the background');
  }

  lastCommandStopped(): ArubaCommand {
    if (this.lastStopped) return this.lastStopped;
    throw new DaemonStepsError('no command has been stopped in this scenario; run one first, e.g. with When I run `COMMAND`');
  }

  /** The command started last with exactly this command line. */
  find(commandLine: string): ArubaCommand {
    const found = this.commands.findLast((command) => command.commandLine === commandLine);
    if (found) return found;
    const started = this.commands.map((command) => `\`${command.commandLine}\``);
    throw new DaemonStepsError(
      `no command \`${commandLine}\` has been started in this scenario; ` + (started.length > 0 ? `started: ${[...new Set(started)].join(', ')}` : 'none has been started'),
    );
  }

  async stopAll(): Promise<void> {
    await Promise.all(this.commands.map((command) => command.stop()));
  }

  async terminateAll(): Promise<void> {
    await Promise.all(this.commands.map((command) => command.terminate()));
  }

  /** Every command's stdout (or stderr, or both: all stdout then all stderr) once all are stopped. */
  async all(channel: Channel): Promise<string> {
    await this.stopAll();
    const stdout = () => this.commands.map((command) => command.stdout()).join('');
    const stderr = () => this.commands.map((command) => command.stderr()).join('');
    return channel === 'stdout' ? stdout() : channel === 'stderr' ? stderr() : stdout() + stderr();
  }
}

/** One channel of one command, once it is stopped. */
export async function channelOf(command: ArubaCommand, channel: Channel): Promise<string> {
  await command.stop();
  return channel === 'stdout' ? command.stdout() : channel === 'stderr' ? command.stderr() : command.output();
}

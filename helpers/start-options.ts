import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { FreePortUnusedError, InvalidArgumentError, MissingDirectoryError, describeDaemon } from './errors.js';
import { isProbeFactory, type ReadyCondition } from './readiness/probe.js';
import { waitFor } from './readiness/wait-for.js';

/** How a supervised daemon is restarted when it exits (see the README's supervision section). */
export interface RestartOptions {
  /** The first back-off (default 1 s); it doubles while the daemon keeps dying soon after its start. */
  minDelayMs?: number;
  /** The longest back-off (default 60 s). */
  maxDelayMs?: number;
  /** Never give up (default: FATAL after 3 quick deaths in a row). */
  forever?: boolean;
}

/**
 * How to start one daemon. `command`, `env` values and `cwd` take the placeholders `${NAME.port}`
 * (its own too), `${NAME.pid}`, `${workspace}` and `${project}`.
 */
export interface StartOptions {
  name: string;
  /** argv (no shell), or one string split into words like a shell would (no shell runs it either). */
  command: string | readonly string[];
  /** A port nobody uses (`'free'`, then `${NAME.port}`), or a fixed one; the start waits until it accepts connections. */
  port?: 'free' | number;
  /** Variables added to the runner's environment for this daemon only. */
  env?: Readonly<Record<string, string>>;
  /** Working directory (relative: to the workspace; default the workspace). */
  cwd?: string;
  /** What must hold before it counts as ready: all of them (`waitFor.*`, or a `Probe` of your own). */
  ready?: readonly ReadyCondition[];
  /** The readiness deadline in ms (default: the start timeout, 5 s); for `run`, how long it may run (default: the exit timeout). */
  timeout?: number;
  /** Cancels the wait for readiness (the daemon stays registered and is stopped with the scope). */
  signal?: AbortSignal;
  /** Kept running by the scope's supervisor: restarted with back-off whenever it exits. */
  restart?: boolean | RestartOptions;
}

/** A process that another one started (a daemon that forked itself), found through its pid file. */
export interface AdoptOptions {
  name: string;
  /** Relative to the workspace; placeholders expanded. */
  pidFile: string;
  /** Its port, for `waitFor.port()` and `waitFor.http()` (waited for when given). */
  port?: number;
  /** Conditions that must hold once it is adopted (output cannot be watched: it is not our child). */
  ready?: readonly ReadyCondition[];
  /** For the pid file and the readiness conditions together (default: the start timeout). */
  timeout?: number;
  signal?: AbortSignal;
}

/** Refuses, before anything is spawned, a start whose conditions need a port it has not got, or whose free port nobody is told of. */
export function checkPortUse(options: StartOptions, command: string, shown: string): void {
  const needsPort = (options.ready ?? []).find((condition) => isProbeFactory(condition) && condition.needsPort);
  if (needsPort && options.port === undefined) {
    throw new InvalidArgumentError(
      `cannot start ${describeDaemon({ name: options.name, command: shown })}: waiting for ${needsPort.describe()} needs a port; give it one (port: 'free' or a number)`,
    );
  }
  if (options.port === 'free') assertUsesItsPort(options, command, shown);
}

/**
 * A free port is chosen when the daemon starts: it can only listen on it if `${NAME.port}` reaches
 * it, through its command or its environment. Without, the start could only time out.
 */
function assertUsesItsPort(options: StartOptions, command: string, shown: string): void {
  const placeholder = `\${${options.name}.port}`;
  const mentioned = [command, ...Object.values(options.env ?? {}), options.cwd ?? ''].some((text) => text.includes(placeholder));
  if (mentioned) return;
  throw new FreePortUnusedError(
    `cannot start ${describeDaemon({ name: options.name, command: shown })}: it is given a free port, but neither its command nor its environment ` +
      `mentions ${placeholder}, so it cannot know which port to listen on; pass ${placeholder} to it (e.g. "--port ${placeholder}" or PORT=${placeholder})`,
    { daemon: { name: options.name, command: shown } },
  );
}

/** A daemon with a port is ready only once the port accepts connections, whatever else it waits for. */
export function withPortProbe(ready: readonly ReadyCondition[], port: number | undefined): ReadyCondition[] {
  const hasPortProbe = ready.some((condition) => isProbeFactory(condition) && condition.isPortProbe);
  return port === undefined || hasPortProbe ? [...ready] : [waitFor.port(), ...ready];
}

/** The working directory a start asks for (relative: to the workspace), which must exist. */
export function workingDirectory(workspace: string, cwd: string | undefined, daemon: { name: string; command: string }): string {
  if (cwd === undefined) return workspace;
  const directory = path.resolve(workspace, cwd);
  if (existsSync(directory) && statSync(directory).isDirectory()) return directory;
  throw new MissingDirectoryError(
    `cannot start ${describeDaemon(daemon)}: ` +
      (existsSync(directory) ? `its working directory ${directory} is a file, not a directory` : `there is no directory ${directory} to run it in; create it first`),
    { daemon },
  );
}

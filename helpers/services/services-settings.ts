import { readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { SharedServiceError } from '../errors.js';
import type { RunDefinition } from './run-definition.js';

/** One running service, as `daemon-steps run` describes it to other processes. */
export interface ServiceSettings {
  pid: number;
  /** Start time of the process (clock ticks since boot): proves the pid still names it. */
  startTime: number;
  port?: number;
  host: string;
  command: string;
  directory: string;
  /** The files its output is written to, as it arrives. */
  stdout: string;
  stderr: string;
  /** The DAEMON_STEPS_RUN value its processes carry. */
  marker: string;
  /** What the services file asks for, to catch a scenario that asks for something else under its name. */
  definition?: RunDefinition;
}

/** The settings file: what a `daemon-steps run` started, for whoever wants to use it. */
export interface ServicesSettings {
  version: 1;
  /** The services file, absolute. */
  file: string;
  /** The process that owns the services: stopping it (SIGTERM, or even SIGKILL) stops them all. */
  control: { pid: number; startTime: number; runId: string };
  /** A directory of this run only (`${workspace}`). */
  workspace: string;
  services: Record<string, ServiceSettings>;
  /** What `daemon-steps run` printed for `eval`. */
  variables: Record<string, string>;
}

/**
 * Writes the settings so that a reader never sees half a file: into a temporary file beside it,
 * then renamed over it (atomic on one file system).
 */
export function writeSettingsFile(file: string, settings: ServicesSettings): void {
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, `${JSON.stringify(settings, null, 2)}\n`);
  renameSync(temporary, file);
}

/** Reads a settings file; a missing or unreadable one is a SharedServiceError saying what it means. */
export function readSettingsFile(file: string, variable: string): ServicesSettings {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    const missing = (error as NodeJS.ErrnoException).code === 'ENOENT';
    throw new SharedServiceError(
      missing
        ? `${variable}=${file} names a settings file that does not exist: the services that daemon-steps run started there have stopped`
        : `cannot read the settings file ${file} (${variable}): ${(error as Error).message}`,
    );
  }
  let settings: unknown;
  try {
    settings = JSON.parse(text);
  } catch (error) {
    throw new SharedServiceError(`the settings file ${file} (${variable}) is not valid JSON: ${(error as Error).message}`);
  }
  if (!isSettings(settings)) {
    throw new SharedServiceError(`the settings file ${file} (${variable}) was not written by this version of daemon-steps run (no "version": 1 with "control" and "services")`);
  }
  return settings;
}

export function removeSettingsFile(file: string): void {
  rmSync(file, { force: true });
}

function isSettings(value: unknown): value is ServicesSettings {
  if (typeof value !== 'object' || value === null) return false;
  const settings = value as Partial<ServicesSettings>;
  return settings.version === 1 && typeof settings.control?.pid === 'number' && typeof settings.services === 'object' && settings.services !== null;
}

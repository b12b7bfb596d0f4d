import { randomBytes } from 'node:crypto';
import { readProcStat } from './proc.js';

/**
 * Every process daemon-steps spawns carries `DAEMON_STEPS_RUN=<run id>:<scope>/<daemon>` in its
 * environment, and its descendants inherit it. The run id names the runner process (pid and start
 * time, so a sweep can tell whether that runner is still alive); the scope names a scenario, a
 * worker's shared services or a command-line session.
 */
export const MARKER_VARIABLE = 'DAEMON_STEPS_RUN';

/** Carried by a run's watchdog, with the run id: while it lives, the run is not abandoned. */
export const WATCHDOG_VARIABLE = 'DAEMON_STEPS_WATCHDOG';

export interface RunIdentity {
  runId: string;
  pid: number;
  startTime: number;
}

function identifyThisRun(): RunIdentity {
  const startTime = readProcStat(process.pid)?.startTime ?? 0;
  return { runId: `${process.pid}.${startTime}.${randomBytes(3).toString('hex')}`, pid: process.pid, startTime };
}

export const thisRun: RunIdentity = identifyThisRun();

/** Splits a marker into its parts; undefined when it is not one of ours. */
export function parseMarker(marker: string): { runId: string; pid: number; startTime: number; scope: string } | undefined {
  const match = /^(\d+)\.(\d+)\.([0-9a-f]+):(.*)$/.exec(marker);
  if (!match) return undefined;
  return { runId: `${match[1]}.${match[2]}.${match[3]}`, pid: Number(match[1]), startTime: Number(match[2]), scope: match[4]! };
}

let scopeCounter = 0;

/** A new scope of this run: `<run id>:<label>-<n>`; daemons get `<scope>/<name>` under it. */
export function newScopeMarker(label: string): string {
  scopeCounter += 1;
  return `${thisRun.runId}:${label.replace(/[^A-Za-z0-9_.-]+/g, '-').slice(0, 40)}-${scopeCounter}`;
}

export function daemonMarker(scopeMarker: string, daemonName: string): string {
  return `${scopeMarker}/${daemonName}`;
}

export function isInScope(marker: string, scopeMarker: string): boolean {
  return marker === scopeMarker || marker.startsWith(`${scopeMarker}/`);
}

import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { Cgroup, cgroupOf, cgroupUnavailableReason } from './cgroup.js';
import { ContainmentError, InvalidArgumentError } from '../errors.js';
import { wording } from '../remedies.js';
import { sendSignal } from './proc.js';
import { thisRun } from './marker.js';

/**
 * How daemons are contained:
 * - `auto`: in a cgroup where this runner may make one (see cgroup.ts), else by process group,
 *   marker and parent links — with one line in the run's output saying so;
 * - `cgroup`: in a cgroup, or a start fails saying why it cannot be;
 * - `process-group`: process group, marker and parent links only (what a runner without a
 *   writable cgroup hierarchy gets).
 */
export type ContainmentSetting = 'auto' | 'cgroup' | 'process-group';
export const CONTAINMENT_SETTINGS: readonly ContainmentSetting[] = ['auto', 'cgroup', 'process-group'];

/** A run's cgroup is named after its run id, so a sweep can tell whose it is and whether its runner lives. */
export const RUN_CGROUP_PREFIX = 'daemon-steps-';
/** The run's watchdog moves itself here: while it is populated, the run is not abandoned. */
export const WATCHDOG_CGROUP = 'watchdog';

/** The cgroup that holds every daemon of this run, made on first use; undefined where cgroups are not to be had. */
let runCgroup: Cgroup | null | undefined;
let runnerCgroup: Cgroup | null | undefined;
let unavailableReason: string | undefined;
let fallbackAnnounced = false;
const runCgroupListeners: Array<(cgroup: Cgroup) => void> = [];

/** The cgroup of this run, made when first asked for; undefined (with `whyNoCgroup()`) where it cannot be. */
export function thisRunCgroup(): Cgroup | undefined {
  if (runCgroup !== undefined) return runCgroup ?? undefined;
  runCgroup = null;
  const home = runnerHome();
  unavailableReason = cgroupUnavailableReason(home);
  if (unavailableReason !== undefined || !home) return undefined;
  let made: Cgroup;
  try {
    made = home.child(`${RUN_CGROUP_PREFIX}${thisRun.runId}`);
  } catch (error) {
    unavailableReason = `cannot create a cgroup below ${home.directory}: ${(error as Error).message}`;
    return undefined;
  }
  // cgroup.kill is in every cgroup but the root of the hierarchy, from Linux 5.14 on.
  if (!made.exists() || !hasKill(made)) {
    made.remove();
    unavailableReason = 'the kernel has no cgroup.kill (Linux 5.14 or later is needed)';
    return undefined;
  }
  runCgroup = made;
  for (const listener of runCgroupListeners) listener(made);
  return made;
}

function hasKill(cgroup: Cgroup): boolean {
  try {
    // Writing 0 kills nothing; it fails where the file does not exist.
    writeFileSync(path.join(cgroup.directory, 'cgroup.kill'), '0');
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code !== 'ENOENT';
  }
}

/** Why this run's daemons are not in cgroups (after `thisRunCgroup()` found none). */
export function whyNoCgroup(): string | undefined {
  return unavailableReason;
}

/** Calls `listener` with the run's cgroup once it exists (at once, if it does). */
export function onRunCgroup(listener: (cgroup: Cgroup) => void): void {
  if (runCgroup) listener(runCgroup);
  else runCgroupListeners.push(listener);
}

/** The fallback's one line, written once per run. */
function announceFallback(why: string): void {
  if (fallbackAnnounced) return;
  fallbackAnnounced = true;
  process.stderr.write(
    `daemon-steps: daemons are contained by process group, marker and parent links, not by cgroup (${why}); ` +
      `a process that clears its environment and calls setsid can outlive its ${wording().scope} (see README, "Containment")\n`,
  );
}

/**
 * The cgroup a new daemon is to be spawned into: `<run>/<scope>/<daemon>` after its marker
 * (`<run id>:<scope>/<daemon>`), or undefined when the setting or the machine says process groups.
 */
export function cgroupForDaemon(setting: ContainmentSetting, daemonMarker: string): Cgroup | undefined {
  if (setting === 'process-group') return undefined;
  const run = thisRunCgroup();
  if (!run) {
    const why = whyNoCgroup() ?? 'cgroups are not available';
    if (setting === 'cgroup') {
      throw new InvalidArgumentError(`containment "cgroup" was asked for, but ${why}; use "auto" or "process-group" (DAEMON_STEPS_CONTAINMENT)`);
    }
    announceFallback(why);
    return undefined;
  }
  return segmentsOf(daemonMarker).reduce((cgroup, segment) => cgroup.child(segment), run);
}

/** The cgroup of a scope of this run (`<run>/<scope>`), if the run has a cgroup; it may not exist yet. */
export function cgroupOfScope(scopeMarker: string): Cgroup | undefined {
  if (!runCgroup) return undefined;
  return new Cgroup(path.join(runCgroup.directory, ...segmentsOf(scopeMarker)));
}

/** `<run id>:<label>-<n>/<daemon>`: the parts after the run id name the scope and the daemon. */
function segmentsOf(marker: string): string[] {
  return marker.slice(marker.indexOf(':') + 1).split('/').map(safeSegment);
}

function safeSegment(name: string): string {
  const safe = name.replace(/[^A-Za-z0-9_.-]+/g, '-').replace(/^\.+/, '_');
  return safe === '' || safe === WATCHDOG_CGROUP ? `_${safe}` : safe;
}

/** What spawnInCgroup needs of a spawned child: Node's ChildProcess, execa's subprocess. */
export interface SpawnedChild {
  readonly pid?: number;
  readonly exitCode: number | null;
  readonly signalCode: NodeJS.Signals | null;
  kill(signal: NodeJS.Signals): boolean;
  once(event: 'exit', listener: () => void): unknown;
}

/** Moves this process into a cgroup (writing 0 to its cgroup.procs moves the writer). */
export type MoveSelf = (cgroup: Cgroup) => void;

const moveSelf: MoveSelf = (cgroup) => writeFileSync(path.join(cgroup.directory, 'cgroup.procs'), '0');

/**
 * Spawns into `cgroup`: the runner moves itself in for the one synchronous call of `spawn`, so the
 * child is forked inside and its program's first instruction already runs there, and moves back
 * before returning (also when `spawn` throws). Node's spawn returns only once the child has exec'd,
 * so nothing else of the runner can start or run meanwhile. Cheaper than a shell that enters the
 * cgroup and then execs the program: no second exec, and no wait until the shell has become the
 * program before the process table shows it.
 *
 * A failed move back is tried once more; failing again, the runner is stuck in the daemon's cgroup
 * (which then refuses to be ended: see refuseIfHoldingRunner), so the child is ended and reaped
 * here — nobody would stop an untracked child — and the ContainmentError says so. `move` is for
 * tests, which inject the failing write.
 */
export async function spawnInCgroup<T extends SpawnedChild>(cgroup: Cgroup, spawn: () => T, move: MoveSelf = moveSelf): Promise<{ child: T }> {
  const home = runnerHome();
  if (!home) throw new ContainmentError(`cannot enter cgroup ${cgroup.directory}: this runner's own cgroup is unknown`);
  move(cgroup);
  let child: T | undefined;
  let spawnError: unknown;
  try {
    child = spawn();
  } catch (error) {
    spawnError = error;
  }
  const stuck = moveBack(home, move);
  if (stuck) {
    const ended = child?.pid !== undefined;
    if (ended) await endChild(child!);
    throw new ContainmentError(
      `this runner (pid ${process.pid}) spawned into cgroup ${cgroup.directory} but could not move back to its own, ${home.directory}, ` +
        `in two tries (${stuck.message}); ${ended ? `the process it spawned (pid ${child!.pid}) was ended` : 'nothing was left running'}. ` +
        `While the runner is in it, that cgroup is not ended (that would end the run); move the runner out (echo ${process.pid} > ${home.directory}/cgroup.procs)`,
      { cause: stuck },
    );
  }
  if (spawnError !== undefined) throw spawnError;
  // In a box: the child may be a promise too (execa's), which an async function would await.
  return { child: child! };
}

/** Moves the runner back home, trying twice; the last error when both tries failed. */
function moveBack(home: Cgroup, move: MoveSelf): Error | undefined {
  let last: Error | undefined;
  for (let attempt = 0; attempt < 2; attempt += 1) {
    try {
      move(home);
      return undefined;
    } catch (error) {
      last = error as Error;
    }
  }
  return last;
}

/**
 * SIGKILL to a child we just spawned and to the process group it leads (spawned detached), then
 * waits until it is reaped: until then its pid, and so its group, cannot name anyone else.
 */
async function endChild(child: SpawnedChild): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  sendSignal(-child.pid!, 'SIGKILL');
  child.kill('SIGKILL');
  await exited;
}

/** Where the runner lives, read once: while it spawns, `/proc/self/cgroup` names a daemon's cgroup. */
function runnerHome(): Cgroup | undefined {
  if (runnerCgroup === undefined) runnerCgroup = cgroupOf('self') ?? null;
  return runnerCgroup ?? undefined;
}

/** Whether a process is inside a cgroup of some daemon-steps run, and if so which cgroup. */
export function runCgroupOfProcess(pid: number): Cgroup | undefined {
  const cgroup = cgroupOf(pid);
  if (!cgroup || !cgroup.directory.includes(`/${RUN_CGROUP_PREFIX}`)) return undefined;
  return cgroup;
}

/** What contains this run's daemons under `setting`: cgroups below `directory`, or process groups and why. */
export function containmentInUse(setting: ContainmentSetting = 'auto'): { kind: 'cgroup'; directory: string } | { kind: 'process-group'; reason: string } {
  if (setting === 'process-group') return { kind: 'process-group', reason: 'containment "process-group" was asked for' };
  if (runCgroup) return { kind: 'cgroup', directory: runCgroup.directory };
  if (runCgroup === null) return { kind: 'process-group', reason: whyNoCgroup() ?? 'cgroups are not available' };
  const home = runnerHome();
  const reason = cgroupUnavailableReason(home);
  return reason === undefined && home
    ? { kind: 'cgroup', directory: path.join(home.directory, `${RUN_CGROUP_PREFIX}${thisRun.runId}`) }
    : { kind: 'process-group', reason: reason ?? 'cgroups are not available' };
}

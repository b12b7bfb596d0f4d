import path from 'node:path';
import { Cgroup, cgroupOf } from './cgroup.js';
import { realClock, type Clock } from '../supervision/clock.js';
import { RUN_CGROUP_PREFIX, WATCHDOG_CGROUP } from './containment.js';
import { MARKER_VARIABLE, parseMarker, thisRun, WATCHDOG_VARIABLE } from './marker.js';
import { hasProcFs, isAlive, listPids, ownerOf, readCommandLine, readEnvironmentVariables } from './proc.js';
import { ProcessFamily, type FamilyMember } from './family.js';
import { endFamily } from './terminate.js';

/**
 * Everything one run started: processes carrying its marker (`<run id>:…`), the process groups it
 * registered (while their leaders are proved alive), and their descendants.
 */
export function runFamily(runId: string, groups?: ReadonlyMap<number, number>): ProcessFamily {
  // A run id is `<runner pid>.<runner start time>.<random>`: nothing of the run is older than its runner.
  const startedNotBefore = Number(runId.split('.')[1]) || 0;
  return new ProcessFamily({ groups, acceptsMarker: (marker) => marker.startsWith(`${runId}:`), startedNotBefore });
}

export interface EndRunOptions {
  /** How long SIGTERM has before SIGKILL. */
  graceMs: number;
  /** Groups the run registered: pgid → start time of its leader. */
  groups?: ReadonlyMap<number, number>;
  clock?: Clock;
}

/** How long a look must find nothing before a run counts as ended: a fork caught mid-exec shows up. */
const SETTLE_MS = 100;

/**
 * Ends every process of a run: SIGTERM, the grace, SIGKILL, then looks again until two looks in a
 * row find nothing (a process forked while the runner died may have had no marker yet at the first
 * look). Returns what was ended.
 */
export async function endRun(runId: string, options: EndRunOptions): Promise<FamilyMember[]> {
  const clock = options.clock ?? realClock;
  const family = runFamily(runId, options.groups);
  await endFamily(family, { graceMs: options.graceMs, clock });
  for (let quietLooks = 0; quietLooks < 2; ) {
    await clock.sleep(SETTLE_MS);
    if (family.members().length === 0) {
      quietLooks += 1;
    } else {
      quietLooks = 0;
      await endFamily(family, { signal: 'SIGKILL', graceMs: 0, clock });
    }
  }
  return family.everSeen;
}

export interface AbandonedRun {
  runId: string;
  runnerPid: number;
  /** The run's cgroup, when it had one. */
  cgroup?: Cgroup;
}

/**
 * Runs of this user proved abandoned: their runner (pid and start time, from the run id) is gone
 * and so is their watchdog, which would otherwise end them itself. Runs of other users, and runs
 * whose watchdog still lives (it may be busy ending them right now), are not ours to end.
 */
export function findAbandonedRuns(): AbandonedRun[] {
  const runs = new Map<string, AbandonedRun>();
  for (const run of abandonedRunCgroups()) runs.set(run.runId, run);
  if (!hasProcFs) return [...runs.values()];
  const uid = process.getuid?.();
  const candidates = new Map<string, { runnerPid: number; pids: number[] }>();
  const watchdogs = new Set<string>();
  for (const pid of listPids()) {
    if (pid === process.pid) continue;
    const [marker, watchdogOf] = readEnvironmentVariables(pid, [MARKER_VARIABLE, WATCHDOG_VARIABLE]);
    if (watchdogOf !== undefined) watchdogs.add(watchdogOf);
    const parsed = marker === undefined ? undefined : parseMarker(marker);
    if (!parsed || parsed.runId === thisRun.runId || runs.has(parsed.runId)) continue;
    const candidate = candidates.get(parsed.runId);
    if (candidate) candidate.pids.push(pid);
    else if (!isAlive(parsed.pid, parsed.startTime)) candidates.set(parsed.runId, { runnerPid: parsed.pid, pids: [pid] });
  }
  // Watchdogs of earlier versions carry no variable, only their command line.
  if (candidates.size > 0) {
    for (const pid of listPids()) {
      const runId = /reaper-main\.[jt]s --run (\S+)/.exec(readCommandLine(pid))?.[1];
      if (runId !== undefined) watchdogs.add(runId);
    }
  }
  for (const [runId, candidate] of candidates) {
    if (watchdogs.has(runId)) continue;
    if (uid !== undefined && candidate.pids.some((pid) => (ownerOf(pid) ?? uid) !== uid)) continue;
    runs.set(runId, { runId, runnerPid: candidate.runnerPid });
  }
  return [...runs.values()];
}

/** The cgroups of abandoned runs beside this runner's own (runs started from the same cgroup: a shell, a CI job). */
function abandonedRunCgroups(): AbandonedRun[] {
  const home = cgroupOf('self');
  if (!home) return [];
  const uid = process.getuid?.();
  const runs: AbandonedRun[] = [];
  for (const cgroup of home.children()) {
    const name = path.basename(cgroup.directory);
    if (!name.startsWith(RUN_CGROUP_PREFIX)) continue;
    const runner = parseMarker(`${name.slice(RUN_CGROUP_PREFIX.length)}:`);
    if (!runner || runner.runId === thisRun.runId || isAlive(runner.pid, runner.startTime)) continue;
    if (new Cgroup(path.join(cgroup.directory, WATCHDOG_CGROUP)).populated()) continue;
    if (uid !== undefined && cgroup.owner() !== uid) continue;
    runs.push({ runId: runner.runId, runnerPid: runner.pid, cgroup });
  }
  return runs;
}

/**
 * Ends everything in a cgroup and below it, as a stop ends a family (SIGTERM, the grace, then the
 * kernel's `cgroup.kill`), and removes the emptied cgroups. With `except`, only the cgroups below it
 * that `except` does not name are ended and removed (the watchdog's own stays).
 */
export async function endCgroup(cgroup: Cgroup, options: { graceMs: number; clock?: Clock; except?: (cgroup: Cgroup) => boolean }): Promise<FamilyMember[]> {
  const except = options.except;
  const parts = () => (except ? cgroup.children().filter((child) => !except(child)) : [cgroup]);
  const family = new ProcessFamily({ cgroups: parts });
  await endFamily(family, { graceMs: options.graceMs, clock: options.clock });
  for (const part of parts()) part.remove();
  return family.everSeen;
}

export interface SweepReport {
  runs: AbandonedRun[];
  ended: FamilyMember[];
}

/**
 * Ends what earlier runs of this user left behind when their runner and its watchdog both died
 * (killed together, say). Runs whose runner or watchdog is alive, ours included, are left alone.
 */
export async function sweepAbandonedRuns(options: { graceMs?: number; clock?: Clock } = {}): Promise<SweepReport> {
  const runs = findAbandonedRuns();
  const graceMs = options.graceMs ?? 1000;
  const ended = await Promise.all(
    runs.map(async (run) => [
      ...(run.cgroup ? await endCgroup(run.cgroup, { graceMs, clock: options.clock }) : []),
      ...(await endRun(run.runId, { graceMs, clock: options.clock })),
    ]),
  );
  return { runs, ended: ended.flat() };
}

/** One line for the log, or undefined when there was nothing to sweep. */
export function describeSweep(report: SweepReport): string | undefined {
  if (report.ended.length === 0) return undefined;
  const runners = report.runs.map((run) => run.runnerPid).join(', ');
  return (
    `daemon-steps: ended ${describeMembers(report.ended)} left behind by an earlier run ` +
    `whose runner (pid ${runners}) is gone`
  );
}

/** "3 processes: 1234 (sleep 1000), 1235 (python3 server.py 8080)": paths shortened to their last part. */
export function describeMembers(members: FamilyMember[]): string {
  const short = (commandLine: string) => commandLine.split(' ').map((word) => (word.includes('/') ? path.basename(word) : word)).join(' ').slice(0, 60);
  const shown = members.slice(0, 8).map((m) => `${m.pid} (${short(m.commandLine) || '?'})`);
  const more = members.length > shown.length ? `, and ${members.length - shown.length} more` : '';
  return `${members.length} process${members.length === 1 ? '' : 'es'}: ${shown.join(', ')}${more}`;
}

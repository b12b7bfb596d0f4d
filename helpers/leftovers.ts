import path from 'node:path';
import { realClock, type Clock } from './clock.js';
import { MARKER_VARIABLE, parseMarker, thisRun } from './marker.js';
import { hasProcFs, isAlive, listPids, readEnvironmentVariable } from './proc.js';
import { endFamily, ProcessFamily, type FamilyMember } from './terminate.js';

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
}

/** Runs that still have processes but whose runner (pid and start time, from the run id) is gone. */
export function findAbandonedRuns(): AbandonedRun[] {
  if (!hasProcFs) return [];
  const runs = new Map<string, AbandonedRun>();
  for (const pid of listPids()) {
    if (pid === process.pid) continue;
    const marker = readEnvironmentVariable(pid, MARKER_VARIABLE);
    const parsed = marker === undefined ? undefined : parseMarker(marker);
    if (!parsed || parsed.runId === thisRun.runId || runs.has(parsed.runId)) continue;
    if (!isAlive(parsed.pid, parsed.startTime)) runs.set(parsed.runId, { runId: parsed.runId, runnerPid: parsed.pid });
  }
  return [...runs.values()];
}

export interface SweepReport {
  runs: AbandonedRun[];
  ended: FamilyMember[];
}

/**
 * Ends what earlier runs left behind when their runner died without a reaper to clean up (or
 * while it was still at work). Processes of runs whose runner is alive, ours included, are left
 * alone.
 */
export async function sweepAbandonedRuns(options: { graceMs?: number; clock?: Clock } = {}): Promise<SweepReport> {
  const runs = findAbandonedRuns();
  const ended = await Promise.all(runs.map((run) => endRun(run.runId, { graceMs: options.graceMs ?? 1000, clock: options.clock })));
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

import { lstatSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { removeAbandonedLock } from '../ports/lock-file.js';
import { MARKER_VARIABLE, parseMarker, thisRun, WATCHDOG_VARIABLE } from './marker.js';
import { hasProcFs, isAlive, listPids, readCommandLine, readEnvironmentVariables } from './proc.js';

/** A run's directory under the temporary directory: `daemon-steps-<run id>`, its workspaces inside. */
const RUN_DIRECTORY = /^daemon-steps-(\d+\.\d+\.[0-9a-f]+)$/;
/** A port's lock, or the marker of a takeover of one (itself a lock). */
const LOCK_FILE = /^\d+\.lock(\.takeover-.+)?$/;

export interface LeftoverFilesOptions {
  /** Where runs keep their directories (default: the system's temporary directory). */
  temporaryDirectory?: string;
  /** Where the port locks are (default: none are looked at). */
  lockDirectory?: string;
}

export interface CleanReport {
  /** Run directories removed, each with the workspaces that were in it. */
  removedRuns: Array<{ directory: string; runnerPid: number; workspaces: string[] }>;
  /** Port lock files removed (their owners are gone). */
  removedLocks: string[];
  /** Run directories left alone, and why. */
  leftAlone: Array<{ directory: string; why: string }>;
}

/**
 * Removes what runs of this user that are gone left on disk: their directories (kept workspaces,
 * the files of a `daemon-steps run`) and port locks whose owner has died. A run is gone — by the
 * sweep's rules — when its runner (pid and start time, from its run id) and its watchdog have
 * ended, and no process carrying its marker is left; anything else is a live run's, or one the
 * sweep of the next test run must end first, and is left alone.
 */
export function cleanLeftoverFiles(options: LeftoverFilesOptions = {}): CleanReport {
  const base = options.temporaryDirectory ?? os.tmpdir();
  const report: CleanReport = { removedRuns: [], removedLocks: [], leftAlone: [] };
  const uid = process.getuid?.();
  const candidates = readdirSync(base)
    .map((name) => ({ name, runId: RUN_DIRECTORY.exec(name)?.[1] }))
    .filter((entry): entry is { name: string; runId: string } => entry.runId !== undefined && entry.runId !== thisRun.runId);
  const live = candidates.length > 0 ? liveRuns() : { watched: new Set<string>(), withProcesses: new Set<string>() };
  for (const { name, runId } of candidates) {
    const directory = path.join(base, name);
    const stats = lstatSync(directory, { throwIfNoEntry: false });
    if (!stats?.isDirectory() || (uid !== undefined && stats.uid !== uid)) continue;
    const runner = parseMarker(`${runId}:`)!;
    const why = isAlive(runner.pid, runner.startTime)
      ? `its runner (pid ${runner.pid}) is running`
      : live.watched.has(runId)
        ? 'its watchdog is still ending it'
        : live.withProcesses.has(runId)
          ? `processes it started are still running (the next test run's sweep ends them)`
          : undefined;
    if (why) {
      report.leftAlone.push({ directory, why });
      continue;
    }
    const workspaces = readdirSync(directory).sort();
    rmSync(directory, { recursive: true, force: true });
    report.removedRuns.push({ directory, runnerPid: runner.pid, workspaces });
  }
  if (options.lockDirectory !== undefined) {
    for (const name of readdirSync(options.lockDirectory).sort(byPort)) {
      if (LOCK_FILE.test(name) && removeAbandonedLock(path.join(options.lockDirectory, name))) report.removedLocks.push(name);
    }
  }
  return report;
}

/** Run ids that a live watchdog looks after, and those that live processes carry. Without /proc: none known. */
function liveRuns(): { watched: Set<string>; withProcesses: Set<string> } {
  const watched = new Set<string>();
  const withProcesses = new Set<string>();
  if (!hasProcFs) return { watched, withProcesses };
  for (const pid of listPids()) {
    const [marker, watchdogOf] = readEnvironmentVariables(pid, [MARKER_VARIABLE, WATCHDOG_VARIABLE]);
    if (watchdogOf !== undefined) watched.add(watchdogOf);
    const runId = marker === undefined ? undefined : parseMarker(marker)?.runId;
    if (runId !== undefined && isAlive(pid)) withProcesses.add(runId);
    // Watchdogs of earlier versions carry no variable, only their command line.
    const oldWatchdog = /reaper-main\.[jt]s --run (\S+)/.exec(readCommandLine(pid))?.[1];
    if (oldWatchdog !== undefined) watched.add(oldWatchdog);
  }
  return { watched, withProcesses };
}

function byPort(a: string, b: string): number {
  return parseInt(a, 10) - parseInt(b, 10) || a.localeCompare(b);
}

/** What `daemon-steps clean` prints: one line per removal, or that there was nothing to clean. */
export function describeClean(report: CleanReport): string[] {
  const lines = report.removedRuns.map(({ directory, runnerPid, workspaces }) => {
    const kept = workspaces.length === 0 ? 'empty' : `${workspaces.length === 1 ? 'workspace' : `${workspaces.length} workspaces`}: ${workspaces.join(', ')}`;
    return `removed ${directory} (a run whose runner, pid ${runnerPid}, is gone; ${kept})`;
  });
  if (report.removedLocks.length > 0) {
    const ports = [...new Set(report.removedLocks.map((name) => name.replace(/\.lock.*$/, '')))];
    const one = ports.length === 1;
    lines.push(`removed ${one ? 'the lock of port' : `the locks of ${ports.length} ports:`} ${ports.join(', ')} (${one ? 'its owner is' : 'their owners are'} gone)`);
  }
  if (lines.length === 0) lines.push('nothing to clean');
  for (const { directory, why } of report.leftAlone) lines.push(`left ${directory} alone: ${why}`);
  return lines;
}

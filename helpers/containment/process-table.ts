import psList from 'ps-list';
import { hasProcFs, listPids, readCommandLine, readEnvironment, readProcStat, runnerAndAncestors, variableIn } from './proc.js';
import { realClock } from '../supervision/clock.js';
import { cgroupOf } from './cgroup.js';
import { cgroupOfScope, runCgroupOfProcess } from './containment.js';
import { isInScope, MARKER_VARIABLE } from './marker.js';

/**
 * A live process with no command line is in the middle of an exec (a daemon may report that it
 * started a child a moment before the child's new command line can be read): it is read again,
 * for up to this long.
 */
const EXEC_SETTLE_MS = 50;

/**
 * A process whose environment reads empty is in the middle of an exec too, but then which scope it
 * belongs to is unknown: it is read again for longer, as an exec on a loaded machine can take a while.
 */
const ENVIRONMENT_SETTLE_MS = 1000;

/** Pids seen to be kernel threads, which never have a command line: remembered, so that each look costs no more reads. */
const kernelThreads = new Set<number>();

export interface MatchingProcess {
  pid: number;
  commandLine: string;
}

/**
 * Live processes whose full command line contains `pattern`, as a scope sees them: processes that
 * are in another scope's cgroup or carry another scope's marker (other scenarios running at the
 * same time under --parallel, other runs) are left out; ours and those of no run at all are seen.
 * The runner and the processes that started it (whose command lines may well mention the pattern)
 * are never listed.
 */
export async function findProcesses(pattern: string, scopeMarker: string): Promise<MatchingProcess[]> {
  if (!hasProcFs) {
    const processes = await psList({ all: true });
    return processes
      .filter((p) => p.pid !== process.pid && (p.cmd ?? p.name).includes(pattern))
      .map((p) => ({ pid: p.pid, commandLine: p.cmd ?? p.name }));
  }
  const found: MatchingProcess[] = [];
  const runner = runnerAndAncestors();
  let toRead = listPids().filter((pid) => !runner.has(pid));
  const started = performance.now();
  for (;;) {
    const execing: number[] = [];
    const waited = performance.now() - started;
    const lastLook = waited >= ENVIRONMENT_SETTLE_MS;
    for (const pid of toRead) {
      const commandLine = readCommandLine(pid);
      if (commandLine === '') {
        if (kernelThreads.has(pid)) continue;
        const stat = readProcStat(pid);
        if (stat?.kernelThread) kernelThreads.add(pid);
        else if (stat && stat.state !== 'Z' && stat.state !== 'X' && waited < EXEC_SETTLE_MS) execing.push(pid);
        continue;
      }
      kernelThreads.delete(pid);
      if (!commandLine.includes(pattern)) continue;
      const stat = readProcStat(pid);
      if (!stat || stat.state === 'Z' || stat.state === 'X') continue;
      const visible = isVisibleTo(pid, scopeMarker);
      if (visible === 'unsure' && !lastLook) execing.push(pid);
      else if (visible !== false) found.push({ pid, commandLine });
    }
    if (execing.length === 0 || lastLook) return found;
    toRead = execing;
    await realClock.sleep(1);
  }
}

/**
 * A process in a run's cgroup belongs to the scope whose cgroup holds it, whatever its environment
 * says; only the cgroup of an outer run's daemon, which holds this runner too, says nothing about it.
 */
function isVisibleTo(pid: number, scopeMarker: string): boolean | 'unsure' {
  const cgroup = runCgroupOfProcess(pid);
  if (cgroup) {
    const scope = cgroupOfScope(scopeMarker);
    if (scope && cgroup.isWithin(scope)) return true;
    if (!runnerCgroup?.isWithin(cgroup)) return false;
  }
  const environment = readEnvironment(pid);
  // A process in the middle of an exec shows an empty environment for a moment: look again.
  if (environment?.length === 0) return 'unsure';
  const marker = environment && variableIn(environment, MARKER_VARIABLE);
  return marker === undefined || isInScope(marker, scopeMarker);
}

const runnerCgroup = hasProcFs ? cgroupOf('self') : undefined;

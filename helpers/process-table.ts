import psList from 'ps-list';
import { hasProcFs, listPids, readCommandLine, readEnvironmentVariable, readProcStat, runnerAndAncestors } from './proc.js';
import { isInScope, MARKER_VARIABLE } from './marker.js';

export interface MatchingProcess {
  pid: number;
  commandLine: string;
}

/**
 * Live processes whose full command line contains `pattern`, as a scope sees them: processes that
 * carry another scope's marker (other scenarios running at the same time under --parallel, other
 * runs) are left out; ours and those of no run at all are seen. The runner and the processes that
 * started it (whose command lines may well mention the pattern) are never listed.
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
  for (const pid of listPids()) {
    if (runner.has(pid)) continue;
    const commandLine = readCommandLine(pid);
    if (!commandLine.includes(pattern)) continue;
    const stat = readProcStat(pid);
    if (!stat || stat.state === 'Z' || stat.state === 'X') continue;
    const marker = readEnvironmentVariable(pid, MARKER_VARIABLE);
    if (marker !== undefined && !isInScope(marker, scopeMarker)) continue;
    found.push({ pid, commandLine });
  }
  return found;
}

import { spawn } from 'node:child_process';
import { constants as os } from 'node:os';
import path from 'node:path';
import type { Cgroup } from '../../helpers/containment/cgroup.js';
import { spawnInCgroup } from '../../helpers/containment/containment.js';
import { ProcessFamily, type FamilyMember } from '../../helpers/containment/family.js';
import { isInScope, MARKER_VARIABLE, thisRun, WATCHDOG_VARIABLE } from '../../helpers/containment/marker.js';
import { readEnvironmentVariable } from '../../helpers/containment/proc.js';
import { endFamily } from '../../helpers/containment/terminate.js';
import { explainSpawnFailure, locateProgram } from '../../helpers/process/program.js';
import { pollUntil } from '../../helpers/readiness/poll.js';

/** How the command of `daemon-steps run FILE -- CMD` ended. */
export type CommandOutcome = { kind: 'exited'; code: number; signal?: NodeJS.Signals } | { kind: 'not started'; code: number; why: string };

/** What a shell exits with when it cannot run a command: 127 not found, 126 found but not runnable. */
export const NOT_FOUND = 127;
export const NOT_EXECUTABLE = 126;

/**
 * Why `argv[0]` cannot be run from `cwd` with `searchPath`, found as execvp would find it — before
 * any service starts, so that a typo costs nothing; undefined when it can be run.
 */
export function whyNotRunnable(program: string, cwd: string, searchPath: string | undefined): { code: number; why: string } | undefined {
  const found = locateProgram(program, cwd, searchPath);
  switch (found.kind) {
    case 'found':
      return undefined;
    case 'not executable':
      return { code: NOT_EXECUTABLE, why: program.includes('/') ? `${found.file} is not executable (chmod +x ${program})` : `${found.file} is not executable` };
    case 'directory':
      return { code: NOT_FOUND, why: `there is no file ${found.file}` };
    case 'missing':
      return { code: NOT_FOUND, why: found.file !== undefined ? `there is no file ${found.file}` : `there is no program '${program}' in PATH (${searchPath ?? ''})` };
  }
}

/** How CMD is contained: the run's marker for it, and the cgroup of the run it is spawned into (if any). */
export interface CommandContainment {
  marker: string;
  cgroup?: Cgroup;
}

/** CMD, running or ended: what it is, so that what it leaves behind can be found. */
export interface RunningCommand {
  outcome: Promise<CommandOutcome>;
  forward: (signal: NodeJS.Signals) => void;
  /** Ends whatever CMD left running (after it ended): its marked processes, its cgroup, their descendants. */
  endLeftovers: (graceMs: number) => Promise<FamilyMember[]>;
}

/**
 * Runs `argv` (no shell: the words as given) with the terminal's stdin, stdout and stderr and the
 * environment `env`, and resolves once it has ended. It stays in this process's process group, so
 * that it can read the terminal; `forward` passes on the signals this process receives meanwhile.
 *
 * It is a process of the run, as the services are: it carries the run's marker and is spawned into
 * a cgroup of the run where there is one, so that the watchdog ends it, and everything it started,
 * when this process dies by SIGKILL. A CMD that is itself a test runner using daemon-steps starts a
 * run of its own: its daemons carry its marker, its watchdog carries none (see reaper.ts), and its
 * cgroups are made below CMD's — inside this run, which is where they belong.
 */
export async function runCommand(argv: string[], env: NodeJS.ProcessEnv, containment: CommandContainment): Promise<RunningCommand> {
  const spawnCommand = () => spawn(argv[0]!, argv.slice(1), { stdio: 'inherit', env: { ...env, [MARKER_VARIABLE]: containment.marker } });
  const child = containment.cgroup ? (await spawnInCgroup(containment.cgroup, spawnCommand)).child : spawnCommand();
  const outcome = new Promise<CommandOutcome>((resolve) => {
    child.once('error', (error: NodeJS.ErrnoException) => {
      // Only a path names the file whose #! line may be at fault; a name from PATH was found by spawn itself.
      const explained = argv[0]!.includes('/') ? explainSpawnFailure(path.resolve(argv[0]!), error) : undefined;
      resolve({ kind: 'not started', code: error.code === 'EACCES' ? NOT_EXECUTABLE : NOT_FOUND, why: explained?.message ?? error.message });
    });
    child.once('exit', (code, signal) => {
      if (signal) resolve({ kind: 'exited', code: 128 + (os.signals[signal] ?? 0), signal });
      else resolve({ kind: 'exited', code: code ?? 1 });
    });
  });
  const forward = (signal: NodeJS.Signals) => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
  };
  const { cgroup, marker } = containment;
  const commandFamily = () => new ProcessFamily({ acceptsMarker: (each) => isInScope(each, marker), startedNotBefore: thisRun.startTime, cgroups: cgroup && (() => [cgroup]) });
  const endLeftovers = async (graceMs: number) => {
    // A CMD that was a test run using daemon-steps leaves its watchdog finishing that run's cleanup
    // for a moment: it is let finish (for up to the grace), not ended midway and reported as left.
    const watching = commandFamily();
    await pollUntil(() => watching.members().every((each) => readEnvironmentVariable(each.pid, WATCHDOG_VARIABLE) === undefined) || undefined, { timeoutMs: graceMs });
    const family = commandFamily();
    await endFamily(family, { graceMs });
    cgroup?.remove();
    return family.everSeen;
  };
  return { outcome, forward, endLeftovers };
}

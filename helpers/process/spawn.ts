import { execa } from 'execa';
import type { ChildProcess } from 'node:child_process';
import type { Clock } from '../supervision/clock.js';
import { assertValidEnvironment } from './environment.js';
import { DaemonStepsError, describeDaemon, type DaemonContext } from '../errors.js';
import { recordExit, UNKNOWN_EXIT, type ExitRecord, type SentSignal } from './exit.js';
import type { Cgroup } from '../containment/cgroup.js';
import { spawnInCgroup } from '../containment/containment.js';
import { MARKER_VARIABLE } from '../containment/marker.js';
import { isAlive, readProcStat } from '../containment/proc.js';
import { explainSpawnFailure, missingInterpreter, resolveProgram } from './program.js';
import { ensureReaper } from '../containment/reaper.js';
import { markPids, type PidMark } from '../containment/pid-allocation.js';

const realSetTimeout = globalThis.setTimeout.bind(globalThis);
const realClearTimeout = globalThis.clearTimeout.bind(globalThis);

/** One spawned process of a daemon (a restart makes another); an attached one is not our child. */
export interface ProcessRun {
  child: ChildProcess | undefined;
  pid: number;
  startTime: number;
  exit: ExitRecord | undefined;
  exited: Promise<ExitRecord>;
  startedAt: number;
  /** Every signal we sent it, in order: what it dies of says which of them ended it. */
  sent: SentSignal[];
  /** The pid allocation just before it was spawned (outside a cgroup: where to look for its family). */
  since?: PidMark;
}

/** What a spawn needs of the daemon: its command, where and how it runs. */
export interface SpawnTarget {
  argv: string[];
  cwd: string;
  env?: Record<string, string>;
  marker: string;
}

/**
 * Spawns one process of a daemon — detached, in its own process group, with the run's marker, in
 * its cgroup when it has one (`cgroup` makes or reuses it) — and resolves once it exists; rejects,
 * leaving nothing running, when it cannot be spawned, saying why.
 */
export async function spawnRun(spec: SpawnTarget, context: DaemonContext, clock: Clock, cgroup: () => Cgroup | undefined): Promise<ProcessRun> {
  assertValidEnvironment(spec.env ?? {}, context);
  const env: Record<string, string> = { ...(process.env as Record<string, string>), ...spec.env, [MARKER_VARIABLE]: spec.marker };
  const program = resolveProgram(spec.argv[0]!, spec.cwd, env.PATH, context);
  // Before anything is spawned, so that nothing of this run can outlive a runner that dies.
  const reaper = ensureReaper();
  const group = cgroup();
  if (group) {
    const problem = missingInterpreter(program, spec.cwd, context);
    if (problem) throw problem;
  }
  const spawnChild = () => execa(program, spec.argv.slice(1), {
    cwd: spec.cwd,
    env,
    extendEnv: false,
    detached: true,
    cleanup: false,
    buffer: false,
    reject: false,
    stdin: 'pipe',
    stdout: 'pipe',
    stderr: 'pipe',
    encoding: 'buffer',
    argv0: spec.argv[0],
  });
  // Outside a cgroup its family is found in the process table, among the pids handed out from now on.
  const since = group ? undefined : markPids();
  const child = group ? (await spawnInCgroup(group, spawnChild)).child : spawnChild();
  child.catch(() => undefined);
  await new Promise<void>((resolve, reject) => {
    const refuse = (error: NodeJS.ErrnoException) =>
      reject(
        explainSpawnFailure(program, error, context, { argv: spec.argv, env }) ??
          new DaemonStepsError(`cannot start ${describeDaemon(context)}: ${error.message}`, { daemon: context, cause: error }),
      );
    child.once('spawn', resolve);
    child.once('error', refuse);
    // What Node refuses before a process exists (E2BIG, an invalid option) emits neither event:
    // execa hands it to the result instead, which then resolves at once.
    child.then((result) => {
      if (result.failed && child.pid === undefined) refuse((result.cause ?? result) as NodeJS.ErrnoException);
    });
  });
  const pid = child.pid!;
  child.stdin?.on('error', () => undefined);
  const run: ProcessRun = {
    child,
    pid,
    startTime: readProcStat(pid)?.startTime ?? 0,
    exit: undefined,
    startedAt: clock.now(),
    sent: [],
    since,
    exited: new Promise<ExitRecord>((resolve) => {
      child.once('exit', (code, signal) => {
        run.exit = recordExit(code, signal, run.sent);
        resolve(run.exit);
      });
    }),
  };
  // In a cgroup the watchdog ends the run's whole cgroup: telling it of the group would cost a
  // wake-up of the watchdog per spawn and add nothing.
  if (!group) reaper?.watchGroup(pid, run.startTime);
  return run;
}

/**
 * The run of a process another process started (a service of `daemon-steps run`): its end is
 * noticed by looking, and how it ended stays unknown. `stopWatching` ends the looking.
 */
export function attachedRun(process: { pid: number; startTime: number }, clock: Clock): { run: ProcessRun; stopWatching: () => void } {
  let ended: (exit: ExitRecord) => void = () => undefined;
  const run: ProcessRun = {
    child: undefined,
    pid: process.pid,
    startTime: process.startTime,
    exit: undefined,
    startedAt: clock.now(),
    exited: new Promise<ExitRecord>((resolve) => (ended = resolve)),
    sent: [],
  };
  const stopWatching = watchUntilGone(process.pid, process.startTime, () => {
    run.exit = UNKNOWN_EXIT;
    ended(run.exit);
  });
  return { run, stopWatching };
}

/**
 * Calls `onGone` once the process is no longer there (a zombie counts as gone), looking every
 * 100 ms; returns how to stop looking. Like a child process, it keeps the event loop alive while
 * the process runs, until `closeFiles()`.
 */
function watchUntilGone(pid: number, startTime: number, onGone: () => void): () => void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  // Bound now, like the clock's timers: a user's fake timers must not stop the watch.
  const look = () => {
    if (!isAlive(pid, startTime)) {
      timer = undefined;
      onGone();
      return;
    }
    timer = realSetTimeout(look, 100);
  };
  look();
  return () => {
    if (timer !== undefined) realClearTimeout(timer);
    timer = undefined;
  };
}

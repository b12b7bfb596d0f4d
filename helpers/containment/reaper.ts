import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { onRunCgroup } from './containment.js';
import { MARKER_VARIABLE, thisRun, WATCHDOG_VARIABLE } from './marker.js';
import { hasProcFs, readProcStat } from './proc.js';

/**
 * The handle on this run's watchdog: a small detached process that ends every process of the run
 * when the runner dies, however it dies (Ctrl-C, SIGTERM, SIGKILL, OOM, a crash), within about
 * the grace. It never outlives the run: when the runner ends normally it looks once for
 * leftovers (there should be none) and exits. It never keeps the runner's event loop alive.
 */
export interface Reaper {
  /** The watchdog's pid. */
  readonly pid: number;
  /** The run it watches over: processes whose DAEMON_STEPS_RUN starts with `<runId>:` are ended. */
  readonly runId: string;
  /** Tells the watchdog about a process group of this run, so members that dropped the marker go too. */
  watchGroup(pgid: number, leaderStartTime: number): void;
  /** Tells the watchdog about another process whose death ends the run (the coordinator of a parallel run). */
  watchProcess(pid: number, startTime: number): void;
  /** Ends the watch now: the watchdog ends whatever of the run is left, then exits; resolves then. */
  release(): Promise<void>;
}

export interface ReaperOptions {
  /** How long the run's processes have between SIGTERM and SIGKILL once the runner is gone. */
  graceMs?: number;
}

const DEFAULT_GRACE_MS = 1000;

let current: WatchdogHandle | undefined;
/** Processes besides the runner whose death ends the run, told to every watchdog this run starts. */
const alsoWatched: Array<{ pid: number; startTime: number }> = [];

/**
 * Makes the death of `pid` end this run, as the runner's own does: a worker of `cucumber-js
 * --parallel` names its coordinator, so that killing the coordinator alone leaves nothing behind.
 */
export function endRunWhenGone(pid: number): void {
  const startTime = readProcStat(pid)?.startTime;
  if (startTime === undefined || alsoWatched.some((watched) => watched.pid === pid)) return;
  alsoWatched.push({ pid, startTime });
  if (current && !current.gone) current.watchProcess(pid, startTime);
}

/**
 * Starts this run's watchdog unless it is already running, and returns it. Called by every spawn,
 * so the engine alone is covered; a command that runs daemons for other processes calls it early.
 * Undefined where there is no /proc (the watchdog finds a run's processes through it).
 */
export function ensureReaper(options: ReaperOptions = {}): Reaper | undefined {
  if (!hasProcFs) return undefined;
  if (current && !current.gone) return current;
  current = new WatchdogHandle(options.graceMs ?? DEFAULT_GRACE_MS);
  return current;
}

class WatchdogHandle implements Reaper {
  readonly runId = thisRun.runId;
  gone = false;
  private readonly child: ChildProcess;
  private readonly exited: Promise<void>;

  constructor(graceMs: number) {
    const here = fileURLToPath(import.meta.url);
    const script = path.join(path.dirname(here), `reaper-main${path.extname(here)}`);
    const env = { ...process.env };
    // The parent's debugger or preloads have no business in the watchdog (an --inspect port would clash).
    if (!script.endsWith('.ts')) delete env.NODE_OPTIONS;
    // A runner that is itself a daemon of another run (a test that starts `daemon-steps run`) carries
    // that run's marker; the watchdog must not, or ending that run would end it with the runner and
    // leave the runner's own daemons to nobody.
    delete env[MARKER_VARIABLE];
    // How a sweep without cgroups tells a run whose watchdog lives from an abandoned one.
    env[WATCHDOG_VARIABLE] = this.runId;
    this.child = spawn(process.execPath, [...(script.endsWith('.ts') ? process.execArgv : []), script, '--run', this.runId, '--grace', String(graceMs)], {
      // Its own session: a Ctrl-C at the terminal reaches the runner's group, not the watchdog.
      detached: true,
      stdio: ['pipe', 'ignore', 'inherit'],
      cwd: '/',
      env,
    });
    this.exited = new Promise((resolve) => {
      this.child.once('exit', () => resolve());
      this.child.once('error', () => resolve());
    });
    void this.exited.then(() => {
      this.gone = true;
    });
    this.child.stdin!.on('error', () => undefined);
    this.child.unref();
    (this.child.stdin as unknown as { unref?: () => void }).unref?.();
    for (const watched of alsoWatched) this.watchProcess(watched.pid, watched.startTime);
    onRunCgroup((cgroup) => this.tell(`cgroup ${cgroup.directory}`));
  }

  private tell(line: string): void {
    if (!this.gone && this.child.stdin?.writable) this.child.stdin.write(`${line}\n`);
  }

  get pid(): number {
    return this.child.pid ?? 0;
  }

  watchGroup(pgid: number, leaderStartTime: number): void {
    this.tell(`group ${pgid} ${leaderStartTime}`);
  }

  watchProcess(pid: number, startTime: number): void {
    this.tell(`watch ${pid} ${startTime}`);
  }

  async release(): Promise<void> {
    this.tell('release');
    this.gone = true;
    // Awaited, the watchdog's exit must keep the event loop alive: in a process with nothing else
    // left to do the promise would otherwise never settle (node exits with code 13).
    this.child.ref();
    this.child.stdin?.end();
    await this.exited;
  }
}

import { accessSync, constants, existsSync, mkdirSync, readdirSync, readFileSync, rmdirSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ContainmentError } from '../errors/stop.js';
import { readCommandLine, readKernelText, runnerAndAncestors } from './proc.js';

/**
 * A cgroup (v2) directory: the one boundary a process cannot leave by clearing its environment,
 * forking twice or calling setsid. Everything a daemon forks stays in the daemon's cgroup, so
 * `cgroup.procs` is the truth about "its processes", and `cgroup.kill` ends them all at once.
 *
 * daemon-steps only ever creates cgroups below the runner's own, enables no controller, and removes
 * each cgroup it made once it is empty.
 */
export class Cgroup {
  constructor(readonly directory: string) {}

  /** Creates `name` below this cgroup (or takes it, if it is there already). */
  child(name: string): Cgroup {
    const directory = path.join(this.directory, name);
    mkdirSync(directory, { recursive: true });
    return new Cgroup(directory);
  }

  exists(): boolean {
    return existsSync(path.join(this.directory, 'cgroup.procs'));
  }

  /** The cgroups directly below this one. */
  children(): Cgroup[] {
    let entries: string[];
    try {
      entries = readdirSync(this.directory, { withFileTypes: true }).filter((entry) => entry.isDirectory()).map((entry) => entry.name);
    } catch {
      return [];
    }
    return entries.map((name) => new Cgroup(path.join(this.directory, name)));
  }

  /** The processes directly in this cgroup. */
  ownPids(): number[] {
    const text = readKernelText(path.join(this.directory, 'cgroup.procs'));
    if (text === undefined) return [];
    const pids: number[] = [];
    for (const line of text.split('\n')) if (line !== '') pids.push(Number(line));
    return pids;
  }

  /** Every process in this cgroup and the cgroups below it. */
  pids(except?: (cgroup: Cgroup) => boolean): number[] {
    // One read of cgroup.events answers for the whole subtree when it is empty, as it is once a stop is done.
    if (except?.(this) || this.events() === 'populated 0') return [];
    return [...this.ownPids(), ...this.children().flatMap((child) => child.pids(except))];
  }

  /** True while any process is in this cgroup or below it. */
  populated(): boolean {
    return this.events() === 'populated 1';
  }

  /** The `populated` line of cgroup.events, or undefined where it cannot be read (gone, or the root). */
  private events(): string | undefined {
    const text = readKernelText(path.join(this.directory, 'cgroup.events'));
    return text === undefined ? undefined : /^populated [01]$/m.exec(text)?.[0];
  }

  /**
   * SIGKILL to every process in this cgroup and below it, in one write; false when it is gone.
   * Refuses (throws a ContainmentError) while it holds this runner or a process above it.
   */
  kill(): boolean {
    refuseIfHoldingRunner(this, this.pids(), runnerAndAncestors());
    try {
      writeFileSync(path.join(this.directory, 'cgroup.kill'), '1');
      return true;
    } catch {
      return false;
    }
  }

  /** Removes this cgroup and those below it, deepest first; true when none is left. Never throws. */
  remove(): boolean {
    let removed = true;
    for (const child of this.children()) removed = child.remove() && removed;
    try {
      rmdirSync(this.directory);
    } catch (error) {
      return (error as NodeJS.ErrnoException).code === 'ENOENT';
    }
    return removed;
  }

  /** The user that created it. */
  owner(): number | undefined {
    try {
      return statSync(this.directory).uid;
    } catch {
      return undefined;
    }
  }

  isWithin(other: Cgroup): boolean {
    return this.directory === other.directory || this.directory.startsWith(`${other.directory}/`);
  }
}

/**
 * Throws when `pids` (the processes of `cgroup`) include one of `lineage` (the runner and the
 * processes above it): ending that cgroup would end the run itself. The runner is only ever left in
 * a daemon's cgroup when it could not move back after spawning into it (see spawnInCgroup).
 */
export function refuseIfHoldingRunner(cgroup: Cgroup, pids: readonly number[], lineage: ReadonlySet<number>): void {
  const held = pids.filter((pid) => lineage.has(pid));
  if (held.length === 0) return;
  const who = held.map((pid) => (pid === process.pid ? `this runner (pid ${pid})` : `pid ${pid} (${readCommandLine(pid) || '?'}), which this runner runs under`));
  throw new ContainmentError(
    `refusing to end the processes of cgroup ${cgroup.directory}: it holds ${who.join(' and ')}, so ending it would end this run too; ` +
      `move ${held.length === 1 ? 'that process' : 'those processes'} out (write the pid to the cgroup.procs of a cgroup outside it), then stop again`,
  );
}

/**
 * The cgroup a process is in, as a directory: its v2 path from `/proc/PID/cgroup` placed under
 * where the v2 hierarchy is mounted (`/proc/self/mountinfo`, which may show only a part of it,
 * as inside a container). Undefined where there is no v2 hierarchy.
 */
export function cgroupOf(pid: number | 'self'): Cgroup | undefined {
  const relative = readV2Path(pid);
  const mount = v2Mount();
  if (relative === undefined || !mount) return undefined;
  if (relative !== mount.root && !relative.startsWith(mount.root === '/' ? '/' : `${mount.root}/`)) return undefined;
  const below = mount.root === '/' ? relative : relative.slice(mount.root.length);
  return new Cgroup(path.join(mount.mountPoint, below));
}

function readV2Path(pid: number | 'self'): string | undefined {
  const text = readKernelText(`/proc/${pid}/cgroup`);
  if (text === undefined) return undefined;
  const line = text.split('\n').find((entry) => entry.startsWith('0::'));
  // A process that is exiting shows "0::/... (deleted)" once its cgroup is gone.
  return line?.slice(3).replace(/ \(deleted\)$/, '');
}

let mountFound: { root: string; mountPoint: string } | null | undefined;

function v2Mount(): { root: string; mountPoint: string } | undefined {
  if (mountFound !== undefined) return mountFound ?? undefined;
  mountFound = null;
  let text = '';
  try {
    text = readFileSync('/proc/self/mountinfo', 'latin1');
  } catch {
    return undefined;
  }
  for (const line of text.split('\n')) {
    const [before, after] = line.split(' - ');
    if (!before || !after || after.split(' ')[0] !== 'cgroup2') continue;
    const fields = before.split(' ');
    mountFound = { root: unescapeMountField(fields[3] ?? '/'), mountPoint: unescapeMountField(fields[4] ?? '') };
    break;
  }
  return mountFound ?? undefined;
}

/** mountinfo writes a space, tab, newline and backslash as octal escapes. */
function unescapeMountField(field: string): string {
  return field.replace(/\\([0-7]{3})/g, (_, octal: string) => String.fromCharCode(parseInt(octal, 8)));
}

/**
 * Why cgroups cannot contain this run's daemons, or undefined when they can: the runner's own
 * cgroup is on a v2 hierarchy, and we may create cgroups below it and move processes into them.
 */
export function cgroupUnavailableReason(home: Cgroup | undefined = cgroupOf('self')): string | undefined {
  if (process.platform !== 'linux') return `cgroups are Linux only (this is ${process.platform})`;
  if (!home) return 'no cgroup v2 hierarchy is mounted';
  try {
    accessSync(home.directory, constants.W_OK);
    accessSync(path.join(home.directory, 'cgroup.procs'), constants.W_OK);
  } catch {
    return `the runner's cgroup ${home.directory} is not writable by this user (not root, and no delegated subtree)`;
  }
  return undefined;
}

import {
  hasProcFs,
  isAlive,
  readCommandLine,
  readProcStat,
  readEnvironmentVariable,
  runnerAndAncestors,
  sendSignal,
  signalIfSame,
  snapshotProcesses,
  type ProcStat,
} from './proc.js';
import { refuseIfHoldingRunner, type Cgroup } from './cgroup.js';
import { pidsSince, type PidMark } from './pid-allocation.js';
import { MARKER_VARIABLE } from './marker.js';

/** A process to stop, with what we know to recognise it and what it may have left behind. */
export interface TerminationTarget {
  pid: number;
  /** Start time from /proc (clock ticks since boot); proves a pid still names this process. */
  startTime: number;
  /** The process group it leads (its pid); signalled as a whole while the leader is proved alive. */
  pgid?: number;
  /** Resolves once the process has ended and been reaped, when it is our child; else we poll. */
  exited?: Promise<unknown>;
  /** Set for our own child: whether it has been reaped (until then its pid cannot be reused). */
  hasExited?: () => boolean;
  /** Also stop processes carrying this marker (or one under it): descendants that left the group. */
  marker?: string;
  /** The cgroup it was spawned into: then everything in it is its family, and nothing else is. */
  cgroup?: Cgroup;
  /** The pid allocation just before it was spawned: its family is among the pids handed out since. */
  since?: PidMark;
}

/** What belongs to something being stopped, besides its main process. */
export interface FamilyDescription {
  /** The main process, if there is one (a whole run has none). */
  leader?: TerminationTarget;
  /** Process groups (pgid → start time of the leader whose pid is that pgid); see `signalLeader`. */
  groups?: ReadonlyMap<number, number>;
  /** Which DAEMON_STEPS_RUN values mark a process as a member. */
  acceptsMarker?: (marker: string) => boolean;
  /**
   * When (in /proc start-time ticks) the first process that could carry an accepted marker started
   * (the run's runner): the environment of processes older than that is not read. A leader's own
   * start time serves when there is a leader.
   */
  startedNotBefore?: number;
  /** Cgroups every process of the family is in, and only those: then they alone say who belongs. */
  cgroups?: () => Cgroup[];
  /**
   * The pid allocation before the family's first process was created (the leader's, when there is
   * one): no process older than that can be a member, so a look reads only the pids handed out since.
   */
  since?: PidMark;
}

/** A process that belonged to a family, as it was when first seen. */
export interface FamilyMember {
  pid: number;
  startTime: number;
  commandLine: string;
}

/**
 * Everything that belongs to one thing being stopped: its main process; its process group while
 * that is proved to be ours; processes carrying its marker (descendants that left the group with
 * their own setsid); every descendant of any of these (found through parent pids, so even a child
 * that cleared its environment); and everything seen before, by pid and start time (so a process
 * reparented to init when its parent died is not lost). Each look at `members()` is fresh, so
 * processes forked meanwhile are caught.
 *
 * A pid that is not our own unreaped child is only ever signalled after proving, from its start
 * time, that it still names the process we saw: pid reuse cannot make us hit a stranger.
 */
export class ProcessFamily {
  private readonly seen = new Map<number, FamilyMember>();
  /** The runner and the processes above it: never members, and a cgroup that holds one is not ended. */
  private lineageCache: Set<number> | undefined;
  private get lineage(): Set<number> {
    return (this.lineageCache ??= runnerAndAncestors());
  }

  constructor(private readonly description: FamilyDescription) {}

  /** Every process of the family seen so far, the main process excepted. */
  get everSeen(): FamilyMember[] {
    return [...this.seen.values()];
  }

  get leaderPid(): number | undefined {
    return this.description.leader?.pid;
  }

  get leaderExited(): Promise<unknown> | undefined {
    return this.description.leader?.exited;
  }

  leaderAlive(): boolean {
    const leader = this.description.leader;
    if (!leader) return false;
    if (leader.hasExited) return !leader.hasExited();
    return isAlive(leader.pid, leader.startTime);
  }

  /**
   * While the leader is alive and is our unreaped child, or is proved by its start time, its pid
   * cannot belong to anyone else and neither can the group it leads. Without /proc only our own
   * child's group is signalled.
   */
  private leaderGroupIsOurs(): boolean {
    const leader = this.description.leader;
    if (leader?.pgid === undefined) return false;
    return (leader.hasExited !== undefined || hasProcFs) && this.leaderAlive();
  }

  private provedGroups(): number[] {
    const groups: number[] = [];
    const leader = this.description.leader;
    if (leader?.pgid !== undefined && this.leaderGroupIsOurs()) groups.push(leader.pgid);
    for (const [pgid, startTime] of this.description.groups ?? []) if (hasProcFs && isAlive(pgid, startTime)) groups.push(pgid);
    return groups;
  }

  /** Signals the main process, or the groups proved to be ours as wholes; returns the groups it signalled. */
  signalLeader(signal: NodeJS.Signals): number[] {
    const groups = this.provedGroups().filter((pgid) => sendSignal(-pgid, signal));
    const leader = this.description.leader;
    if (!leader || (leader.pgid !== undefined && groups.includes(leader.pgid))) return groups;
    if (leader.hasExited) {
      if (!leader.hasExited()) sendSignal(leader.pid, signal);
    } else {
      signalIfSame(leader.pid, leader.startTime, signal);
    }
    return groups;
  }

  /** SIGKILL to everything in the family's cgroups at once (the kernel's `cgroup.kill`). */
  killCgroup(): void {
    for (const cgroup of this.description.cgroups?.() ?? []) cgroup.kill();
  }

  /** The live members now, the main process excepted; each is remembered for later looks. */
  members(): ProcStat[] {
    if (!hasProcFs) return [];
    if (this.description.cgroups) return this.cgroupMembers(this.description.cgroups());
    const table = snapshotProcesses(this.pidsWorthALook());
    const leader = this.description.leader;
    const groups = new Set(this.provedGroups());
    const accepts = this.description.acceptsMarker;
    const found = new Map<number, ProcStat>();
    const eligible = (stat: ProcStat) => stat.pid !== leader?.pid && stat.pid !== process.pid && !this.lineage.has(stat.pid);
    for (const stat of table.values()) {
      if (!eligible(stat)) continue;
      if (this.seen.get(stat.pid)?.startTime === stat.startTime || groups.has(stat.pgrp)) {
        found.set(stat.pid, stat);
        continue;
      }
      // Only processes started after the leader (or the run) can carry its marker: skip reading the others' environment.
      if (!accepts || stat.startTime < (leader?.startTime ?? this.description.startedNotBefore ?? 0)) continue;
      const marker = readEnvironmentVariable(stat.pid, MARKER_VARIABLE);
      if (marker !== undefined && accepts(marker)) found.set(stat.pid, stat);
    }
    const parents = new Set(found.keys());
    if (leader && table.get(leader.pid)?.startTime === leader.startTime) parents.add(leader.pid);
    this.addDescendants(table, parents, found, eligible);
    for (const stat of found.values()) {
      if (this.seen.get(stat.pid)?.startTime !== stat.startTime) {
        this.seen.set(stat.pid, { pid: stat.pid, startTime: stat.startTime, commandLine: readCommandLine(stat.pid) });
      }
    }
    return [...found.values()];
  }

  /**
   * The pids that can belong to the family: those handed out since its mark, and any seen before;
   * undefined (every pid) without a mark, or when the allocation may have gone round its cycle.
   * Group members, marked processes and descendants are all younger than the first of the family.
   */
  private pidsWorthALook(): number[] | undefined {
    const since = this.description.since ?? this.description.leader?.since;
    const handedOut = since && pidsSince(since);
    if (!handedOut) return undefined;
    const leader = this.description.leader;
    return [...new Set([...handedOut, ...this.seen.keys(), ...(leader ? [leader.pid] : [])])];
  }

  /**
   * No look at the whole process table: the cgroups list the family, whatever its members did to
   * leave it. Throws, before anything is signalled, when one holds the runner or a process above it.
   */
  private cgroupMembers(cgroups: Cgroup[]): ProcStat[] {
    const leader = this.description.leader;
    const found: ProcStat[] = [];
    const pids = cgroups.flatMap((cgroup) => {
      const own = cgroup.pids();
      refuseIfHoldingRunner(cgroup, own, this.lineage);
      return own;
    });
    for (const pid of pids) {
      if (pid === leader?.pid) continue;
      const stat = readProcStat(pid);
      if (!stat || stat.state === 'Z' || stat.state === 'X') continue;
      found.push(stat);
      if (this.seen.get(pid)?.startTime !== stat.startTime) this.seen.set(pid, { pid, startTime: stat.startTime, commandLine: readCommandLine(pid) });
    }
    return found;
  }

  private addDescendants(table: Map<number, ProcStat>, parents: Set<number>, found: Map<number, ProcStat>, eligible: (stat: ProcStat) => boolean): void {
    const children = new Map<number, ProcStat[]>();
    for (const stat of table.values()) {
      const siblings = children.get(stat.ppid);
      if (siblings) siblings.push(stat);
      else children.set(stat.ppid, [stat]);
    }
    const queue = [...parents];
    while (queue.length > 0) {
      for (const child of children.get(queue.pop()!) ?? []) {
        if (parents.has(child.pid) || !eligible(child)) continue;
        parents.add(child.pid);
        found.set(child.pid, child);
        queue.push(child.pid);
      }
    }
  }
}

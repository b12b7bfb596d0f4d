import { sayRemedy } from '../remedies.js';
import { realClock, type Clock } from '../supervision/clock.js';
import type { DaemonState } from './lifecycle.js';
import type { StopRequest } from './stop.js';
import { CoalescedStop } from './coalesced-stop.js';
import {
  AdoptedProcessError,
  DaemonStepsError,
  NotExitedError,
  PidFileError,
  describeDaemon,
  formatSeconds,
  stopTimeoutError,
  type DaemonContext,
  type OutputTails,
} from '../errors.js';
import type { ExitRecord } from './exit.js';
import { awaitAdoptedReady } from '../readiness/daemon-readiness.js';
import type { ReadyCondition } from '../readiness/probe.js';
import type { ManagedProcess } from './managed-process.js';
import { hasProcFs, isAlive, runnerAndAncestors, signalIfSame } from '../containment/proc.js';
import { ensureReaper } from '../containment/reaper.js';
import { pollUntil } from '../readiness/poll.js';
import { readPidFile } from './pid-file.js';
import { settleWait, type SettledWait, type WaitDefaults, type WaitOptions } from '../readiness/wait-options.js';
import { DEFAULTS } from '../config.js';
import type { TerminationTarget } from '../containment/family.js';
import { terminate, type StopOutcome } from '../containment/terminate.js';

/** Who an adopted process is: a pid, and the start time that proves the pid still names it. */
export interface AdoptedIdentity {
  name: string;
  pid: number;
  startTime: number;
  /** Where it was found, as the scenario wrote it (the pid file), for messages. */
  source: string;
  /** Whether it leads its own process group (then the group is stopped with it). */
  leadsGroup?: boolean;
  /** Its port, for readiness conditions that need one (it chose it itself). */
  port?: number;
  clock?: Clock;
  /** The timeouts of its waits when a wait names none (the scope's settings; default `DEFAULTS`). */
  waitDefaults?: WaitDefaults;
}

export interface AdoptRequest {
  name: string;
  /** The pid file, absolute. */
  pidFile: string;
  /** The pid file as the scenario wrote it, for messages. */
  shownAs: string;
  /** How long to wait for the file to name a live process. */
  timeoutMs: number;
  /** When the scenario began (start-time ticks): a process older than that is not its to adopt. */
  notStartedBefore?: number;
  clock?: Clock;
  /** Cancels the wait for the pid file. */
  signal?: AbortSignal;
  port?: number;
  waitDefaults?: WaitDefaults;
}

/**
 * A process daemon-steps did not spawn but was told to look after: typically a daemon that forked
 * itself into the background (`mailman start`) and wrote its pid to a file. It is not our child, so
 * its exit code can never be known and a zombie counts as gone; every signal to it is sent only
 * after its start time proves the pid still names it. Stopping it ends its process group (when it
 * leads one) and its descendants.
 */
export class AdoptedProcess implements ManagedProcess {
  readonly name: string;
  readonly pid: number;
  readonly startTime: number;
  readonly source: string;
  readonly port: number | undefined;
  readonly exit: ExitRecord | undefined = undefined;
  readonly capturesOutput = false;
  private readonly leadsGroup: boolean;
  private readonly clock: Clock;
  private readonly waitDefaults: WaitDefaults;
  private stopped = false;
  private readonly stopping = new CoalescedStop<StopOutcome>();

  constructor(identity: AdoptedIdentity) {
    this.name = identity.name;
    this.pid = identity.pid;
    this.startTime = identity.startTime;
    this.source = identity.source;
    this.leadsGroup = identity.leadsGroup ?? false;
    this.clock = identity.clock ?? realClock;
    this.port = identity.port;
    this.waitDefaults = identity.waitDefaults ?? DEFAULTS;
  }

  /**
   * Waits (up to `timeoutMs`) for the pid file to name a live process, then adopts it. The error
   * says what the file held at the deadline: nothing, not a pid, a dead process, or a stale pid.
   */
  static async adopt(request: AdoptRequest): Promise<AdoptedProcess> {
    if (!hasProcFs) {
      throw new PidFileError(`cannot adopt '${request.name}': adopting needs /proc (Linux) to prove, from its start time, that a pid still names the same process`);
    }
    const clock = request.clock ?? realClock;
    const lineage = runnerAndAncestors();
    const watchdog = ensureReaper()?.pid;
    if (watchdog) lineage.add(watchdog);
    let why = '';
    const look = () => {
      const found = readPidFile(request, lineage);
      return 'identity' in found ? found.identity : void (why = found.why);
    };
    const awaited = `pid file ${request.shownAs} to name a live process`;
    const identity = await pollUntil(look, { timeoutMs: request.timeoutMs, clock, signal: request.signal, awaited });
    if (identity) return new AdoptedProcess({ ...identity, port: request.port, clock, waitDefaults: request.waitDefaults });
    throw new PidFileError(`cannot adopt '${request.name}' within ${formatSeconds(request.timeoutMs)}: ${why}`, {
      daemon: { name: request.name },
      awaited,
      timeoutMs: request.timeoutMs,
    });
  }

  get context(): DaemonContext {
    return { name: this.name, command: `adopted from pid file ${this.source}`, pid: this.pid };
  }

  /** Alive, with the start time it had when adopted; a zombie has ended. */
  get isRunning(): boolean {
    return isAlive(this.pid, this.startTime);
  }

  get state(): DaemonState {
    if (this.stopped) return 'STOPPED';
    return this.isRunning ? 'RUNNING' : 'EXITED';
  }

  private target(): TerminationTarget {
    return { pid: this.pid, startTime: this.startTime, pgid: this.leadsGroup ? this.pid : undefined };
  }

  /** A stop while another is under way shares it instead of signalling again, as a daemon's does. */
  stop(request: StopRequest): Promise<StopOutcome> {
    return this.stopping.run(() => this.stopOnce(request));
  }

  private async stopOnce(request: StopRequest): Promise<StopOutcome> {
    const outcome = await terminate(this.target(), { ...request, clock: this.clock });
    this.stopped = true;
    if (outcome.survivors.length > 0) throw stopTimeoutError(this.context, outcome.survivors, outcome.elapsedMs);
    return outcome;
  }

  async kill(): Promise<StopOutcome> {
    const outcome = await terminate(this.target(), { signal: 'SIGKILL', graceMs: 0, clock: this.clock });
    if (outcome.survivors.length > 0) throw stopTimeoutError(this.context, outcome.survivors, outcome.elapsedMs);
    return outcome;
  }

  sendSignal(signal: NodeJS.Signals): void {
    if (!this.isRunning || !signalIfSame(this.pid, this.startTime, signal)) {
      throw new DaemonStepsError(`cannot send ${signal} to ${describeDaemon(this.context)}: it is not running`, { daemon: this.context });
    }
  }

  /** Polls (it is not our child, so no exit event comes) until it has ended. */
  async waitForExit(options: WaitOptions = {}): Promise<undefined> {
    const wait = settleWait(options, this.waitDefaults.exitTimeoutMs, this.clock);
    if (!(await this.pollUntil(() => !this.isRunning, wait, `${describeDaemon(this.context)} to exit`))) {
      throw new NotExitedError(`${describeDaemon(this.context)} did not exit within ${formatSeconds(wait.timeoutMs)}; it is still running (pid ${this.pid})`, {
        daemon: this.context,
        timeoutMs: wait.timeoutMs,
      });
    }
    return undefined;
  }

  /**
   * Polls until it is in `state`. Only RUNNING, EXITED (it ended) and STOPPED (daemon-steps stopped
   * it) ever apply, and once it has ended it never runs again: waiting for anything else fails at once.
   */
  async waitForState(state: DaemonState, options: WaitOptions = {}): Promise<void> {
    if (!ADOPTED_STATES.includes(state)) {
      throw new AdoptedProcessError(
        `${describeDaemon(this.context)} is never in state ${state}: daemon-steps neither started it nor restarts it, ` +
          `so it is only ever ${ADOPTED_STATES.join(', ')}`,
        { daemon: this.context },
      );
    }
    const wait = settleWait(options, this.waitDefaults.startTimeoutMs, this.clock);
    const reached = await this.pollUntil(() => {
      const now = this.state;
      if (now === state) return true;
      if (now !== 'RUNNING') {
        throw new AdoptedProcessError(`${describeDaemon(this.context)} will not reach state ${state}: it is ${now}, and an adopted process is not started again`, {
          daemon: this.context,
        });
      }
      return false;
    }, wait, `${describeDaemon(this.context)} to reach state ${state}`);
    if (!reached) {
      throw new DaemonStepsError(`${describeDaemon(this.context)} did not reach state ${state} within ${formatSeconds(wait.timeoutMs)}; it is ${this.state}`, {
        daemon: this.context,
        awaited: `state ${state}`,
        timeoutMs: wait.timeoutMs,
      });
    }
  }

  /** Looks at `condition` now, then more and more rarely (up to every 50 ms) until it holds: false at the deadline. */
  private async pollUntil(condition: () => boolean, wait: SettledWait, awaited: string): Promise<boolean> {
    return (await pollUntil(() => condition() || undefined, { ...wait, awaited })) ?? false;
  }

  /** Waits until every condition holds for it; that it ends first fails the wait at once. */
  waitUntilReady(conditions: readonly ReadyCondition[], options: { host: string; workspace: string; timeoutMs: number; signal?: AbortSignal }): Promise<void> {
    return awaitAdoptedReady(this, conditions, { ...options, clock: this.clock });
  }

  requireExit(): ExitRecord {
    throw new AdoptedProcessError(
      `${describeDaemon(this.context)} is not a child of daemon-steps, so how it ended (exit code or signal) cannot be known; ` +
        sayRemedy({ kind: 'check-adopted-not-running', name: this.name }),
      { daemon: this.context },
    );
  }

  tails(): OutputTails {
    return {};
  }

  closeFiles(): void {}
}

const ADOPTED_STATES: readonly DaemonState[] = ['RUNNING', 'EXITED', 'STOPPED'];

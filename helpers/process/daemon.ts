import {
  DaemonExitedError,
  DaemonStepsError,
  ReadinessFailedError,
  ReadinessTimeoutError,
  describeDaemon,
  formatSeconds,
} from '../errors.js';
import { describeExit } from './exit.js';
import type { CapturedProcess } from './managed-process.js';
import { FileProbe, HttpProbe, OutputProbe, PortProbe, waitUntilReady, type Probe, type ReadinessResult } from '../readiness/readiness.js';
import { attachedRun } from './spawn.js';
import type { StopRequest } from './stop.js';
import { DaemonProcess } from './daemon-process.js';
import type { DaemonSpec } from './spec.js';

export { DAEMON_STATES, type DaemonState } from './lifecycle.js';
export type { StopRequest } from './stop.js';
export type { DaemonSpec } from './spec.js';

/**
 * After a daemon has exited, how long we wait for its pipes to close before judging its output. They
 * close with the process, unless a descendant still holds them: then we do not wait for that one.
 */
export const EXIT_SETTLE_MS = 20;

export type OutputStream = 'stdout' | 'stderr';

/** A readiness condition with everything resolved: absolute paths, bytes, numbers. */
export type ReadinessCondition =
  | { kind: 'port' }
  | { kind: 'output'; stream: OutputStream | 'output'; text: Buffer }
  | { kind: 'http'; path: string }
  | { kind: 'file'; path: string; shownAs: string };

/**
 * A named background process: spawned detached in its own process group with the run's marker,
 * its stdout and stderr spooled to files, its exit recorded; `waitUntilReady()` waits for its
 * readiness conditions. `state` follows STEPS.md; every change is emitted as 'state' so callers
 * wait without polling.
 */
export class Daemon extends DaemonProcess implements AsyncDisposable, CapturedProcess {
  private constructor(spec: DaemonSpec, followOutput = false) {
    super(spec, followOutput);
  }

  /**
   * A daemon another process started and captures (a service of `daemon-steps run`): its output is
   * read from the files that process writes (`<outputDirectory>/<name>.stdout`, `.stderr`), and its
   * end is noticed by looking (it is not our child, so its exit status stays unknown). RUNNING
   * while the pid names the process that has `startTime`.
   */
  static attach(spec: DaemonSpec, process: { pid: number; startTime: number }): Daemon {
    const daemon = new Daemon(spec, true);
    const { run, stopWatching } = attachedRun(process, daemon.clock);
    daemon.current = run;
    daemon.stopWatching = stopWatching;
    daemon.lifecycle.handle('ready');
    run.exited.then((exit) => daemon.onExit(run, exit));
    return daemon;
  }

  /** Spawns the daemon and returns at once, in state STARTING; `waitUntilReady()` follows. */
  static async spawn(spec: DaemonSpec): Promise<Daemon> {
    const daemon = new Daemon(spec);
    try {
      await daemon.spawnProcess();
    } catch (error) {
      daemon.closeFiles();
      throw error;
    }
    return daemon;
  }

  /**
   * A supervised daemon whose program could not be spawned at all: it has a name, a state (its
   * supervisor makes it FATAL) and empty output, so steps can ask it why, and it has no process.
   */
  static unspawned(spec: DaemonSpec, failure: Error): Daemon {
    const daemon = new Daemon(spec);
    daemon.spawnFailure = failure;
    return daemon;
  }

  /** Spawns the daemon and waits until its readiness conditions hold (RUNNING), or throws. */
  static async start(spec: DaemonSpec, timeoutMs: number): Promise<Daemon> {
    const daemon = await Daemon.spawn(spec);
    await daemon.waitUntilReady(timeoutMs);
    return daemon;
  }

  /** Waits until the readiness conditions hold; the daemon is RUNNING afterwards. */
  async waitUntilReady(timeoutMs: number, fromOffsets?: { stdout: number; stderr: number }): Promise<void> {
    const run = this.current!;
    // Until the cgroup's shim has become the program, the process table shows the shim.
    await run.execed;
    const probes = this.buildProbes(fromOffsets ?? { stdout: 0, stderr: 0 });
    const result = await waitUntilReady({
      probes,
      timeoutMs,
      exited: run.exited,
      afterExit: () => this.settleOutput(EXIT_SETTLE_MS),
      nudges: (wake) => {
        const unsubscribeStdout = this.stdout.onChunk(wake);
        const unsubscribeStderr = this.stderr.onChunk(wake);
        return () => {
          unsubscribeStdout();
          unsubscribeStderr();
        };
      },
      clock: this.clock,
    });
    if (result.ready) {
      if (run === this.current && run.exit === undefined) this.lifecycle.handle('ready');
      return;
    }
    throw await this.readinessError(result, timeoutMs);
  }

  private buildProbes(from: { stdout: number; stderr: number }): Probe[] {
    const host = this.spec.host ?? '127.0.0.1';
    return (this.spec.conditions ?? []).map((condition): Probe => {
      switch (condition.kind) {
        case 'port':
          return new PortProbe(host, this.requirePort('on port'));
        case 'http':
          return new HttpProbe(host, this.requirePort(`waiting for HTTP ${condition.path}`), condition.path);
        case 'file':
          return new FileProbe(condition.path, condition.shownAs);
        case 'output': {
          const spools =
            condition.stream === 'output'
              ? [
                  { spool: this.stdout, from: from.stdout },
                  { spool: this.stderr, from: from.stderr },
                ]
              : [{ spool: this[condition.stream], from: from[condition.stream] }];
          return new OutputProbe(condition.stream, condition.text, spools);
        }
      }
    });
  }

  private requirePort(clause: string): number {
    if (this.spec.port === undefined) {
      throw new DaemonStepsError(`${describeDaemon(this.context)}: '${clause}' needs a port; add ", on port P" or ", on a free port"`);
    }
    return this.spec.port;
  }

  private async readinessError(result: Exclude<ReadinessResult, { ready: true }>, timeoutMs: number): Promise<DaemonStepsError> {
    const awaited = result.pending.map((p) => p.describe()).join(' and ');
    const failures = result.pending.map((p) => p.lastFailure?.()).filter(Boolean);
    if (result.reason === 'timeout') failures.push(...(await Promise.all(result.pending.map((p) => p.hint?.()))).filter(Boolean));
    const lastAttempt = failures.length > 0 ? ` (last attempt: ${failures.join('; ')})` : '';
    const fields = { daemon: this.context, awaited, timeoutMs, elapsedMs: result.elapsedMs };
    if (result.reason === 'exited') {
      return new DaemonExitedError(
        `${describeDaemon(this.context)} ${describeExit(result.exit)} after ${formatSeconds(result.elapsedMs)}, before it was ready: ` +
          `it was waiting for ${awaited}${lastAttempt}`,
        { ...fields, exit: result.exit, output: this.tails() },
      );
    }
    const alive = this.isRunning ? `the process is still running (pid ${this.pid})` : `the process ${describeExit(this.exit!)}`;
    if (result.reason === 'hopeless') {
      const why = result.error instanceof Error ? (result.error instanceof DaemonStepsError ? result.error.headline : result.error.message) : String(result.error);
      return new ReadinessFailedError(
        `${describeDaemon(this.context)} cannot become ready: waiting for ${result.probe.describe()} failed: ${why}; ${alive}`,
        { ...fields, exit: this.exit, output: this.tails(), cause: result.error },
      );
    }
    return new ReadinessTimeoutError(
      `${describeDaemon(this.context)} was not ready within ${formatSeconds(timeoutMs)}: ` +
        `waited for ${awaited}${lastAttempt}; ${alive}`,
      { ...fields, exit: this.exit, output: this.tails() },
    );
  }
  /** Stop, then the same command again; readiness looks only at output written after this point. */
  async restart(stop: StopRequest, timeoutMs: number): Promise<void> {
    await this.stop(stop);
    const from = { stdout: this.stdout.size, stderr: this.stderr.size };
    await this.respawn();
    await this.waitUntilReady(timeoutMs, from);
  }
}

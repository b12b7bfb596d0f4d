import type { CapturedProcess } from './managed-process.js';
import { awaitDaemonReady } from '../readiness/daemon-readiness.js';
import { attachedRun } from './spawn.js';
import type { StopRequest } from './stop.js';
import { DaemonProcess } from './daemon-process.js';
import { settleWait, type WaitOptions } from '../readiness/wait-options.js';
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
  static async start(spec: DaemonSpec, options: WaitOptions = {}): Promise<Daemon> {
    const daemon = await Daemon.spawn(spec);
    await daemon.waitUntilReady(options);
    return daemon;
  }

  /**
   * Waits until the readiness conditions hold (`timeout` default: the start timeout); the daemon is
   * RUNNING afterwards. Output probes look only at what was written after `fromOffsets`.
   */
  async waitUntilReady(options: WaitOptions = {}, fromOffsets?: { stdout: number; stderr: number }): Promise<void> {
    const { timeoutMs, signal, clock } = settleWait(options, this.readinessTimeoutMs ?? this.waitDefaults.startTimeoutMs, this.clock);
    const run = this.current!;
    await awaitDaemonReady({
      conditions: this.spec.ready ?? [],
      target: {
        name: this.name,
        pid: run.pid,
        host: this.spec.host ?? '127.0.0.1',
        port: this.spec.port,
        workspace: this.spec.outputDirectory,
        stdout: this.stdout,
        stderr: this.stderr,
        from: fromOffsets ?? { stdout: 0, stderr: 0 },
      },
      subject: this,
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
      signal,
      clock,
    });
    if (run === this.current && run.exit === undefined) this.lifecycle.handle('ready');
  }

  /** Stop, then the same command again; readiness looks only at output written after this point. */
  async restart(stop: StopRequest, options: WaitOptions = {}): Promise<void> {
    await this.stop(stop);
    const from = { stdout: this.stdout.size, stderr: this.stderr.size };
    await this.respawn();
    await this.waitUntilReady(options, from);
  }
}

import { readFileSync } from 'node:fs';
import { NotExitedError, realClock, type Daemon } from '../../helpers/index.js';
import type { ArubaSettings } from './settings.js';

/**
 * One command a scenario started, with Aruba's idea of it: it is "stopped" once Aruba would have
 * stopped it (a check or a stop step did), not when the process ended; its exit status is the
 * code it exited with, or none when a signal ended it.
 */
export class ArubaCommand {
  readonly commandLine: string;
  readonly daemon: Daemon;
  /** Its settings as they were when it started (`for up to N seconds` changes its exit timeout). */
  readonly settings: ArubaSettings;
  /** It did not end by itself within the exit timeout, so it was stopped. */
  timedOut = false;
  private stopped = false;
  private terminating: Promise<void> | undefined;

  constructor(
    commandLine: string,
    daemon: Daemon,
    settings: ArubaSettings,
    private readonly ending: { graceMs: number; onStopped: (command: ArubaCommand) => void },
  ) {
    this.commandLine = commandLine;
    this.daemon = daemon;
    this.settings = settings;
  }

  get isStopped(): boolean {
    return this.stopped;
  }

  /** Its exit code once it is stopped; null when a signal ended it. */
  get exitStatus(): number | null {
    return this.daemon.exit?.code ?? null;
  }

  /** Waits up to the exit timeout for it to end by itself, then terminates it (Aruba's `stop`). */
  async stop(): Promise<void> {
    if (this.stopped) return;
    try {
      await this.daemon.waitForExit({ timeout: this.settings.exitTimeoutMs });
    } catch (error) {
      if (!(error instanceof NotExitedError)) throw error;
      this.timedOut = true;
    }
    await this.terminate();
  }

  /**
   * Ends it now: the stop signal (SIGTERM unless one is configured) to its process group, SIGKILL
   * after the grace; a command that has ended already is only marked stopped (Aruba's `terminate`).
   */
  async terminate(): Promise<void> {
    if (this.stopped) return;
    this.terminating ??= (async () => {
      await this.daemon.stop({ signal: this.settings.stopSignal ?? 'SIGTERM', graceMs: this.ending.graceMs });
      this.stopped = true;
      this.ending.onStopped(this);
    })();
    await this.terminating;
  }

  /** Waits until it has run for `ms`, or has ended if that is sooner (Aruba's startup wait time). */
  async settleFor(ms: number): Promise<void> {
    if (ms <= 0) return;
    const controller = new AbortController();
    try {
      await Promise.race([realClock.sleep(ms, controller.signal), this.daemon.exited]);
    } finally {
      controller.abort();
    }
  }

  stdout(): string {
    return readFileSync(this.daemon.stdout.path, 'utf8');
  }

  stderr(): string {
    return readFileSync(this.daemon.stderr.path, 'utf8');
  }

  /** Aruba's `output`: all of stdout, then all of stderr. */
  output(): string {
    return this.stdout() + this.stderr();
  }

  /** Its output as Aruba reads a command that may still run: after the io wait timeout, if it runs. */
  async outputNow(): Promise<string> {
    if (!this.stopped) await this.settleFor(this.settings.ioWaitTimeoutMs);
    return this.output();
  }
}

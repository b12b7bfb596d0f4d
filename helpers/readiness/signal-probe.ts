import { readFileSync } from 'node:fs';
import { constants } from 'node:os';
import type { Probe } from './probe.js';

/**
 * The process catches or ignores a signal: its bit is set in `SigCgt` or `SigIgn` of
 * `/proc/PID/status` (Linux). Until then the signal's default action (for most, death) would
 * apply. It looks at the pid it was given: for a shell that runs the program as a child (not
 * `exec`), that is the shell, and the shell's own `trap` is what counts.
 */
export class SignalHandledProbe implements Probe {
  readonly polled = true;
  private readonly bit: bigint;
  private failure: string | undefined;

  constructor(
    readonly signal: NodeJS.Signals,
    readonly pid: number,
  ) {
    this.bit = 1n << BigInt(constants.signals[signal] - 1);
  }

  describe(): string {
    return `pid ${this.pid} to handle ${this.signal}`;
  }

  async check(): Promise<boolean> {
    let status: string;
    try {
      status = readFileSync(`/proc/${this.pid}/status`, 'latin1');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
        this.failure = `pid ${this.pid} is gone`;
        return false;
      }
      throw error;
    }
    const mask = (field: string) => BigInt('0x' + (new RegExp(`^${field}:\\s*([0-9a-f]+)`, 'm').exec(status)?.[1] ?? '0'));
    if (((mask('SigCgt') | mask('SigIgn')) & this.bit) !== 0n) return true;
    this.failure = `${this.signal} still has its default action: neither caught nor ignored`;
    return false;
  }

  lastFailure(): string | undefined {
    return this.failure;
  }
}

import path from 'node:path';
import type { ChildProcess } from 'node:child_process';
import type { Readable, Writable } from 'node:stream';
import type { CombinedLog, LineWriter } from '../output/combined-log.js';
import type { OutputTails } from '../errors.js';
import { OutputSpool } from '../output/output.js';

const realSetImmediate = globalThis.setImmediate.bind(globalThis);

/**
 * A daemon's output: `<name>.stdout` and `<name>.stderr` spooled to files (and its lines to the
 * combined log), from every process it spawns in turn; and our ends of their pipes, until they close.
 */
export class OutputCapture {
  readonly stdout: OutputSpool;
  readonly stderr: OutputSpool;
  /** Our ends of the pipes of every process it spawned, until they close (see `releasePipes`). */
  private readonly openPipes = new Set<Readable | Writable>();

  /** `follow`: the files are written by another process (an attached daemon), and read as they grow. */
  constructor(
    name: string,
    outputDirectory: string,
    private readonly lines: (() => LineWriter) | undefined,
    follow = false,
  ) {
    this.stdout = new OutputSpool(path.join(outputDirectory, `${name}.stdout`), { follow });
    this.stderr = new OutputSpool(path.join(outputDirectory, `${name}.stderr`), { follow });
  }

  static of(spec: { name: string; outputDirectory: string; combinedLog?: CombinedLog }, follow = false): OutputCapture {
    const log = spec.combinedLog;
    return new OutputCapture(spec.name, spec.outputDirectory, log ? () => log.lineWriter(spec.name) : undefined, follow);
  }

  /** Captures the output of a newly spawned process, and keeps its pipes until they close. */
  capture(child: ChildProcess): void {
    for (const pipe of [child.stdin, child.stdout, child.stderr]) {
      if (!pipe) continue;
      this.openPipes.add(pipe);
      pipe.once('close', () => this.openPipes.delete(pipe));
    }
    this.captureStream(child.stdout!, this.stdout);
    this.captureStream(child.stderr!, this.stderr);
  }

  private captureStream(stream: Readable, spool: OutputSpool): void {
    spool.attach(stream);
    const lines = this.lines?.();
    if (!lines) return;
    stream.on('data', (chunk: Buffer) => lines.write(chunk));
    stream.once('end', () => lines.flush());
    stream.once('close', () => lines.flush());
  }

  /** The last lines of both streams, with their files, for error messages. */
  tails(): OutputTails {
    return {
      stderr: { tail: this.stderr.tail(), path: this.stderr.path },
      stdout: { tail: this.stdout.tail(), path: this.stdout.path },
    };
  }

  /** After an exit, waits briefly for the last output to arrive through the pipes. */
  async settle(maxWaitMs: number): Promise<void> {
    await Promise.all([this.stdout.drained(maxWaitMs), this.stderr.drained(maxWaitMs)]);
    // A timer that is due runs before the pipes are polled: on a loaded machine the last chunk may
    // be waiting in a pipe a descendant still holds. One turn of the loop lets it be read.
    await new Promise((resolve) => realSetImmediate(resolve));
  }

  /**
   * Lets go of the pipes of the stopped process, and of every earlier one (a restart). Normally they
   * have ended with their process; but a descendant that escaped (left the group and dropped the
   * marker) may still hold them, and an open pipe would keep the runner's event loop — and so the
   * whole test run — from ever finishing.
   */
  async releasePipes(): Promise<void> {
    await Promise.all(
      [...this.openPipes].map((pipe) => {
        const closed = new Promise<void>((resolve) => pipe.once('close', () => resolve()));
        pipe.destroy();
        return closed;
      }),
    );
  }

  /** Closes the output files and our ends of every pipe still open. */
  close(): void {
    for (const pipe of this.openPipes) pipe.destroy();
    this.stdout.close();
    this.stderr.close();
  }
}

import type { Writable } from 'node:stream';
import type { Clock } from '../supervision/clock.js';
import { StdinError, describeDaemon, formatSeconds, type DaemonContext, type OutputTails } from '../errors.js';
import { describeExit, type ExitRecord } from './exit.js';

/** What a pipe holds on Linux by default: a piece this size goes through as soon as the reader has read. */
const PIECE_BYTES = 64 * 1024;

/** How much of the data was handed over, and whether the deadline came first. */
export interface WriteOutcome {
  written: number;
  timedOut: boolean;
}

/**
 * Writes `data` piece by piece, each awaited, until all of it is written or `timeoutMs` has passed.
 * A process that never reads its stdin fills the pipe, and a plain write would then wait for as
 * long as the process lives; by pieces we can also say how far it got. A write error rejects.
 */
export async function writeWithDeadline(stream: Writable, data: Buffer, timeoutMs: number, clock: Clock): Promise<WriteOutcome> {
  const controller = new AbortController();
  const deadline = clock.sleep(timeoutMs, controller.signal).then(
    () => 'deadline' as const,
    () => 'deadline' as const,
  );
  let written = 0;
  try {
    while (written < data.length) {
      const piece = data.subarray(written, written + PIECE_BYTES);
      const accepted = new Promise<'written'>((resolve, reject) => {
        stream.write(piece, (error) => (error ? reject(error) : resolve('written')));
      });
      if ((await Promise.race([accepted, deadline])) === 'deadline') {
        accepted.catch(() => undefined); // it ends with the pipe, when the process does
        return { written, timedOut: true };
      }
      written += piece.length;
    }
    return { written, timedOut: false };
  } finally {
    controller.abort();
  }
}

/** What a write to a daemon's stdin needs to know of it. */
export interface StdinTarget {
  readonly stdin: Writable | null | undefined;
  readonly isRunning: boolean;
  readonly exit: ExitRecord | undefined;
  readonly context: DaemonContext;
  tails(): OutputTails;
}

/**
 * Writes to a daemon's stdin; fails clearly when the daemon has exited or closed it, or has not
 * taken it all within `timeoutMs` (it does not read its stdin).
 */
export async function writeToStdin(target: StdinTarget, data: Buffer, timeoutMs: number, clock: Clock): Promise<void> {
  const { stdin, context } = target;
  const notWritable = (why: string) =>
    new StdinError(`cannot write to the stdin of ${describeDaemon(context)}: ${why}`, { daemon: context, output: target.tails() });
  if (!stdin || !target.isRunning) throw notWritable(target.exit ? `it ${describeExit(target.exit)}` : 'it is not running');
  if (stdin.writableEnded || stdin.destroyed) throw notWritable('its stdin has been closed');
  const outcome = await writeWithDeadline(stdin, data, timeoutMs, clock).catch((error: Error) => {
    throw notWritable(error.message);
  });
  if (outcome.timedOut) {
    throw new StdinError(
      `${describeDaemon(context)} is not reading its stdin: it took ${outcome.written} of ${data.length} bytes within ${formatSeconds(timeoutMs)}; ` +
        'the rest was not written',
      { daemon: context, timeoutMs, output: target.tails() },
    );
  }
}

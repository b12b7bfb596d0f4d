import type { Writable } from 'node:stream';
import type { Clock } from '../supervision/clock.js';

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

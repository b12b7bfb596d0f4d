import type { Writable } from 'node:stream';
import { StdinError, describeDaemon, formatSeconds, type DaemonContext, type OutputTails } from '../errors.js';
import { waitAborted, whenAborted, type SettledWait } from '../readiness/wait-options.js';
import { describeExit, type ExitRecord } from './exit.js';

/** What a pipe holds on Linux by default: a piece this size goes through as soon as the reader has read. */
const PIECE_BYTES = 64 * 1024;

/** How much of the data was handed over, and what ended the writing before all of it was, if anything. */
export interface WriteOutcome {
  written: number;
  cutShort?: 'deadline' | 'aborted';
}

/**
 * Writes `data` piece by piece, each awaited, until all of it is written, the deadline has passed
 * or the wait's signal is aborted. A process that never reads its stdin fills the pipe, and a plain
 * write would then wait for as long as the process lives; by pieces we can also say how far it got.
 * A write error rejects.
 */
export async function writeWithDeadline(stream: Writable, data: Buffer, wait: SettledWait): Promise<WriteOutcome> {
  const controller = new AbortController();
  const deadline = wait.clock.sleep(wait.timeoutMs, controller.signal).then(
    () => 'deadline' as const,
    () => 'deadline' as const,
  );
  const aborted = whenAborted(wait.signal, controller.signal);
  let written = 0;
  try {
    while (written < data.length) {
      if (wait.signal?.aborted) return { written, cutShort: 'aborted' };
      const piece = data.subarray(written, written + PIECE_BYTES);
      const accepted = new Promise<'written'>((resolve, reject) => {
        stream.write(piece, (error) => (error ? reject(error) : resolve('written')));
      });
      const first = await Promise.race([accepted, deadline, aborted]);
      if (first !== 'written') {
        accepted.catch(() => undefined); // it ends with the pipe, when the process does
        return { written, cutShort: first };
      }
      written += piece.length;
    }
    return { written };
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
 * taken it all within the wait's timeout (it does not read its stdin), or when its signal is aborted.
 */
export async function writeToStdin(target: StdinTarget, data: Buffer, wait: SettledWait): Promise<void> {
  const { stdin, context } = target;
  const notWritable = (why: string) =>
    new StdinError(`cannot write to the stdin of ${describeDaemon(context)}: ${why}`, { daemon: context, output: target.tails() });
  if (!stdin || !target.isRunning) throw notWritable(target.exit ? `it ${describeExit(target.exit)}` : 'it is not running');
  if (stdin.writableEnded || stdin.destroyed) throw notWritable('its stdin has been closed');
  const { timeoutMs, clock } = wait;
  const started = clock.now();
  const outcome = await writeWithDeadline(stdin, data, wait).catch((error: Error) => {
    throw notWritable(error.message);
  });
  if (outcome.cutShort === 'aborted') {
    throw waitAborted(`${describeDaemon(context)} to take ${data.length} bytes on its stdin`, {
      daemon: context,
      timeoutMs,
      elapsedMs: clock.now() - started,
      output: target.tails(),
    });
  }
  if (outcome.cutShort === 'deadline') {
    throw new StdinError(
      `${describeDaemon(context)} is not reading its stdin: it took ${outcome.written} of ${data.length} bytes within ${formatSeconds(timeoutMs)}; ` +
        'the rest was not written',
      { daemon: context, timeoutMs, output: target.tails() },
    );
  }
}

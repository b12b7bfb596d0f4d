import { settleWait, waitAborted, whenAborted, type WaitOptions } from '../readiness/wait-options.js';
import { EXIT_SETTLE_MS, type DaemonState, type OutputStream } from '../process/daemon.js';
import type { ReadonlyDaemon } from '../process/readonly-daemon.js';
import { DaemonStepsError, ExpectationError, OutputTimeoutError, describeDaemon, formatSeconds, type Comparison } from '../errors.js';
import { describeExit } from '../process/exit.js';
import type { OutputSpool } from './output.js';
import { watchForBytes } from './watch-bytes.js';
import { quoteBytes, showBytes } from './text.js';

export class OutputMismatchError extends ExpectationError {}

/** Shown in full up to this size; longer outputs show their tail and the file. */
const SHOW_LIMIT = 2000;

function spoolOf(daemon: ReadonlyDaemon, stream: OutputStream): OutputSpool {
  return stream === 'stdout' ? daemon.stdout : daemon.stderr;
}

/**
 * The output as the error's `actual`, for a diff: all of it up to this size, beyond it its tail, so
 * a daemon that wrote a gigabyte costs no gigabyte of heap (nor a diff of one).
 */
const ACTUAL_LIMIT = 64 * 1024;

function actualText(spool: OutputSpool): string {
  return spool.size <= ACTUAL_LIMIT ? showBytes(spool.read()) : `…${showBytes(spool.read(spool.size - ACTUAL_LIMIT))}`;
}

function showActual(spool: OutputSpool): string {
  if (spool.size <= SHOW_LIMIT) return `actual:   ${quoteBytes(spool.read())}`;
  const tail = spool.read(spool.size - SHOW_LIMIT);
  return `actual (last ${SHOW_LIMIT} of ${spool.size} bytes): …${quoteBytes(tail)}`;
}

/** `expected` is compared with the stream's text (see `actualText`). */
function mismatch(daemon: ReadonlyDaemon, stream: OutputStream, what: string, lines: string[], expected: Omit<Comparison, 'actual'>): OutputMismatchError {
  const spool = spoolOf(daemon, stream);
  return new OutputMismatchError(
    [`${describeDaemon(daemon.context)}: ${stream} ${what}`, ...lines, `(all of it: ${spool.path}, ${spool.size} bytes)`].join('\n'),
    { actual: actualText(spool), ...expected },
    { daemon: daemon.context },
  );
}

/** A stopped daemon's last bytes may still be in the pipe: take them in before judging. */
async function settled(daemon: ReadonlyDaemon): Promise<void> {
  if (!daemon.isRunning) await daemon.settleOutput();
}

/** Byte for byte. */
export async function expectOutputIs(daemon: ReadonlyDaemon, stream: OutputStream, expected: Buffer): Promise<void> {
  await settled(daemon);
  const spool = spoolOf(daemon, stream);
  if (spool.size === expected.length && spool.read().equals(expected)) return;
  throw mismatch(daemon, stream, 'is not as expected', [`expected: ${quoteBytes(expected)}`, showActual(spool)], {
    expected: showBytes(expected),
    diffable: true,
  });
}

export async function expectOutputContains(daemon: ReadonlyDaemon, stream: OutputStream, needle: Buffer, shouldContain = true): Promise<void> {
  await settled(daemon);
  const spool = spoolOf(daemon, stream);
  const found = await spool.contains(needle);
  if (found === shouldContain) return;
  const what = shouldContain ? 'does not contain the expected text' : 'contains text it should not';
  const expectation = `${shouldContain ? 'expected to contain' : 'expected not to contain'}: ${quoteBytes(needle)}`;
  throw mismatch(daemon, stream, what, [expectation, showActual(spool)], { expected: showBytes(needle), diffable: false });
}

/** `matches` reads the whole output as text; beyond this it asks for `contains` instead of exhausting memory. */
export const MAX_MATCH_BYTES = 64 * 1024 * 1024;

/**
 * A JavaScript regular expression (no flags) against the output decoded as UTF-8, bytes that are
 * not UTF-8 shown as `\xNN` (so `matches "caf\\xe9"` finds the byte 0xE9 after "caf").
 */
export async function expectOutputMatches(daemon: ReadonlyDaemon, stream: OutputStream, pattern: string): Promise<void> {
  let regex: RegExp;
  try {
    regex = new RegExp(pattern);
  } catch (error) {
    throw new DaemonStepsError(`matches "${pattern}": not a valid regular expression: ${(error as Error).message}`);
  }
  await settled(daemon);
  const spool = spoolOf(daemon, stream);
  if (spool.size > MAX_MATCH_BYTES) {
    const what = `is too large to match a regular expression against (${spool.size} bytes; the limit is ${MAX_MATCH_BYTES})`;
    throw mismatch(daemon, stream, what, [`use "${stream} contains" for text in output this large`], { expected: regex, diffable: false });
  }
  if (regex.test(showBytes(spool.read()))) return;
  throw mismatch(daemon, stream, 'does not match', [`expected to match: /${pattern}/`, showActual(spool)], { expected: regex, diffable: false });
}

export async function expectOutputEmpty(daemon: ReadonlyDaemon, stream: OutputStream): Promise<void> {
  await settled(daemon);
  const spool = spoolOf(daemon, stream);
  if (spool.size === 0) return;
  throw mismatch(daemon, stream, 'is not empty', [showActual(spool)], { expected: '', diffable: true });
}

/**
 * Waits until the text appears on stdout, stderr or either (`output`), seen as it arrives; fails
 * after `timeout` (default: the output timeout), and before that when it can no longer appear: at
 * once when the daemon exits without printing it — or, for a supervised daemon, which comes back
 * after an exit, once it is FATAL or STOPPED — or when `signal` is aborted.
 */
export async function waitForOutput(daemon: ReadonlyDaemon, stream: OutputStream | 'output', text: Buffer, options: WaitOptions = {}): Promise<void> {
  const { timeoutMs, signal, clock } = settleWait(options, daemon.waitDefaults.outputTimeoutMs);
  const started = clock.now();
  const awaited = `${stream} to contain ${quoteBytes(text)}`;
  const spools = stream === 'output' ? [daemon.stdout, daemon.stderr] : [spoolOf(daemon, stream)];
  const controller = new AbortController();
  try {
    const seen = Promise.any(spools.map((spool) => watchForBytes(spool, text, 0, controller.signal)));
    const ended = daemon.isSupervised ? givenUpOrStopped(daemon, controller.signal) : daemon.exited.then(() => 'exited' as const);
    const outcome = await Promise.race([
      seen.then(() => 'seen' as const),
      ended.then(async (end) => {
        await daemon.settleOutput(EXIT_SETTLE_MS);
        for (const spool of spools) if (await spool.contains(text)) return 'seen' as const;
        return end;
      }),
      clock.sleep(timeoutMs, controller.signal).then(() => 'timeout' as const),
      whenAborted(signal, controller.signal),
    ]);
    if (outcome === 'seen') return;
    if (outcome === 'aborted') {
      throw waitAborted(`${describeDaemon(daemon.context)}'s ${awaited}`, { daemon: daemon.context, timeoutMs, elapsedMs: clock.now() - started, output: daemon.tails() });
    }
    const containing = awaited.replace(' to contain', ' containing');
    const headline = {
      exited: () => `${describeDaemon(daemon.context)} ${describeExit(daemon.exit!)} without its ${containing}`,
      FATAL: () => `${describeDaemon(daemon.context)} is FATAL without its ${containing}: ${daemon.whyFatal()}`,
      STOPPED: () => `${describeDaemon(daemon.context)} is STOPPED without its ${containing}: it was stopped, so it will not be restarted`,
      timeout: () => `${describeDaemon(daemon.context)}: waited ${formatSeconds(timeoutMs)} for ${awaited}, in vain; ${describeNow(daemon)}`,
    }[outcome]();
    throw new OutputTimeoutError(headline, { daemon: daemon.context, awaited, timeoutMs, exit: daemon.exit, output: daemon.tails() });
  } finally {
    controller.abort();
  }
}

/** Resolves once a supervised daemon is in a state it does not leave by itself. */
function givenUpOrStopped(daemon: ReadonlyDaemon, signal: AbortSignal): Promise<'FATAL' | 'STOPPED'> {
  return new Promise((resolve) => {
    const onState = (state: DaemonState) => {
      if (state === 'FATAL' || state === 'STOPPED') resolve(state);
    };
    onState(daemon.state);
    daemon.on('state', onState);
    signal.addEventListener('abort', () => daemon.off('state', onState), { once: true });
  });
}

function describeNow(daemon: ReadonlyDaemon): string {
  if (daemon.isSupervised) {
    const restarts = `restarted ${daemon.restarts} time${daemon.restarts === 1 ? '' : 's'}`;
    return daemon.isRunning ? `it is ${daemon.state} (pid ${daemon.pid}), ${restarts}` : `it is ${daemon.state}, ${restarts}`;
  }
  return daemon.isRunning ? `it is still running (pid ${daemon.pid})` : `it ${describeExit(daemon.exit!)}`;
}

/**
 * Subplot's "has produced output": waits for any output on either stream, then until it has
 * settled — the daemon has exited, or printed nothing more for `quietMs`. `timeout` defaults to
 * the output timeout; an aborted `signal` ends it at once.
 */
export async function waitForAnyOutput(daemon: ReadonlyDaemon, options: WaitOptions & { quietMs?: number } = {}): Promise<void> {
  const { timeoutMs, signal, clock } = settleWait(options, daemon.waitDefaults.outputTimeoutMs);
  const quietMs = options.quietMs ?? 100;
  const started = clock.now();
  const total = () => daemon.stdout.size + daemon.stderr.size;
  let lastChange = clock.now();
  let wake: () => void = () => undefined;
  const onChunk = () => {
    lastChange = clock.now();
    wake();
  };
  const unsubscribe = [daemon.stdout.onChunk(onChunk), daemon.stderr.onChunk(onChunk)];
  daemon.exited.then(() => wake());
  const onAbort = () => wake();
  signal?.addEventListener('abort', onAbort, { once: true });
  try {
    for (;;) {
      if (signal?.aborted) {
        throw waitAborted(`output from ${describeDaemon(daemon.context)}`, { daemon: daemon.context, timeoutMs, elapsedMs: clock.now() - started, output: daemon.tails() });
      }
      const left = started + timeoutMs - clock.now();
      if (!daemon.isRunning) {
        await daemon.settleOutput(EXIT_SETTLE_MS);
        if (total() > 0) return;
        throw new OutputTimeoutError(`${describeDaemon(daemon.context)} ${describeExit(daemon.exit!)} without any output`, {
          daemon: daemon.context,
          exit: daemon.exit,
          output: daemon.tails(),
        });
      }
      if (total() > 0 && clock.now() - lastChange >= quietMs) return;
      if (left <= 0) {
        if (total() > 0) return;
        throw new OutputTimeoutError(
          `${describeDaemon(daemon.context)} produced no output on stdout or stderr within ${formatSeconds(timeoutMs)}; it is still running (pid ${daemon.pid})`,
          { daemon: daemon.context, timeoutMs, output: daemon.tails() },
        );
      }
      const nap = new AbortController();
      wake = () => nap.abort();
      const wait = total() > 0 ? Math.min(quietMs - (clock.now() - lastChange), left) : left;
      await clock.sleep(wait, nap.signal).catch(() => undefined);
    }
  } finally {
    signal?.removeEventListener('abort', onAbort);
    for (const stop of unsubscribe) stop();
  }
}

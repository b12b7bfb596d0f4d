import type { ExitRecord } from '../process/exit.js';

/** What an error knows about the daemon it concerns. */
export interface DaemonContext {
  name: string;
  /** The command as the scenario wrote it. */
  command?: string;
  pid?: number;
}

/** The last lines of a daemon's streams, with where the whole of each is kept. */
export interface OutputTails {
  stdout?: { tail: string; path: string };
  stderr?: { tail: string; path: string };
}

export interface DaemonStepsErrorFields {
  daemon?: DaemonContext;
  /** What was awaited or attempted, e.g. "port 8888 on 127.0.0.1 to accept a connection". */
  awaited?: string;
  timeoutMs?: number;
  elapsedMs?: number;
  exit?: ExitRecord;
  output?: OutputTails;
  cause?: unknown;
}

/**
 * The base of every error daemon-steps raises. It carries fields as well as text, so a caller can
 * act on them; `headline` is the first line of the message, the output tails follow it.
 */
export class DaemonStepsError extends Error {
  readonly daemon?: DaemonContext;
  readonly awaited?: string;
  readonly timeoutMs?: number;
  readonly elapsedMs?: number;
  readonly exit?: ExitRecord;
  readonly output?: OutputTails;
  readonly headline: string;

  constructor(headline: string, fields: DaemonStepsErrorFields = {}) {
    super(buildMessage(headline, fields.output), fields.cause === undefined ? undefined : { cause: fields.cause });
    this.name = new.target.name;
    this.headline = headline;
    this.daemon = fields.daemon;
    this.awaited = fields.awaited;
    this.timeoutMs = fields.timeoutMs;
    this.elapsedMs = fields.elapsedMs;
    this.exit = fields.exit;
    this.output = fields.output;
  }
}

/** What a failed expectation found and what it expected, for a runner or a reporter to show as a diff. */
export interface Comparison {
  actual: unknown;
  expected: unknown;
  /**
   * Whether `actual` and `expected` are two versions of one thing, so a diff of them helps (`is`,
   * an exit code); false where it would mislead (`contains`, `matches`).
   */
  diffable: boolean;
}

/**
 * A Then step's expectation that does not hold. Besides the message (which names the daemon or the
 * file and shows the output), it carries what was found and what was expected, plain values a
 * test runner can compare.
 */
export class ExpectationError extends DaemonStepsError {
  readonly actual: unknown;
  readonly expected: unknown;
  readonly diffable: boolean;

  constructor(headline: string, comparison: Comparison, fields: DaemonStepsErrorFields = {}) {
    super(headline, fields);
    this.actual = comparison.actual;
    this.expected = comparison.expected;
    this.diffable = comparison.diffable;
  }
}

/** The one place a message is put together: the headline, then the labelled tails of the streams. */
export function buildMessage(headline: string, output: OutputTails = {}): string {
  const parts = [headline];
  for (const stream of ['stderr', 'stdout'] as const) {
    const captured = output[stream];
    if (!captured) continue;
    if (captured.tail === '') {
      parts.push(`${stream} (${captured.path}): empty`);
    } else {
      parts.push(`last lines of ${stream} (${captured.path}):\n${indent(captured.tail)}`);
    }
  }
  return parts.join('\n');
}

function indent(text: string): string {
  return text.replace(/\n$/, '').split('\n').map((line) => `  | ${line}`).join('\n');
}

/** "daemon 'web' (./server.py 8080)" */
export function describeDaemon(daemon: DaemonContext): string {
  return daemon.command === undefined ? `daemon '${daemon.name}'` : `daemon '${daemon.name}' (${daemon.command})`;
}

export function formatSeconds(ms: number): string {
  const seconds = ms / 1000;
  return `${Number.isInteger(seconds) ? seconds : seconds.toFixed(seconds < 1 ? 3 : 2).replace(/\.?0+$/, '')} s`;
}

import { sayRemedy } from './remedies.js';
import type { ExitRecord } from './process/exit.js';
import { didYouMean } from './suggest.js';

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

export class UnknownDaemonError extends DaemonStepsError {
  /** `starting`: the daemon being started, not yet listed but a name the request may have meant. */
  constructor(readonly requested: string, readonly known: readonly string[], starting?: string) {
    super(
      `no daemon named '${requested}' in this scenario; ` +
        (known.length === 0 ? 'none has been started yet' : `started: ${known.join(', ')}`) +
        didYouMean(requested, starting === undefined ? known : [...known, starting]),
    );
  }
}

export class DuplicateDaemonError extends DaemonStepsError {
  constructor(name: string, command: string, running: boolean) {
    super(
      `a daemon named '${name}' already exists in this scenario (${command}, ${running ? 'still running' : 'no longer running'}); ` +
        sayRemedy({ kind: 'rename-or-stop', name }),
      { daemon: { name, command } },
    );
  }
}

export class ProgramNotFoundError extends DaemonStepsError {
  /** `why` says where we looked, `hint` what to do. */
  constructor(readonly program: string, why: string, hint: string, daemon?: DaemonContext) {
    super(`cannot start ${daemon ? describeDaemon(daemon) : `'${program}'`}: ${why}; ${hint}`, { daemon });
  }
}

export class ProgramNotExecutableError extends DaemonStepsError {
  /** `program` as the command names it, `path` the file it names. */
  constructor(readonly program: string, readonly path: string, daemon?: DaemonContext) {
    const shown = program === path ? `${path} is not executable` : `${program} is not executable (${path})`;
    super(
      `cannot start ${daemon ? describeDaemon(daemon) : `'${program}'`}: ${shown}; ` +
        `${sayRemedy({ kind: 'make-executable', program })}, ` +
        `or run it through its interpreter, e.g. "sh ${program}"`,
      { daemon },
    );
  }
}

/** Linux's limit on one argument or environment string (MAX_ARG_STRLEN, 32 pages). */
const MAX_ARGUMENT_BYTES = 131_072;

/** The kernel refused the arguments and environment of a program as too large (E2BIG). */
export class ArgumentListTooLongError extends DaemonStepsError {
  constructor(readonly longestArgumentBytes: number, readonly totalBytes: number, daemon?: DaemonContext) {
    // The command is the thing that is too long: show its beginning, not all of it.
    const shown = daemon?.command !== undefined && daemon.command.length > 200 ? { ...daemon, command: `${daemon.command.slice(0, 200)}… (${daemon.command.length} characters)` } : daemon;
    super(
      `cannot start ${shown ? describeDaemon(shown) : 'the program'}: the kernel refuses its arguments and environment as too large (E2BIG): ` +
        `the longest argument or variable has ${longestArgumentBytes} bytes (Linux takes at most ${MAX_ARGUMENT_BYTES} in one), ` +
        `all of them together ${totalBytes} bytes; pass large data through a file or stdin instead`,
      { daemon },
    );
  }
}

export class InvalidArgumentError extends DaemonStepsError {}

export class InvalidEnvironmentError extends DaemonStepsError {}

export class InvalidSignalError extends DaemonStepsError {}

export class MissingFixtureError extends DaemonStepsError {}

export class MissingDirectoryError extends DaemonStepsError {}

/** A path a step would write, or a helper script it would copy, that is outside where it may be. */
export class OutsideDirectoryError extends DaemonStepsError {
  constructor(readonly written: string, readonly resolved: string, shownAs: string, directory: string, through?: { link: string; leadsTo: string }) {
    super(
      `'${written}' is outside ${shownAs} (${directory}): ` +
        (through ? `${through.link} leads to ${through.leadsTo} through a symbolic link` : `it names ${resolved}`) +
        `; write a path relative to ${shownAs}, without '..' past it`,
    );
  }
}

export class PortBusyError extends DaemonStepsError {
  constructor(readonly port: number, readonly host: string, readonly holder: string | undefined, daemon?: DaemonContext) {
    super(
      `cannot start ${daemon ? describeDaemon(daemon) : 'the daemon'}: port ${port} on ${host} is already in use` +
        (holder ? ` by ${holder}` : '') +
        `; ${sayRemedy({ kind: 'choose-free-port' })}`,
      { daemon },
    );
  }
}

/** A fixed port that another scope, worker or run on this machine has reserved. */
export class PortReservedError extends DaemonStepsError {
  constructor(readonly port: number, readonly owner: string, message: string) {
    super(message);
  }
}

/** A directory daemon-steps keeps private files in that is not private: a link, another user's, or open to others. */
export class UnsafeDirectoryError extends DaemonStepsError {
  constructor(readonly directory: string, readonly problem: string) {
    super(
      `cannot use ${directory}: ${problem}; another user may have put it there. ` +
        `Remove it (rm -rf ${directory}) and run again: daemon-steps creates it afresh, usable by you alone`,
    );
  }
}

export class ReadinessTimeoutError extends DaemonStepsError {}

export class DaemonExitedError extends DaemonStepsError {}

/** A readiness condition that can never hold (e.g. its host does not resolve). */
export class ReadinessFailedError extends DaemonStepsError {}

/** A readiness wait ended by its AbortSignal. */
export class ReadinessAbortedError extends DaemonStepsError {}

/** A free port that the daemon is never told of. */
export class FreePortUnusedError extends InvalidArgumentError {}

export class StopTimeoutError extends DaemonStepsError {}

/** Processes still there after SIGKILL and the wait that follows it (uninterruptible sleep). */
export function stopTimeoutError(daemon: DaemonContext, survivors: number[], elapsedMs: number): StopTimeoutError {
  return new StopTimeoutError(
    `${describeDaemon(daemon)}: processes ${survivors.join(', ')} were still there ${formatSeconds(elapsedMs)} after SIGKILL ` +
      '(uninterruptible sleep?); look at them with ps',
    { daemon },
  );
}

/**
 * Several stops of one cleanup failed. It is an AggregateError, so every failure is in `errors`,
 * and its message gives each one (one error alone is thrown as it is).
 */
export class StopFailuresError extends AggregateError {
  constructor(errors: readonly unknown[]) {
    super(
      errors,
      `${errors.length} stops failed:\n` +
        errors.map((error) => `- ${(error instanceof Error ? error.message : String(error)).split('\n').join('\n  ')}`).join('\n'),
    );
    this.name = 'StopFailuresError';
  }
}

/**
 * Throws what a parallel cleanup's failures add up to: nothing, the one error, or every error in a
 * StopFailuresError — each failure once, also when it came through two routes (the supervisor and
 * the registry share a daemon's stop) or inside another StopFailuresError.
 */
export function throwStopFailures(results: ReadonlyArray<PromiseSettledResult<unknown>>): void {
  const failures = new Set<unknown>();
  for (const result of results) {
    if (result.status === 'fulfilled') continue;
    const reason: unknown = result.reason;
    for (const error of reason instanceof StopFailuresError ? reason.errors : [reason]) failures.add(error);
  }
  if (failures.size === 1) throw [...failures][0];
  if (failures.size > 1) throw new StopFailuresError([...failures]);
}

/** A pid file that does not name a live process that may be adopted. */
export class PidFileError extends DaemonStepsError {}

/** What only a process daemon-steps spawned has (exit code, output, stdin, restart), asked of an adopted one. */
export class AdoptedProcessError extends DaemonStepsError {}

export class NotExitedError extends DaemonStepsError {}

export class OutputTimeoutError extends DaemonStepsError {}

export class StdinError extends DaemonStepsError {}

export class UnknownProgramError extends DaemonStepsError {
  constructor(readonly requested: string, readonly known: readonly string[]) {
    super(
      `no process named '${requested}' in this supervisor; ` +
        (known.length === 0 ? 'none has been added' : `added: ${known.join(', ')}`) +
        didYouMean(requested, known),
    );
  }
}

export class DuplicateProgramError extends DaemonStepsError {
  constructor(readonly requested: string) {
    super(`a process named '${requested}' is already supervised; remove it first, or choose another name`, { daemon: { name: requested } });
  }
}

/** The supervisor stopped restarting a process (FATAL): it could not be spawned, or kept dying. */
export class GaveUpRestartingError extends DaemonStepsError {}

/** A services file (`daemon-steps run FILE`) that cannot be used: the message names the file and the bad field. */
export class ServicesFileError extends DaemonStepsError {
  constructor(readonly file: string, problem: string) {
    super(`${file}: ${problem}`);
  }
}

/** A service of a services file that did not start; everything else was stopped. */
export class ServiceStartError extends DaemonStepsError {}

/**
 * A shared service that cannot be used: it died, its settings are gone, or a scenario asks for it
 * differently from the one that started it. Never retried silently: it points at a bug.
 */
export class SharedServiceError extends DaemonStepsError {}

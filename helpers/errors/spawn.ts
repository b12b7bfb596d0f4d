import { DaemonStepsError, describeDaemon, type DaemonContext } from './base.js';
import { sayRemedy } from '../remedies.js';

// A program the kernel will not start: missing, not executable, or given too much to carry.

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

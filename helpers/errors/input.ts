import { DaemonStepsError } from './base.js';

// Bad input at the boundary: arguments, environment, signals, paths and files a caller gave.

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

/** A directory daemon-steps keeps private files in that is not private: a link, another user's, or open to others. */
export class UnsafeDirectoryError extends DaemonStepsError {
  constructor(readonly directory: string, readonly problem: string) {
    super(
      `cannot use ${directory}: ${problem}; another user may have put it there. ` +
        `Remove it (rm -rf ${directory}) and run again: daemon-steps creates it afresh, usable by you alone`,
    );
  }
}

/** A free port that the daemon is never told of. */
export class FreePortUnusedError extends InvalidArgumentError {}

/** A services file (`daemon-steps run FILE`) that cannot be used: the message names the file and the bad field. */
export class ServicesFileError extends DaemonStepsError {
  constructor(readonly file: string, problem: string) {
    super(`${file}: ${problem}`);
  }
}

/** A clause (`, on prot 8080`) that is none of the clause language's; `examples` shows one of each. */
export class UnknownClauseError extends InvalidArgumentError {
  constructor(readonly clause: string, readonly examples: readonly string[]) {
    super(`unknown clause ', ${clause}'; the clauses are, in any order:\n` + examples.map((example) => `  , ${example}`).join('\n'));
  }
}

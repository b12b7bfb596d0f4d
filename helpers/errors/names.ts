import { DaemonStepsError } from './base.js';
import { didYouMean } from '../suggest.js';
import { sayRemedy, wording } from '../remedies.js';

// Names asked for that are not there, or taken already: each message lists what does exist.

export class UnknownDaemonError extends DaemonStepsError {
  /** `starting`: the daemon being started, not yet listed but a name the request may have meant. */
  constructor(readonly requested: string, readonly known: readonly string[], starting?: string) {
    super(
      `no daemon named '${requested}' in this ${wording().scope}; ` +
        (known.length === 0 ? 'none has been started yet' : `started: ${known.join(', ')}`) +
        didYouMean(requested, starting === undefined ? known : [...known, starting]),
    );
  }
}

export class DuplicateDaemonError extends DaemonStepsError {
  constructor(name: string, command: string, running: boolean) {
    super(
      `a daemon named '${name}' already exists in this ${wording().scope} (${command}, ${running ? 'still running' : 'no longer running'}); ` +
        sayRemedy({ kind: 'rename-or-stop', name }),
      { daemon: { name, command } },
    );
  }
}

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

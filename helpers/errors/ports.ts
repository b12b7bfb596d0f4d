import { DaemonStepsError, describeDaemon, type DaemonContext } from './base.js';
import { sayRemedy } from '../remedies.js';

// A fixed port that cannot be had.

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

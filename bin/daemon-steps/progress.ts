import { describeExit } from '../../helpers/process/exit.js';
import { buildMessage, formatSeconds } from '../../helpers/errors.js';
import type { ServicesProgress } from '../../helpers/services/services-run.js';
import type { Log } from './log.js';

/** One line per step of a services run: which service is starting, when it is ready and how long it took. */
export function reportProgress(log: Log): (event: ServicesProgress) => void {
  return (event) => {
    switch (event.kind) {
      case 'starting':
        log.info(`daemon-steps: starting ${event.name}: ${event.command}`);
        break;
      case 'ready': {
        const port = event.port === undefined ? '' : `, port ${event.port}`;
        log.info(`daemon-steps: ${event.name} is ready after ${formatSeconds(Math.round(event.elapsedMs))} (pid ${event.pid}${port})`);
        break;
      }
      case 'failed':
        log.info(`daemon-steps: ${event.name} failed after ${formatSeconds(Math.round(event.elapsedMs))}`);
        break;
      case 'not started':
        log.info(`daemon-steps: ${event.name} not started: ${event.because}`);
        break;
      case 'exited':
        log.error(buildMessage(`daemon-steps: service ${event.name} ${describeExit(event.exit)} while it was meant to run; the other services keep running`, event.output));
        break;
      case 'stopping':
        log.info(`daemon-steps: stopping ${event.names.join(', ')}`);
        break;
      case 'stopped':
        log.info(`daemon-steps: stopped everything in ${formatSeconds(Math.round(event.elapsedMs))}`);
        break;
    }
  };
}

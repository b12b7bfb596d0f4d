import { DaemonStepsError } from '../helpers/errors.js';
import { parseSeconds } from '../helpers/seconds.js';
import { parsePortNumber } from '../helpers/ports/port-number.js';
import { scenarioScope } from './state.js';

/**
 * The deadline of a step that ends in an optional `, within N seconds`, in milliseconds. Cucumber
 * passes an optional group that did not match as null.
 */
export function withinOr(within: string | null | undefined, fallbackMs: number): number {
  return within == null ? fallbackMs : parseSeconds(within, 'within') * 1000;
}

/** A port P as a step writes it: a number, or a placeholder such as `${web.port}`. */
export function parsePort(world: object, written: string): number {
  const text = scenarioScope(world).expand(written);
  const port = parsePortNumber(text);
  if (port === undefined) {
    throw new DaemonStepsError(`port ${written}: '${text}' is not a TCP port; write a number from 1 to 65535, or \${NAME.port} for a daemon's port`);
  }
  return port;
}

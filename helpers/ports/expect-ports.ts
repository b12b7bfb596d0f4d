import { ExpectationError } from '../errors.js';
import { describePortHolder, isPortOpen } from './ports.js';

/** `port P is open`: something accepts TCP connections on host:port. */
export async function expectPortOpen(port: number, host: string): Promise<void> {
  if (await isPortOpen(port, host)) return;
  throw new ExpectationError(`port ${port} on ${host} is closed: nothing accepted a TCP connection`, { actual: false, expected: true, diffable: false });
}

/** `port P is closed`; a failure names who listens, when it can tell. */
export async function expectPortClosed(port: number, host: string): Promise<void> {
  if (!(await isPortOpen(port, host))) return;
  const holder = describePortHolder(port);
  throw new ExpectationError(`port ${port} on ${host} is open: ${holder ? `${holder} listens on it` : 'something accepted a TCP connection'}`, {
    actual: true,
    expected: false,
    diffable: false,
  });
}

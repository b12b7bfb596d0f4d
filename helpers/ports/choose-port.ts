import { InvalidArgumentError, PortBusyError } from '../errors.js';
import { isPortNumber } from './port-number.js';
import { allocateFreePort, describePortHolder, isPortInUse, reserveFixedPort } from './ports.js';

/** Whom a port is chosen for, for the reservation and for the messages. */
export interface PortRequest {
  name: string;
  /** The command as written, for the message when the port is busy. */
  command: string;
  port: 'free' | number | undefined;
  host: string;
  /** The scope's marker: owns the reservation. */
  owner: string;
  /** How long to wait for a fixed port that another scope or run has reserved. */
  fixedPortWaitMs: number;
}

/** A free port reserved for the owner, or the fixed one once it is reserved and nobody listens on it. */
export async function choosePort(request: PortRequest): Promise<number | undefined> {
  const { name, command, port, host, owner } = request;
  if (port === undefined) return undefined;
  if (port === 'free') return allocateFreePort(host, { owner });
  if (!isPortNumber(port)) {
    throw new InvalidArgumentError(`daemon '${name}': port ${port} is not a TCP port (1 to 65535)`);
  }
  await reserveFixedPort(port, { timeout: request.fixedPortWaitMs, owner });
  if (await isPortInUse(port, host)) throw new PortBusyError(port, host, describePortHolder(port), { name, command });
  return port;
}

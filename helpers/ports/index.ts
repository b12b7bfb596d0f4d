/** The public face of helpers/ports/: what the rest of the engine, the glue and the tools use. */
export { expectPortClosed, expectPortOpen } from './expect-ports.js';
export { type PooledPort, PortPool } from './port-pool.js';
export { allocateFreePort, describePortHolder, isPortInUse, releasePorts, reserveFixedPort } from './ports.js';

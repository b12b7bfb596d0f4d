/** The public face of helpers/process/: what the rest of the engine, the glue and the tools use. */
export { AdoptedProcess } from './adopted.js';
export { splitCommand } from './command-line.js';
export { Daemon, type DaemonSpec, type DaemonState, EXIT_SETTLE_MS, type OutputStream } from './daemon.js';
export { assertValidEnvironment } from './environment.js';
export { describeExit, type ExitRecord } from './exit.js';
export { expectStartFailedWith, expectStartSucceeded, type StartOutcome } from './expect-start.js';
export { type ManagedProcess } from './managed-process.js';
export { normalizeSignal } from './signals.js';

/**
 * daemon-steps' engine, usable without Cucumber (node:test, vitest, mocha, scripts): start named
 * daemons, wait until they are ready, read their output, signal and stop them. This is the
 * documented API (docs/engine.md lists it); everything else in helpers/ is internal.
 */
export { DaemonScope, type AdoptOptions, type RestartOptions, type ScopeOptions, type StartOptions } from './scope.js';
export {
  waitFor,
  type HttpWaitOptions,
  type OutputStreamName,
  type Probe,
  type ProbeFactory,
  type ProbeTarget,
  type ReadyCondition,
} from './readiness/index.js';
export type { WaitOptions } from './readiness/wait-options.js';
export { Daemon, DAEMON_STATES, type DaemonState, type OutputStream, type StopRequest } from './process/daemon.js';
export type { AdoptedProcess } from './process/adopted.js';
export type { CapturedProcess, ManagedProcess } from './process/managed-process.js';
export type { ReadonlyDaemon } from './process/readonly-daemon.js';
export type { SharedDaemon } from './services/shared-view.js';
export type { DaemonRegistry } from './registry.js';
export type { OutputSpool } from './output/output.js';
export type { CombinedLog } from './output/combined-log.js';
export { describeExit, type EndingStop, type ExitCause, type ExitRecord } from './process/exit.js';
export type { StopOutcome } from './containment/terminate.js';
export { resolveConfig, type DaemonStepsConfig, type KeepWorkspace } from './config.js';
export { realClock, type Clock } from './supervision/clock.js';
export { splitCommand } from './process/command-line.js';
export { parseText, showBytes } from './output/text.js';
export { normalizeSignal } from './process/signals.js';
export { allocateFreePort, isPortOpen } from './ports/ports.js';
export { findProcesses, type MatchingProcess } from './containment/process-table.js';
export { MARKER_VARIABLE, thisRun } from './containment/marker.js';
export { containmentInUse, type ContainmentSetting } from './containment/containment.js';
export { expectExitCode, expectKilledBySignal, expectNotRunning, expectRestarts, expectRunning, expectState } from './process/expect-lifecycle.js';
export { expectStaysInState, type StayOptions } from './supervision/expect-state.js';
export {
  expectOutputContains,
  expectOutputEmpty,
  expectOutputIs,
  expectOutputMatches,
  waitForAnyOutput,
  waitForOutput,
  OutputMismatchError,
} from './output/expect-output.js';
export {
  AdoptedProcessError,
  ArgumentListTooLongError,
  ContainmentError,
  DaemonExitedError,
  DaemonStepsError,
  DuplicateDaemonError,
  ExpectationError,
  FreePortUnusedError,
  GaveUpRestartingError,
  InvalidArgumentError,
  InvalidEnvironmentError,
  InvalidSignalError,
  MissingDirectoryError,
  MissingFixtureError,
  NotExitedError,
  OutputTimeoutError,
  PidFileError,
  PortBusyError,
  PortReservedError,
  ProgramNotExecutableError,
  ProgramNotFoundError,
  ReadinessAbortedError,
  ReadinessFailedError,
  ReadinessTimeoutError,
  ServicesFileError,
  ServiceStartError,
  SharedServiceError,
  StdinError,
  StopFailuresError,
  StopTimeoutError,
  UnknownDaemonError,
  type Comparison,
  type DaemonContext,
  type DaemonStepsErrorFields,
  type OutputTails,
} from './errors.js';
export { SharedServices, findRunningService, type RunningService, type SharedServicesOptions, type UseOptions } from './services/shared-services.js';
export { ServicesRun, type ServicesProgress, type ServicesRunOptions } from './services/services-run.js';
export { loadServicesFile, type ServiceDefinition, type ServicesFile } from './services/services-file.js';
export * from './http/index.js';
export { waitForPort, type PortCondition, type WaitForPortOptions } from './ports/wait-port.js';

/**
 * daemon-steps' engine, usable without Cucumber (node:test, vitest, mocha, scripts): start named
 * daemons, wait until they are ready, read their output, signal and stop them.
 */
export { Daemon, DAEMON_STATES, type DaemonSpec, type DaemonState, type OutputStream, type StopRequest } from './process/daemon.js';
export { DaemonScope, type AdoptOptions, type RestartOptions, type ScopeOptions, type StartOptions } from './scope.js';
export { waitFor, type HttpWaitOptions, type OutputStreamName, type Probe, type ProbeFactory, type ProbeTarget, type ReadyCondition } from './readiness/index.js';
export { DaemonRegistry } from './registry.js';
export { resolveConfig, SETTINGS, type DaemonStepsConfig, type KeepWorkspace } from './config.js';
export { splitCommand } from './process/command-line.js';
export { parseText, quoteBytes, showBytes, docStringBytes } from './output/text.js';
export { normalizeSignal } from './process/signals.js';
export { describeExit, type EndingStop, type ExitCause, type ExitRecord } from './process/exit.js';
export { realClock, type Clock } from './supervision/clock.js';
export {
  Supervisor,
  type LaunchedProcess,
  type LaunchRequest,
  type OutputListener,
  type ProcessInfo,
  type ProcessLauncher,
  type ProgramOptions,
  type SupervisedState,
  type SupervisorOptions,
} from './supervision/supervisor.js';
export { DaemonLauncher, type DaemonLauncherOptions } from './supervision/daemon-launcher.js';
export { BackOff, DEFAULT_RESTART_POLICY, restartPolicy, type RestartPolicy } from './supervision/restart-policy.js';
export { PortPool, DEFAULT_POOL_BASE, type PooledPort, type PortPoolOptions } from './ports/port-pool.js';
export { FakeClock } from './supervision/fake-clock.js';
export { expectStaysInState } from './supervision/expect-state.js';
export { allocateFreePort, isPortInUse, isPortOpen, describePortHolder } from './ports/ports.js';
export { resolveHost, HostResolutionError, type HostResolver } from './readiness/tcp.js';
export { findProcesses, type MatchingProcess } from './containment/process-table.js';
export { terminate, terminateAll, endFamily, ProcessFamily, type FamilyDescription, type FamilyMember, type StopOutcome, type StopOptions, type TerminationTarget } from './containment/terminate.js';
export type { ManagedProcess } from './process/managed-process.js';
export { AdoptedProcess, type AdoptedIdentity, type AdoptRequest } from './process/adopted.js';
export { expectExitCode, expectKilledBySignal, expectNotRunning, expectRestarts, expectRunning, expectState } from './process/expect-lifecycle.js';
export { ensureReaper, type Reaper, type ReaperOptions } from './containment/reaper.js';
export { describeSweep, endRun, findAbandonedRuns, runFamily, sweepAbandonedRuns, type AbandonedRun, type SweepReport } from './containment/leftovers.js';
export { MARKER_VARIABLE, WATCHDOG_VARIABLE, thisRun } from './containment/marker.js';
export { containmentInUse, type ContainmentSetting } from './containment/containment.js';
export {
  expectOutputContains,
  expectOutputEmpty,
  expectOutputIs,
  expectOutputMatches,
  waitForAnyOutput,
  waitForOutput,
  OutputMismatchError,
} from './output/expect-output.js';
export * from './errors.js';
export { SharedServices, findRunningService, type RunningService, type SharedServicesOptions, type UseOptions } from './services/shared-services.js';
export { ServicesRun, type ServicesProgress, type ServicesRunOptions } from './services/services-run.js';
export { loadServicesFile, parseServicesFile, type ServiceDefinition, type ServicesFile } from './services/services-file.js';
export { readSettingsFile, type ServiceSettings, type ServicesSettings } from './services/services-settings.js';
export { CONTROL_PID_VARIABLE, SETTINGS_VARIABLE, serviceVariable } from './services/service-variables.js';

/**
 * daemon-steps' engine, usable without Cucumber (node:test, vitest, mocha, scripts): start named
 * daemons, wait until they are ready, read their output, signal and stop them.
 */
export { Daemon, DAEMON_STATES, type DaemonSpec, type DaemonState, type OutputStream, type ReadinessCondition, type StopRequest } from './daemon.js';
export { DaemonScope, type ScopeOptions, type StartRequest } from './scope.js';
export { DaemonRegistry } from './registry.js';
export { resolveConfig, SETTINGS, type DaemonStepsConfig, type KeepWorkspace } from './config.js';
export { parseClauses, parseEnvironmentJson, type StartClauses, type WaitClause } from './clauses.js';
export { splitCommand } from './command-line.js';
export { parseText, quoteBytes, showBytes, docStringBytes } from './text.js';
export { normalizeSignal } from './signals.js';
export { describeExit, type EndingStop, type ExitCause, type ExitRecord } from './exit.js';
export { realClock, type Clock } from './clock.js';
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
} from './supervisor.js';
export { DaemonLauncher, type DaemonLauncherOptions } from './daemon-launcher.js';
export { BackOff, DEFAULT_RESTART_POLICY, restartPolicy, type RestartPolicy } from './restart-policy.js';
export { PortPool, DEFAULT_POOL_BASE, type PooledPort, type PortPoolOptions } from './port-pool.js';
export { FakeClock } from './fake-clock.js';
export { expectStaysInState } from './expect-state.js';
export { allocateFreePort, isPortInUse, isPortOpen, describePortHolder } from './ports.js';
export { resolveHost, HostResolutionError, type HostResolver } from './tcp.js';
export { findProcesses, type MatchingProcess } from './process-table.js';
export { terminate, terminateAll, endFamily, ProcessFamily, type FamilyDescription, type FamilyMember, type StopOutcome, type StopOptions, type TerminationTarget } from './terminate.js';
export type { ManagedProcess } from './managed-process.js';
export { AdoptedProcess, type AdoptedIdentity, type AdoptRequest } from './adopted.js';
export { expectExitCode, expectKilledBySignal, expectNotRunning, expectRestarts, expectRunning, expectState } from './expect-lifecycle.js';
export { ensureReaper, type Reaper, type ReaperOptions } from './reaper.js';
export { describeSweep, endRun, findAbandonedRuns, runFamily, sweepAbandonedRuns, type AbandonedRun, type SweepReport } from './leftovers.js';
export { MARKER_VARIABLE, WATCHDOG_VARIABLE, thisRun } from './marker.js';
export { containmentInUse, type ContainmentSetting } from './containment.js';
export {
  expectOutputContains,
  expectOutputEmpty,
  expectOutputIs,
  expectOutputMatches,
  waitForAnyOutput,
  waitForOutput,
  OutputMismatchError,
} from './expect-output.js';
export * from './errors.js';
export { SharedServices, findRunningService, type RunningService, type SharedServicesOptions, type UseOptions } from './shared-services.js';
export { ServicesRun, type ServicesProgress, type ServicesRunOptions } from './services-run.js';
export { loadServicesFile, parseServicesFile, type ServiceDefinition, type ServicesFile } from './services-file.js';
export { readSettingsFile, type ServiceSettings, type ServicesSettings } from './services-settings.js';
export { CONTROL_PID_VARIABLE, SETTINGS_VARIABLE, serviceVariable } from './service-variables.js';

/** The public face of helpers/containment/: what the rest of the engine, the glue and the tools use. */
export { type Cgroup } from './cgroup.js';
export { cgroupForDaemon, cgroupOfScope, CONTAINMENT_SETTINGS, type ContainmentSetting, spawnInCgroup } from './containment.js';
export { expectNoProcess, expectProcessRunning } from './expect-processes.js';
export { describeSweep, sweepAbandonedRuns } from './leftovers.js';
export { daemonMarker, isInScope, MARKER_VARIABLE, newScopeMarker, thisRun } from './marker.js';
export { hasProcFs, isAlive, listPids, ownerOf, readCommandLine, readEnvironmentVariable, readProcStat, runnerAndAncestors, sendSignal, signalIfSame, startedAtMs, threadGroupOf, ticksNow } from './proc.js';
export { endRunWhenGone, ensureReaper } from './reaper.js';
export { ProcessFamily, type TerminationTarget } from './family.js';
export { endFamily, type StopOutcome, terminate } from './terminate.js';

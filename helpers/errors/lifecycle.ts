import { DaemonStepsError } from './base.js';

// A daemon that did not become ready, ended, or was asked for what it cannot give.

export class ReadinessTimeoutError extends DaemonStepsError {}

export class DaemonExitedError extends DaemonStepsError {}

/** A readiness condition that can never hold (e.g. its host does not resolve). */
export class ReadinessFailedError extends DaemonStepsError {}

/** A readiness wait ended by its AbortSignal. */
export class ReadinessAbortedError extends DaemonStepsError {}

/** A pid file that does not name a live process that may be adopted. */
export class PidFileError extends DaemonStepsError {}

/** What only a process daemon-steps spawned has (exit code, output, stdin, restart), asked of an adopted one. */
export class AdoptedProcessError extends DaemonStepsError {}

export class NotExitedError extends DaemonStepsError {}

export class OutputTimeoutError extends DaemonStepsError {}

export class StdinError extends DaemonStepsError {}

/** The supervisor stopped restarting a process (FATAL): it could not be spawned, or kept dying. */
export class GaveUpRestartingError extends DaemonStepsError {}

/** A service of a services file that did not start; everything else was stopped. */
export class ServiceStartError extends DaemonStepsError {}

/**
 * A shared service that cannot be used: it died, its settings are gone, or a scenario asks for it
 * differently from the one that started it. Never retried silently: it points at a bug.
 */
export class SharedServiceError extends DaemonStepsError {}

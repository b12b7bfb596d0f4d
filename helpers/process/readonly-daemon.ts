import type { Daemon } from './daemon.js';

/** What would end or change a daemon: its owner's to do, not an observer's. */
export type OwnerOnly = 'stop' | 'kill' | 'restart' | 'respawn' | 'sendSignal' | 'writeStdin' | 'closeStdin' | 'closeFiles' | typeof Symbol.asyncDispose;

/**
 * A daemon as one that does not own it holds it (a shared service's user, an expectation): it can
 * be read (port, pid, state, output) and waited on; a call that would end or change it fails to
 * compile, and its lifecycle (what tells it what happened) is not there to be told.
 */
export type ReadonlyDaemon = Omit<Daemon, OwnerOnly | 'lifecycle'>;

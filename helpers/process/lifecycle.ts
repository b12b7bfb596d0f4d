/** A daemon's state, as STEPS.md names them. */
export type DaemonState = 'STARTING' | 'RUNNING' | 'BACKOFF' | 'FATAL' | 'STOPPED' | 'EXITED';
export const DAEMON_STATES: readonly DaemonState[] = ['STARTING', 'RUNNING', 'BACKOFF', 'FATAL', 'STOPPED', 'EXITED'];

/** A supervised process's state; DESTROYED for a name that was never added, or was removed. */
export type SupervisedState = DaemonState | 'DESTROYED';

/**
 * What happens to a daemon, told by whoever saw it (the daemon itself, its supervisor):
 * - `added`: a supervisor took it on (STOPPED until started);
 * - `spawning`: a process of it is being spawned, the first or again (STARTING);
 * - `ready`: its readiness conditions held (RUNNING, from STARTING only);
 * - `exited`: its process ended (EXITED, from STARTING or RUNNING — unless a stop is under way, whose end says STOPPED);
 * - `killed`: our kill ended it (EXITED, from STARTING or RUNNING);
 * - `stop-requested` / `stop-abandoned`: a stop began / failed before it ended (the state stays);
 * - `stopped`: a stop ended it (STOPPED);
 * - `backing-off`: its supervisor waits before starting it again (BACKOFF);
 * - `gave-up`: its supervisor will not start it again (FATAL);
 * - `removed`: its supervisor forgot it (DESTROYED).
 */
export type LifecycleEvent =
  | 'added'
  | 'spawning'
  | 'ready'
  | 'exited'
  | 'killed'
  | 'stop-requested'
  | 'stop-abandoned'
  | 'stopped'
  | 'backing-off'
  | 'gave-up'
  | 'removed';

/** The events a daemon hears: a supervisor's adding and removing are the supervisor's own. */
export type DaemonEvent = Exclude<LifecycleEvent, 'added' | 'removed'>;

const RUNS: ReadonlySet<SupervisedState> = new Set(['STARTING', 'RUNNING']);

/** The state after `event`, from `state`, while a stop is (or is not) under way. */
function next(state: SupervisedState, event: LifecycleEvent, stopping: boolean): SupervisedState {
  switch (event) {
    case 'added':
      return state === 'DESTROYED' ? 'STOPPED' : state;
    case 'spawning':
      return 'STARTING';
    case 'ready':
      return state === 'STARTING' ? 'RUNNING' : state;
    case 'exited':
      return RUNS.has(state) && !stopping ? 'EXITED' : state;
    case 'killed':
      return RUNS.has(state) ? 'EXITED' : state;
    case 'stop-requested':
    case 'stop-abandoned':
      return state;
    case 'stopped':
      return state === 'DESTROYED' ? state : 'STOPPED';
    case 'backing-off':
      return 'BACKOFF';
    case 'gave-up':
      return 'FATAL';
    case 'removed':
      return 'DESTROYED';
  }
}

/**
 * The one writer of a daemon's state (or of a supervised name's): it changes only through events,
 * and every change is handed to `onChange` with the event that made it.
 */
export class Lifecycle<S extends SupervisedState = DaemonState, E extends LifecycleEvent = DaemonEvent> {
  private current: S;
  private stopping = false;

  constructor(
    initial: S,
    private readonly onChange: (state: S, previous: S, event: E) => void,
  ) {
    this.current = initial;
  }

  get state(): S {
    return this.current;
  }

  /** Whether a stop is under way: an exit meanwhile is the stop's, not the daemon's own. */
  get isStopping(): boolean {
    return this.stopping;
  }

  handle(event: E): void {
    // The events a lifecycle of S accepts (E) lead only to states of S.
    const state = next(this.current, event, this.stopping) as S;
    if (event === 'stop-requested') this.stopping = true;
    else if (event === 'stop-abandoned' || event === 'stopped') this.stopping = false;
    if (state === this.current) return;
    const previous = this.current;
    this.current = state;
    this.onChange(state, previous, event);
  }
}

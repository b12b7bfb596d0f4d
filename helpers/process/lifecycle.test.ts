import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Daemon } from './daemon.js';
import { Lifecycle, type DaemonEvent, type DaemonState, type LifecycleEvent, type SupervisedState } from './lifecycle.js';

function daemonLifecycle(): { lifecycle: Lifecycle<DaemonState, DaemonEvent>; changes: string[] } {
  const changes: string[] = [];
  const lifecycle = new Lifecycle<DaemonState, DaemonEvent>('STARTING', (state, previous, event) => changes.push(`${previous} -${event}-> ${state}`));
  return { lifecycle, changes };
}

describe('Lifecycle', () => {
  it('goes STARTING, RUNNING, EXITED through what happens, and reports each change with its event', () => {
    const { lifecycle, changes } = daemonLifecycle();
    lifecycle.handle('ready');
    lifecycle.handle('exited');
    assert.equal(lifecycle.state, 'EXITED');
    assert.deepEqual(changes, ['STARTING -ready-> RUNNING', 'RUNNING -exited-> EXITED']);
  });

  it('reports nothing for an event that changes nothing: a second ready, a ready after the exit', () => {
    const { lifecycle, changes } = daemonLifecycle();
    lifecycle.handle('ready');
    lifecycle.handle('ready');
    lifecycle.handle('exited');
    lifecycle.handle('ready');
    assert.deepEqual(changes, ['STARTING -ready-> RUNNING', 'RUNNING -exited-> EXITED']);
  });

  it('an exit during a stop is the stop’s: STOPPED when it ends, never EXITED on the way', () => {
    const { lifecycle, changes } = daemonLifecycle();
    lifecycle.handle('ready');
    lifecycle.handle('stop-requested');
    assert.equal(lifecycle.isStopping, true);
    lifecycle.handle('exited');
    assert.equal(lifecycle.state, 'RUNNING');
    lifecycle.handle('stopped');
    assert.equal(lifecycle.isStopping, false);
    assert.deepEqual(changes, ['STARTING -ready-> RUNNING', 'RUNNING -stopped-> STOPPED']);
  });

  it('a stop that failed before it ended lets a later exit count as the daemon’s own again', () => {
    const { lifecycle } = daemonLifecycle();
    lifecycle.handle('stop-requested');
    lifecycle.handle('stop-abandoned');
    lifecycle.handle('exited');
    assert.equal(lifecycle.state, 'EXITED');
  });

  it('a kill ends a starting or running daemon as EXITED, even during a stop, and leaves STOPPED alone', () => {
    const { lifecycle } = daemonLifecycle();
    lifecycle.handle('stop-requested');
    lifecycle.handle('killed');
    assert.equal(lifecycle.state, 'EXITED');
    lifecycle.handle('stopped');
    lifecycle.handle('killed');
    assert.equal(lifecycle.state, 'STOPPED');
  });

  it('follows its supervisor: EXITED, BACKOFF, STARTING again, FATAL when it gives up', () => {
    const { lifecycle, changes } = daemonLifecycle();
    for (const event of ['ready', 'exited', 'backing-off', 'spawning', 'exited', 'gave-up'] as const) lifecycle.handle(event);
    assert.deepEqual(changes, [
      'STARTING -ready-> RUNNING',
      'RUNNING -exited-> EXITED',
      'EXITED -backing-off-> BACKOFF',
      'BACKOFF -spawning-> STARTING',
      'STARTING -exited-> EXITED',
      'EXITED -gave-up-> FATAL',
    ]);
  });

  it('a supervised name is DESTROYED until added and once removed; a stop after the removal leaves it DESTROYED', () => {
    const states: SupervisedState[] = [];
    const lifecycle = new Lifecycle<SupervisedState, LifecycleEvent>('DESTROYED', (state) => states.push(state));
    lifecycle.handle('added');
    lifecycle.handle('added');
    lifecycle.handle('spawning');
    lifecycle.handle('removed');
    lifecycle.handle('stopped');
    assert.deepEqual(states, ['STOPPED', 'STARTING', 'DESTROYED']);
  });

  it('is the only writer of a daemon’s state: a daemon has neither a setState nor a state setter', () => {
    const prototypes = [Daemon.prototype, Object.getPrototypeOf(Daemon.prototype) as object];
    assert.equal(prototypes.some((prototype) => 'setState' in prototype), false);
    const state = prototypes.map((prototype) => Object.getOwnPropertyDescriptor(prototype, 'state')).find(Boolean);
    assert.equal(typeof state?.get, 'function');
    assert.equal(state?.set, undefined);
  });
});

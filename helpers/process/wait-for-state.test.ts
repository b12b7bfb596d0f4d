import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { describe, it } from 'node:test';
import { FakeClock } from '../supervision/fake-clock.js';
import { waitForStates, type StateWatch } from './wait-for-state.js';

/** A state that changes when the test says, as a daemon's does. */
class Light extends EventEmitter implements StateWatch<string> {
  constructor(public current: string) {
    super();
  }
  set(state: string): void {
    this.current = state;
    this.emit('state', state);
  }
  subscribe(listener: (state: string) => void): () => void {
    this.on('state', listener);
    return () => this.off('state', listener);
  }
}

const until = (wanted: string, clock: FakeClock, timeoutMs = 1000) => ({
  judge: (state: string) => (state === wanted ? ('done' as const) : state === 'broken' ? new Error(`it broke before it was ${wanted}`) : ('wait' as const)),
  timeoutMs,
  clock,
  atDeadline: () => new Error(`not ${wanted} within ${timeoutMs} ms`),
});

describe('waitForStates', () => {
  it('resolves at once when the state now is the one awaited, without a timer', async () => {
    const clock = new FakeClock();
    await waitForStates(new Light('green'), until('green', clock));
    assert.equal(clock.pendingSleeps, 0);
  });

  it('resolves on the change to the awaited state, and leaves no listener or timer behind', async () => {
    const clock = new FakeClock();
    const light = new Light('red');
    const waiting = waitForStates(light, until('green', clock));
    light.set('amber');
    light.set('green');
    await waiting;
    assert.equal(light.listenerCount('state'), 0);
    assert.equal(clock.pendingSleeps, 0);
  });

  it('rejects with the judge’s error, now or on a change', async () => {
    const clock = new FakeClock();
    await assert.rejects(waitForStates(new Light('broken'), until('green', clock)), { message: 'it broke before it was green' });
    const light = new Light('red');
    const waiting = waitForStates(light, until('green', clock));
    light.set('broken');
    await assert.rejects(waiting, { message: 'it broke before it was green' });
    assert.equal(light.listenerCount('state'), 0);
  });

  it('at the deadline rejects with what atDeadline says, or resolves when it says nothing (a state that had to hold)', async () => {
    const clock = new FakeClock();
    const light = new Light('red');
    const rejected = assert.rejects(waitForStates(light, until('green', clock, 500)), { message: 'not green within 500 ms' });
    await clock.advance(500);
    await rejected;
    const holding = waitForStates(light, { judge: () => 'wait', timeoutMs: 500, clock, atDeadline: () => undefined });
    await clock.advance(500);
    await holding;
    assert.equal(light.listenerCount('state'), 0);
  });
});

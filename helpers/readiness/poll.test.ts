import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FakeClock } from '../supervision/fake-clock.js';
import { Backoff, POLL_SCHEDULE, pollIntervalMs, pollUntil } from './poll.js';

describe('pollUntil, the one poll loop', () => {
  it('looks at once, then after 1, 2, 4 … ms up to the cap, and returns what the look found', async () => {
    const clock = new FakeClock();
    const lookedAt: number[] = [];
    const found = pollUntil(() => (lookedAt.push(clock.now()), lookedAt.length === 9 ? 'there' : undefined), { timeoutMs: 10_000, clock });
    while (lookedAt.length < 9) {
      await clock.untilSleeping();
      await clock.advance(clock.nextDueInMs!);
    }
    assert.equal(await found, 'there');
    assert.deepEqual(lookedAt, [0, 1, 3, 7, 15, 31, 63, 113, 163]);
  });

  it('gives undefined once the deadline has passed, after one last look at it', async () => {
    const clock = new FakeClock();
    const lookedAt: number[] = [];
    const found = pollUntil(() => void lookedAt.push(clock.now()), { timeoutMs: 10, clock });
    while (lookedAt.at(-1) !== 10) {
      await clock.untilSleeping();
      await clock.advance(clock.nextDueInMs!);
    }
    assert.equal(await found, undefined);
    assert.deepEqual(lookedAt, [0, 1, 3, 7, 10]);
  });

  it('rejects with the reason when its signal is aborted, and a look that throws ends it with that error', async () => {
    const clock = new FakeClock();
    const controller = new AbortController();
    const waiting = pollUntil(() => undefined, { timeoutMs: 10_000, clock, signal: controller.signal });
    await clock.untilSleeping();
    controller.abort(new Error('cancelled'));
    await assert.rejects(waiting, /cancelled/);
    await assert.rejects(
      pollUntil(() => {
        throw new Error('hopeless');
      }, { timeoutMs: 10_000, clock }),
      /hopeless/,
    );
  });
});

describe('the polling schedules', () => {
  it('a back-off doubles from its first delay to its cap, and starts over on reset', () => {
    const backoff = new Backoff(5, 40);
    assert.deepEqual([backoff.next(), backoff.next(), backoff.next(), backoff.next(), backoff.next()], [5, 10, 20, 40, 40]);
    backoff.reset();
    assert.equal(backoff.next(), 5);
  });

  it('readiness checks come 1 ms apart at first and slow down, as POLL_SCHEDULE says', () => {
    for (const step of POLL_SCHEDULE.readiness) assert.equal(pollIntervalMs(step.untilMs - 1), step.everyMs);
    assert.equal(pollIntervalMs(480), 30);
    assert.equal(pollIntervalMs(60_000), POLL_SCHEDULE.later.maxMs);
  });
});

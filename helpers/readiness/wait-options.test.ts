import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { DaemonScope } from '../scope.js';
import type { Daemon } from '../process/daemon.js';
import { AdoptedProcess } from '../process/adopted.js';
import { readProcStat } from '../containment/proc.js';
import { waitForAnyOutput, waitForOutput } from '../output/expect-output.js';
import { waitForPort } from '../ports/wait-port.js';
import { allocateFreePort, reserveFixedPort } from '../ports/ports.js';
import { FakeClock } from '../supervision/fake-clock.js';
import { waitFor } from './wait-for.js';
import { ReadinessAbortedError, formatSeconds } from '../errors.js';
import { expectStaysInState } from '../supervision/expect-state.js';
import { pollUntil } from './poll.js';

/**
 * Every public wait takes `{ timeout, signal, clock }`: an aborted signal ends it at once, saying
 * what it waited for, and a fake clock drives its deadline. The waits run on a fake clock here, so
 * "at once" is exact: the message says 0 s, and a wait with an hour to go ends all the same.
 */
const HOUR = 3_600_000;

/** Starts `wait` with an hour to go on a fake clock, aborts it once it waits, and returns its error. */
async function abortedError(wait: (options: { timeout: number; signal: AbortSignal; clock: FakeClock }) => Promise<unknown>): Promise<ReadinessAbortedError> {
  const clock = new FakeClock();
  const controller = new AbortController();
  const waiting = wait({ timeout: HOUR, signal: controller.signal, clock }).then(
    () => assert.fail('the wait resolved'),
    (error: unknown) => error,
  );
  await clock.untilSleeping();
  controller.abort();
  // A wait that ignored its signal would end only at its deadline, an hour on: with a timeout error, not this one.
  await clock.advance(HOUR);
  const error = await waiting;
  assert.ok(error instanceof ReadinessAbortedError, `not a ReadinessAbortedError: ${String(error)}`);
  return error;
}

/** Starts `wait` with `timeout` on a fake clock, moves the clock past it, and returns its error. */
async function timedOutError(timeout: number, wait: (options: { timeout: number; clock: FakeClock }) => Promise<unknown>): Promise<Error> {
  const clock = new FakeClock();
  const waiting = wait({ timeout, clock }).then(
    () => assert.fail('the wait resolved'),
    (error: unknown) => error as Error,
  );
  await clock.untilSleeping();
  await clock.advance(timeout);
  return waiting;
}

describe('every wait takes { timeout, signal, clock }', () => {
  let scope: DaemonScope;
  let sleeper: Daemon;
  before(async () => {
    scope = new DaemonScope({ label: 'wait-options' });
    sleeper = await scope.start({ name: 'sleeper', command: ['sleep', '31907'] });
  });
  after(async () => {
    await scope.dispose();
  });
  const who = "daemon 'sleeper' (sleep 31907)";

  it('waitForExit: aborted at once, and its deadline on the given clock', async () => {
    const error = await abortedError((options) => sleeper.waitForExit(options));
    assert.equal(error.message.split('\n')[0], `the wait for ${who} to exit was aborted after 0 s`);
    assert.equal(error.awaited, `${who} to exit`);
    const late = await timedOutError(30_000, (options) => sleeper.waitForExit(options));
    assert.equal(late.message.split('\n')[0], `${who} did not exit within 30 s; it is still running (pid ${sleeper.pid})`);
  });

  it('waitForState: aborted at once, and its deadline on the given clock', async () => {
    const error = await abortedError((options) => sleeper.waitForState('STOPPED', options));
    assert.equal(error.message.split('\n')[0], `the wait for ${who} to reach state STOPPED was aborted after 0 s`);
    const late = await timedOutError(20_000, (options) => sleeper.waitForState('STOPPED', options));
    assert.equal(late.message.split('\n')[0], `${who} did not reach state STOPPED within 20 s; it is RUNNING`);
  });

  it('a signal aborted before the wait begins ends it before it looks', async () => {
    const error = await sleeper.waitForState('RUNNING', { signal: AbortSignal.abort(), clock: new FakeClock() }).catch((error: unknown) => error);
    assert.ok(error instanceof ReadinessAbortedError);
    assert.equal(error.message.split('\n')[0], `the wait for ${who} to reach state RUNNING was aborted after 0 s`);
  });

  it('waitForOutput and waitForAnyOutput: aborted at once, and their deadlines on the given clock', async () => {
    const error = await abortedError((options) => waitForOutput(sleeper, 'stdout', Buffer.from('never'), options));
    assert.equal(error.message.split('\n')[0], `the wait for ${who}'s stdout to contain "never" was aborted after 0 s`);
    const any = await abortedError((options) => waitForAnyOutput(sleeper, options));
    assert.equal(any.message.split('\n')[0], `the wait for output from ${who} was aborted after 0 s`);
    const late = await timedOutError(7000, (options) => waitForOutput(sleeper, 'output', Buffer.from('never'), options));
    assert.equal(late.message.split('\n')[0], `${who}: waited 7 s for output to contain "never", in vain; it is still running (pid ${sleeper.pid})`);
    const silent = await timedOutError(9000, (options) => waitForAnyOutput(sleeper, options));
    assert.equal(silent.message.split('\n')[0], `${who} produced no output on stdout or stderr within 9 s; it is still running (pid ${sleeper.pid})`);
  });

  it('writeStdin: aborted at once, and its deadline on the given clock, when the daemon does not read its stdin', async () => {
    // More than a pipe holds: the writing waits for a reader that never comes.
    const data = Buffer.alloc(4 * 1024 * 1024, 'x');
    const error = await abortedError((options) => sleeper.writeStdin(data, options));
    assert.equal(error.message.split('\n')[0], `the wait for ${who} to take ${data.length} bytes on its stdin was aborted after 0 s`);
    assert.equal(error.awaited, `${who} to take ${data.length} bytes on its stdin`);
    const late = await timedOutError(6000, (options) => sleeper.writeStdin(data, options));
    assert.match(late.message.split('\n')[0]!, new RegExp(`^daemon 'sleeper' \\(sleep 31907\\) is not reading its stdin: it took \\d+ of ${data.length} bytes within 6 s; the rest was not written$`));
  });

  it('expectStaysInState: aborted at once, and the stretch it must stay measured on the given clock', async () => {
    const error = await abortedError((options) => expectStaysInState(sleeper, 'RUNNING', options));
    assert.equal(error.message, `the wait for ${who} to stay in state RUNNING for ${formatSeconds(HOUR)} was aborted after 0 s`);
    const clock = new FakeClock();
    let stayed = false;
    const staying = expectStaysInState(sleeper, 'RUNNING', { timeout: 30_000, clock }).then(() => (stayed = true));
    await clock.untilSleeping();
    await clock.advance(29_999);
    assert.equal(stayed, false, 'it resolved before its stretch was over');
    await clock.advance(1);
    await staying;
  });

  it('waitUntilReady: aborted at once, naming what it waited for', async () => {
    const waiter = await scope.spawn({ name: 'waiter', command: ['sleep', '31908'], ready: [waitFor.output('never', 'stdout')] });
    const error = await abortedError((options) => waiter.waitUntilReady(options));
    assert.match(error.message.split('\n')[0]!, /^the wait for daemon 'waiter' \(sleep 31908\) to be ready was aborted after 0 s: it was waiting for stdout to contain "never"/);
  });

  it('scope.restart: its wait for readiness is aborted at once', async () => {
    // Ready when it says "up", which it says only the first time: once restarted, it is never ready.
    const script = 'if [ -e restarted ]; then exec sleep 31909; fi; touch restarted; echo up; exec sleep 31909';
    await scope.start({ name: 'again', command: ['sh', '-c', script], ready: [waitFor.output('up', 'stdout')] });
    const error = await abortedError((options) => scope.restart('again', options));
    assert.match(error.message.split('\n')[0]!, /^the wait for daemon 'again' \(sh -c .*\) to be ready was aborted after 0 s: it was waiting for stdout to contain "up"/);
  });

  it("the supervisor's waitForState: aborted at once, and its deadline on the given clock", async () => {
    await scope.start({ name: 'kept', command: ['sleep', '31910'], restart: true });
    const error = await abortedError((options) => scope.supervisor.waitForState('kept', 'STOPPED', options));
    assert.equal(error.message, "the wait for 'kept' to reach state STOPPED was aborted after 0 s");
    const late = await timedOutError(12_000, (options) => scope.supervisor.waitForState('kept', 'STOPPED', options));
    assert.equal(late.message, "'kept' did not reach state STOPPED within 12 s; it is RUNNING");
  });

  it('an adopted process: waitForExit and waitForState aborted at once, and their deadlines on the given clock', async () => {
    const stat = readProcStat(sleeper.pid!)!;
    const adopted = new AdoptedProcess({ name: 'adopted', pid: sleeper.pid!, startTime: stat.startTime, source: 'sleeper.pid' });
    const adoptedWho = "daemon 'adopted' (adopted from pid file sleeper.pid)";
    const error = await abortedError((options) => adopted.waitForExit(options));
    assert.equal(error.message, `the wait for ${adoptedWho} to exit was aborted after 0 s`);
    const state = await abortedError((options) => adopted.waitForState('EXITED', options));
    assert.equal(state.message, `the wait for ${adoptedWho} to reach state EXITED was aborted after 0 s`);
    const late = await timedOutError(4000, (options) => adopted.waitForExit(options));
    assert.equal(late.message, `${adoptedWho} did not exit within 4 s; it is still running (pid ${sleeper.pid})`);
  });

  it('waitForPort: aborted at once, naming the port', async () => {
    const port = await allocateFreePort('127.0.0.1');
    const error = await abortedError((options) => waitForPort(port, 'open', options));
    assert.equal(error.message, `the wait for port ${port} on 127.0.0.1 to be open was aborted after 0 s`);
  });

  it('reserveFixedPort: the wait for a port another scope holds is aborted at once, and its deadline is on the given clock', async () => {
    const port = await allocateFreePort('127.0.0.1');
    const release = await reserveFixedPort(port, { owner: 'scope-a' });
    try {
      const error = await abortedError((options) => reserveFixedPort(port, { ...options, owner: 'scope-b' }));
      assert.equal(error.message, `the wait for port ${port} to be released by whoever reserved it was aborted after 0 s`);
      const late = await timedOutError(2000, (options) => reserveFixedPort(port, { ...options, owner: 'scope-b' }));
      assert.match(late.message, new RegExp(`^port ${port} has been reserved by .* for more than 2 s`));
    } finally {
      release();
    }
  });

  it('pollUntil without `awaited` still rejects with the signal’s own reason (internal waits)', async () => {
    const reason = new Error('cut short');
    await assert.rejects(pollUntil(() => undefined, { timeoutMs: HOUR, signal: AbortSignal.abort(reason) }), reason);
  });
});

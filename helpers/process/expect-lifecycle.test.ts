import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { resolveConfig } from '../config.js';
import { ExpectationError } from '../errors.js';
import { expectExitCode, expectKilledBySignal, expectNotRunning, expectRestarts, expectRunning, expectState } from './expect-lifecycle.js';
import { DaemonScope } from '../scope.js';

const scope = new DaemonScope({ label: 'expect lifecycle test', config: resolveConfig({ stopGrace: 1 }) });
after(() => scope.dispose());

describe('assertions on how a daemon is and how it ended', () => {
  it('asking how a daemon still running ended is an error that says to wait for it', async () => {
    const daemon = await scope.start({ name: 'sleeper', command: 'sleep 30' });
    expectRunning(daemon);
    const notExited =
      `daemon 'sleeper' (sleep 30) has not exited: it is still running (pid ${daemon.pid}, state RUNNING); ` +
      `wait for it first (waitForExit)`;
    assert.throws(() => expectExitCode(daemon, 0), { name: 'NotExitedError', message: notExited });
    assert.throws(() => expectKilledBySignal(daemon, 'SIGTERM'), { name: 'NotExitedError', message: notExited });
    assert.throws(() => expectNotRunning(daemon), { message: `daemon 'sleeper' is still running (pid ${daemon.pid}, state RUNNING)` });
    await daemon.stop({ graceMs: 1000 });
    expectNotRunning(daemon);
    expectKilledBySignal(daemon, 'SIGTERM');
    assert.throws(() => expectRunning(daemon), (error: Error & { headline?: string }) => {
      assert.equal(error.headline, `daemon 'sleeper' is not running: it was killed by signal SIGTERM (state STOPPED)`);
      return true;
    });
    assert.throws(() => expectExitCode(daemon, 0), (error: ExpectationError) => {
      assert.equal(error.headline, `daemon 'sleeper' should have exited with code 0, but it was killed by signal SIGTERM`);
      assert.deepEqual([error.actual, error.expected], [null, 0], 'no exit code: it was killed by a signal');
      return true;
    });
    assert.throws(() => expectRunning(daemon), { actual: false, expected: true, diffable: false });
    assert.throws(() => expectState(daemon, 'RUNNING'), { headline: `daemon 'sleeper' is in state STOPPED, not RUNNING`, actual: 'STOPPED', expected: 'RUNNING', diffable: true });
  });

  it('compares the exit code and the signal', async () => {
    const daemon = await scope.run({ name: 'three', command: "sh -c 'echo bye >&2; exit 3'" });
    expectExitCode(daemon, 3);
    assert.throws(() => expectExitCode(daemon, 0), (error: ExpectationError) => {
      assert.equal(error.headline, `daemon 'three' should have exited with code 0, but it exited with code 3`);
      assert.deepEqual([error.actual, error.expected, error.diffable], [3, 0, true]);
      assert.match(error.message, /last lines of stderr \(.*three\.stderr\):\n {2}\| bye$/m);
      return true;
    });
    assert.throws(() => expectKilledBySignal(daemon, 'SIGKILL'), (error: ExpectationError) => {
      assert.equal(error.headline, `daemon 'three' should have been killed by signal SIGKILL, but it exited with code 3`);
      assert.deepEqual([error.actual, error.expected], [null, 'SIGKILL']);
      return true;
    });
    expectRestarts(daemon, 0);
    assert.throws(() => expectRestarts(daemon, 1), { message: `daemon 'three' has been restarted 0 times, not 1`, actual: 0, expected: 1 });
  });
});

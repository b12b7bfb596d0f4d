import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { AssertionError } from 'chai';
import { resolveConfig } from '../helpers/config.js';
import { ExpectationError, UnknownDaemonError } from '../helpers/errors.js';
import { expectExitCode } from '../helpers/process/expect-lifecycle.js';
import { DaemonScope } from '../helpers/scope.js';
import { asserting } from './assertion.js';

const scope = new DaemonScope({ label: 'assertion test', config: resolveConfig({ stopGrace: 1 }) });
after(() => scope.dispose());

function mismatchIn(where: string): ExpectationError {
  return new ExpectationError(`daemon 'web': ${where}`, { actual: 'found\n', expected: 'wanted\n', diffable: true });
}

function caught(run: () => void): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  assert.fail('expected a failure');
}

describe('asserting: an engine expectation that does not hold, as chai sees it', () => {
  it("throws chai's AssertionError with the engine's message, actual, expected and showDiff, and the engine error as its cause", () => {
    const mismatch = mismatchIn('stdout is not as expected');
    const error = caught(() => asserting(() => { throw mismatch; }));
    assert.ok(error instanceof AssertionError);
    assert.equal(error.name, 'AssertionError');
    assert.equal(error.message, "daemon 'web': stdout is not as expected");
    assert.equal(error.actual, 'found\n');
    assert.equal(error.expected, 'wanted\n');
    assert.equal(error.showDiff, true);
    assert.equal(error.cause, mismatch);
    assert.match(error.stack, /^AssertionError: daemon 'web': stdout is not as expected\n\s+at mismatchIn /, "the engine's frames, where the check failed");
  });

  it('does the same for an expectation that is checked asynchronously', async () => {
    await assert.rejects(
      asserting(async () => { throw new ExpectationError('no match', { actual: 'x', expected: /y/, diffable: false }); }),
      (error: unknown) => error instanceof AssertionError && error.message === 'no match' && error.actual === 'x' && error.showDiff === false,
    );
  });

  it('passes any other error through as it is, and returns when the expectation holds', async () => {
    const unknown = new UnknownDaemonError('nobody', ['web']);
    assert.equal(caught(() => asserting(() => { throw unknown; })), unknown);
    await assert.rejects(asserting(async () => { throw unknown; }), (error) => error === unknown);
    asserting(() => undefined);
    await asserting(async () => undefined);
  });

  it('`exited with code N` on a real daemon: the code against N', async () => {
    const daemon = await scope.run({ name: 'three', command: "sh -c 'exit 3'" });
    const error = caught(() => asserting(() => expectExitCode(daemon, 0)));
    assert.ok(error instanceof AssertionError);
    assert.equal(error.message.split('\n')[0], "daemon 'three' should have exited with code 0, but it exited with code 3");
    assert.deepEqual([error.actual, error.expected, error.showDiff], [3, 0, true]);
  });
});

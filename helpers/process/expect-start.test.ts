import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { expectStartFailedWith, expectStartSucceeded } from './expect-start.js';

describe('expectations on the outcome of a start', () => {
  it('compares the error message of a failed start with the text it should contain', () => {
    const failed = { ok: false as const, name: 'web', error: new Error('port 8080 is busy') };
    expectStartSucceeded({ ok: true, name: 'web' });
    expectStartFailedWith(failed, 'busy', 'busy');
    assert.throws(() => expectStartSucceeded(failed), {
      message: "starting daemon 'web' failed, but it should have succeeded:\nport 8080 is busy",
      actual: 'port 8080 is busy',
      diffable: false,
    });
    assert.throws(() => expectStartFailedWith(failed, 'refused', 'refused'), {
      message: `starting daemon 'web' failed, but not with "refused"; the error was:\nport 8080 is busy`,
      actual: 'port 8080 is busy',
      expected: 'refused',
    });
    assert.throws(() => expectStartFailedWith({ ok: true, name: 'web' }, 'busy', 'busy'), {
      message: `starting daemon 'web' succeeded, but it should have failed with "busy"`,
    });
  });
});

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { UnknownDaemonError, UnknownProgramError, formatSeconds } from './errors.js';

describe('unknown names', () => {
  it('list the known names and suggest one within two edits', () => {
    assert.equal(new UnknownDaemonError('wbe', ['web', 'db']).message, "no daemon named 'wbe' in this scope; started: web, db; did you mean 'web'?");
    assert.equal(new UnknownDaemonError('api', ['web', 'db']).message, "no daemon named 'api' in this scope; started: web, db");
    assert.equal(new UnknownProgramError('wokrer', ['worker']).message, "no process named 'wokrer' in this supervisor; added: worker; did you mean 'worker'?");
  });
});

describe('formatSeconds', () => {
  it('shows seconds without trailing zeros, and less than half a millisecond as 0 s (not "0. s")', () => {
    assert.deepEqual([0.2, 1500, 250, 3000, 1234].map(formatSeconds), ['0 s', '1.5 s', '0.25 s', '3 s', '1.23 s']);
  });
});

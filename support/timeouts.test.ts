import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MAX_SECONDS } from '../helpers/seconds.js';
import { STEP_TIMEOUT_MS } from './timeouts.js';

describe('STEP_TIMEOUT_MS', () => {
  it('sits above the longest a step can wait (a restart: a whole grace, then a whole readiness deadline)', () => {
    assert.ok(STEP_TIMEOUT_MS > 2 * MAX_SECONDS * 1000);
  });

  // Node fires a timer set above 2^31 - 1 ms at once: a timeout that large would end every step.
  it('is a delay a timer can hold', () => {
    assert.ok(STEP_TIMEOUT_MS <= 2 ** 31 - 1);
  });
});

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseSeconds } from './seconds.js';

describe('parseSeconds', () => {
  it('reads whole and fractional seconds up to a day', () => {
    assert.equal(parseSeconds('2', 'within'), 2);
    assert.equal(parseSeconds('0.25', 'within'), 0.25);
    assert.equal(parseSeconds('86400', 'for'), 86400);
  });

  it('rejects what is not a number, saying what to write', () => {
    for (const bad of ['', 'soon', '-1', '1e3', '.5', '2s']) {
      assert.throws(() => parseSeconds(bad, 'within'), {
        name: 'InvalidArgumentError',
        message: `within: '${bad}' is not a number: write a number more than 0 and at most 86400 seconds, e.g. 5 or 0.5`,
      });
    }
  });

  // Above about 24.8 days a timer fires at once: an unbounded "for N seconds" would not wait at all.
  it('rejects 0 and anything above a day, quoting the value and the range', () => {
    for (const bad of ['0', '0.0', '86400.5', '99999999']) {
      assert.throws(() => parseSeconds(bad, 'for'), {
        name: 'InvalidArgumentError',
        message: `for: '${bad}' seconds is out of range: write a number more than 0 and at most 86400 seconds, e.g. 5 or 0.5`,
      });
    }
  });
});

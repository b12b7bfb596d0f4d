import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isPortNumber, parsePortNumber } from './port-number.js';

describe('port numbers', () => {
  it('are integers from 1 to 65535', () => {
    assert.deepEqual([1, 8080, 65535].map(isPortNumber), [true, true, true]);
    assert.deepEqual([0, 65536, 80.5, -1, NaN, '8080', null].map(isPortNumber), [false, false, false, false, false, false, false]);
  });

  it('are written in digits only', () => {
    assert.equal(parsePortNumber('8080'), 8080);
    assert.equal(parsePortNumber('065535'), 65535);
    assert.deepEqual(['0', '65536', '', ' 80', '+80', '0x50', '8e3', '80.0'].map(parsePortNumber), Array(8).fill(undefined));
  });
});

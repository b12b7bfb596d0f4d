import assert from 'node:assert/strict';
import { constants } from 'node:os';
import { describe, it } from 'node:test';
import { normalizeSignal } from './signals.js';

const valid = Object.keys(constants.signals).map((name) => name.slice(3)).join(', ');

describe('normalizeSignal', () => {
  it('accepts a standard name with or without SIG, in any case', () => {
    assert.equal(normalizeSignal('SIGHUP'), 'SIGHUP');
    assert.equal(normalizeSignal('HUP'), 'SIGHUP');
    assert.equal(normalizeSignal('usr1'), 'SIGUSR1');
    assert.equal(normalizeSignal(' sigterm '), 'SIGTERM');
  });

  it('rejects an unknown name, suggesting the closest one and listing the valid ones', () => {
    assert.throws(() => normalizeSignal('HUPP'), {
      name: 'InvalidSignalError',
      message: `unknown signal 'HUPP'; did you mean SIGHUP? Valid signals: ${valid} (with or without the SIG prefix)`,
    });
    assert.throws(() => normalizeSignal('SIGTREM'), { message: new RegExp(`^unknown signal 'SIGTREM'; did you mean SIGTERM\\? `) });
  });

  it('names the signal a number stands for, and guesses nothing for a name far from any signal', () => {
    assert.throws(() => normalizeSignal('9'), {
      name: 'InvalidSignalError',
      message: `unknown signal '9'; did you mean SIGKILL (9)? Valid signals: ${valid} (with or without the SIG prefix)`,
    });
    assert.throws(() => normalizeSignal('politely'), {
      name: 'InvalidSignalError',
      message: `unknown signal 'politely'. Valid signals: ${valid} (with or without the SIG prefix)`,
    });
  });
});

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { normalizeSignal } from './signals.js';

const VALID =
  'HUP, INT, QUIT, ILL, TRAP, ABRT, IOT, BUS, FPE, KILL, USR1, SEGV, USR2, PIPE, ALRM, TERM, CHLD, STKFLT, CONT, STOP, TSTP, ' +
  'TTIN, TTOU, URG, XCPU, XFSZ, VTALRM, PROF, WINCH, IO, POLL, PWR, SYS';

describe('normalizeSignal', () => {
  it('accepts SIGHUP, HUP and hup alike', () => {
    assert.equal(normalizeSignal('SIGHUP'), 'SIGHUP');
    assert.equal(normalizeSignal('HUP'), 'SIGHUP');
    assert.equal(normalizeSignal('hup'), 'SIGHUP');
    assert.equal(normalizeSignal(' sigterm '), 'SIGTERM');
    assert.equal(normalizeSignal('USR2'), 'SIGUSR2');
  });

  it('rejects an unknown name, suggesting the closest and listing the valid ones', { skip: process.platform !== 'linux' }, () => {
    assert.throws(() => normalizeSignal('HUPP'), {
      name: 'InvalidSignalError',
      message: `unknown signal 'HUPP'; did you mean SIGHUP? Valid signals: ${VALID} (with or without the SIG prefix)`,
    });
  });

  it('suggests only names a slip of the keyboard away, transpositions included', { skip: process.platform !== 'linux' }, () => {
    const suggestion = (name: string) => {
      try {
        normalizeSignal(name);
      } catch (error) {
        return /did you mean (\w+)\?/.exec((error as Error).message)?.[1];
      }
      return 'accepted';
    };
    assert.equal(suggestion('SIGTREM'), 'SIGTERM');
    assert.equal(suggestion('TEMR'), 'SIGTERM');
    assert.equal(suggestion('kil'), 'SIGKILL');
    assert.equal(suggestion('USR3'), 'SIGUSR1');
    assert.equal(suggestion('NOPE'), undefined);
    assert.equal(suggestion('BOGUS'), undefined);
  });

  it('names the signal a number stands for', { skip: process.platform !== 'linux' }, () => {
    assert.throws(() => normalizeSignal('9'), {
      name: 'InvalidSignalError',
      message: `unknown signal '9'; did you mean SIGKILL (9)? Valid signals: ${VALID} (with or without the SIG prefix)`,
    });
  });

  it('keeps the list readable when no name is close enough to suggest', { skip: process.platform !== 'linux' }, () => {
    assert.throws(() => normalizeSignal('XYZZY'), {
      name: 'InvalidSignalError',
      message: `unknown signal 'XYZZY'; valid signals: ${VALID} (with or without the SIG prefix)`,
    });
  });
});

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { describeExit, recordExit, type SentSignal } from './exit.js';

const stop = { signal: 'SIGTERM' as const, graceMs: 3000 };

describe('recordExit', () => {
  it('the first signal of ours it could have died of decides: a later SIGKILL does not hide a stop obeyed', () => {
    const sent: SentSignal[] = [
      { signal: 'SIGTERM', cause: 'stopped', stop },
      { signal: 'SIGKILL', cause: 'forced', stop },
      { signal: 'SIGKILL', cause: 'killed' },
    ];
    assert.deepEqual(recordExit(null, 'SIGTERM', sent), { code: null, signal: 'SIGTERM', cause: 'stopped', stop });
    assert.deepEqual(recordExit(null, 'SIGKILL', sent), { code: null, signal: 'SIGKILL', cause: 'forced', stop });
  });

  it('an exit with a code is the stop obeyed during a stop, and its own doing otherwise', () => {
    assert.deepEqual(recordExit(0, null, [{ signal: 'SIGTERM', cause: 'stopped', stop }]), { code: 0, signal: null, cause: 'stopped', stop });
    assert.deepEqual(recordExit(0, null, [{ signal: 'SIGKILL', cause: 'killed' }]), { code: 0, signal: null, cause: 'by-itself' });
  });

  it('a signal we never sent is a crash when it is one, and someone else’s otherwise', () => {
    assert.equal(recordExit(null, 'SIGABRT', []).cause, 'by-itself');
    assert.equal(recordExit(null, 'SIGTERM', [{ signal: 'SIGHUP', cause: 'signalled-by-us' }]).cause, 'signalled-by-someone-else');
  });
});

describe('describeExit', () => {
  it('keeps the wording the steps and scenarios compare, and says when a stop was forced', () => {
    assert.equal(describeExit({ code: 3, signal: null, cause: 'by-itself' }), 'exited with code 3');
    assert.equal(describeExit({ code: null, signal: 'SIGTERM', cause: 'stopped', stop }), 'was killed by signal SIGTERM');
    assert.equal(describeExit({ code: null, signal: 'SIGKILL', cause: 'killed' }), 'was killed by signal SIGKILL');
    assert.equal(describeExit({ code: null, signal: 'SIGTERM', cause: 'signalled-by-someone-else' }), 'was killed by signal SIGTERM');
    assert.equal(
      describeExit({ code: null, signal: 'SIGKILL', cause: 'forced', stop }),
      'was killed by signal SIGKILL after the 3 s grace (it did not end on SIGTERM)',
    );
    assert.equal(
      describeExit({ code: null, signal: null, cause: 'unknown' }),
      'has ended (it was not started by this process, so how it ended is unknown)',
    );
  });
});

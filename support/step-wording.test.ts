import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DuplicateDaemonError, PortBusyError, ProgramNotExecutableError } from '../helpers/errors.js';
import { ENGINE_WORDING, sayRemedy, useRemedyWording } from '../helpers/remedies.js';
import { STEP_WORDING } from './step-wording.js';

describe('the remedies of engine errors, in the words of the steps', () => {
  it('are installed by the glue, so a step says which step to write, while the engine alone names its API', () => {
    useRemedyWording(ENGINE_WORDING);
    assert.equal(sayRemedy({ kind: 'wait-for-exit', name: 'web' }), 'wait for it first (waitForExit)');
    useRemedyWording(STEP_WORDING);
    try {
      assert.equal(sayRemedy({ kind: 'wait-for-exit', name: 'web' }), 'wait for it first ("When I wait for background process web to exit")');
      assert.equal(
        new DuplicateDaemonError('web', 'sleep 30', true).message,
        `a daemon named 'web' already exists in this scenario (sleep 30, still running); ` +
          `stop it first ("When I stop background process web"), restart it ("When I restart background process web"), or choose another name`,
      );
      assert.equal(
        new ProgramNotExecutableError('./plain.sh', '/w/plain.sh', { name: 'web', command: './plain.sh' }).message,
        `cannot start daemon 'web' (./plain.sh): ./plain.sh is not executable (/w/plain.sh); ` +
          `make it executable (chmod +x, or create it with "Given a daemon helper shell script plain.sh"), or run it through its interpreter, e.g. "sh ./plain.sh"`,
      );
      assert.match(new PortBusyError(8080, '127.0.0.1', undefined).message, /let daemon-steps choose one with ", on a free port" and \$\{NAME\.port\}$/);
    } finally {
      useRemedyWording(ENGINE_WORDING);
    }
  });

  it('word every remedy the engine has', () => {
    assert.deepEqual(Object.keys(STEP_WORDING).sort(), Object.keys(ENGINE_WORDING).sort());
  });
});

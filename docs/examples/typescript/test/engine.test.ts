// The engine from node:test in TypeScript. `await using` stops the scope's daemons when the
// block ends, whatever happens in it; TypeScript compiles it for Node 20, which has
// Symbol.asyncDispose but not the syntax (Node 24 runs it natively).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DaemonScope, type Daemon, type ExitRecord } from 'daemon-steps/helpers';

test('await using stops every daemon of the scope at the end of the block', async () => {
  let web: Daemon;
  {
    await using scope = new DaemonScope({ label: 'await using example' });
    web = await scope.start({
      name: 'web',
      command: 'python3 -m http.server ${web.port} --bind 127.0.0.1',
      clauses: ', on a free port, waiting for HTTP /',
    });
    assert.equal(web.state, 'RUNNING');
  }
  assert.equal(web.isRunning, false);
  assert.equal(web.state, 'STOPPED');
  const exit: ExitRecord | undefined = web.exit;
  assert.equal(exit?.signal, 'SIGTERM');
  assert.equal(exit?.cause, 'stopped', 'it ended on the SIGTERM of the stop, within the grace');
});

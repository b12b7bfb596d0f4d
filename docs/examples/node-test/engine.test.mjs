// daemon-steps without Cucumber: the engine under node:test. Run with `node --test`.
// The same calls work from vitest or mocha (docs/engine.md).
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { DaemonExitedError, DaemonScope, waitForOutput } from 'daemon-steps/helpers';

const server = fileURLToPath(new URL('greeting-server.mjs', import.meta.url));

// A scope owns a workspace directory and the daemons started in it. One for the whole file,
// disposed of once at the end: every daemon still running is stopped, all at once.
const scope = new DaemonScope({ label: 'engine example' });
after(() => scope.dispose());

test('a server on a free port, ready when it answers HTTP', async () => {
  const web = await scope.start({
    name: 'web',
    command: `node '${server}' \${web.port}`,
    clauses: ', on a free port, waiting for HTTP /health',
  });

  const answer = await fetch(`http://127.0.0.1:${web.port}/greet/node`);
  assert.equal(await answer.text(), 'hello, node\n');
  assert.equal(web.stdout.read().toString(), `listening on ${web.port}\n`);

  web.sendSignal('SIGHUP');
  await waitForOutput(web, 'stdout', Buffer.from('reloading'), 5000);

  const outcome = await web.stop({ graceMs: 3000 });
  assert.equal(outcome.forced, false, 'it ended on SIGTERM, before the grace ran out');
  assert.equal(web.state, 'STOPPED');
  assert.equal(web.isRunning, false);
});

test('a command run to its end, and its exit code', async () => {
  const cli = await scope.run({ name: 'cli', command: `sh -c 'echo counting; exit 3'` });
  assert.deepEqual(cli.exit, { code: 3, signal: null, cause: 'by-itself' });
  assert.equal(cli.stdout.read().toString(), 'counting\n');
});

test('a daemon that dies before it is ready fails at once, with its output', async (t) => {
  // A scope of its own, disposed of when this test ends.
  const own = new DaemonScope({ label: 'crashy example' });
  t.after(() => own.dispose());

  await assert.rejects(
    own.start({ name: 'crashy', command: `sh -c 'echo no config >&2; exit 2'`, clauses: ', on a free port, within 10 seconds' }),
    (error) => {
      assert.ok(error instanceof DaemonExitedError);
      assert.deepEqual(error.exit, { code: 2, signal: null, cause: 'by-itself' });
      assert.match(error.message, /exited with code 2/);
      assert.match(error.output?.stderr?.tail ?? '', /no config/);
      return true;
    },
  );
});

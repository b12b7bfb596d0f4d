// daemon-steps without Cucumber: the engine under node:test. Run with `node --test`.
// The same calls work from vitest or mocha (docs/engine.md).
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { DaemonExitedError, DaemonScope, ReadinessAbortedError, ReadinessTimeoutError, waitFor, waitForOutput } from 'daemon-steps/helpers';

const server = fileURLToPath(new URL('greeting-server.mjs', import.meta.url));

// A scope owns a workspace directory and the daemons started in it. One for the whole file,
// disposed of once at the end: every daemon still running is stopped, all at once.
const scope = new DaemonScope({ label: 'engine example' });
after(() => scope.dispose());

test('a server on a free port, ready when it answers HTTP', async () => {
  const web = await scope.start({
    name: 'web',
    command: ['node', server, '${web.port}'], // argv, no shell; ${web.port} is the port it is given
    port: 'free',
    ready: [waitFor.http('/health'), waitFor.output('listening', 'stdout')], // all must hold
  });

  const answer = await fetch(`http://127.0.0.1:${web.port}/greet/node`);
  assert.equal(await answer.text(), 'hello, node\n');
  assert.equal(web.stdout.read().toString(), `listening on ${web.port}\n`);

  web.sendSignal('SIGHUP');
  await waitForOutput(web, 'stdout', Buffer.from('reloading'), { timeout: 5000 });

  const outcome = await web.stop({ graceMs: 3000 });
  assert.equal(outcome.forced, false, 'it ended on SIGTERM, before the grace ran out');
  assert.equal(web.state, 'STOPPED');
  assert.equal(web.isRunning, false);
});

/**
 * A readiness probe of your own: `check()` says whether it holds yet (false: not yet; a throw: it
 * never will), `describe()` what is awaited, for messages. `create` makes one for each wait, with
 * the daemon it waits for (its port, its pid, its output).
 */
function greets(name, greeting = 'hello') {
  return {
    describe: () => `a greeting for ${name}`,
    create: (daemon) => ({
      describe: () => `GET /greet/${name} on port ${daemon.port} to say "${greeting}, ${name}"`,
      check: async () => {
        const answer = await fetch(`http://127.0.0.1:${daemon.port}/greet/${name}`).catch(() => undefined);
        return answer !== undefined && (await answer.text()) === `${greeting}, ${name}\n`;
      },
    }),
  };
}

test('a probe of your own decides when a daemon is ready, and names itself when it does not hold', async () => {
  const greeter = await scope.start({ name: 'greeter', command: ['node', server, '${greeter.port}'], port: 'free', ready: [greets('probe')] });
  assert.equal(greeter.state, 'RUNNING');
  await waitForOutput(greeter, 'stderr', Buffer.from('GET /greet/probe\n'), { timeout: 5000 }); // the probe asked it

  await assert.rejects(
    scope.start({ name: 'stranger', command: ['node', server, '${stranger.port}'], port: 'free', ready: [greets('nobody', 'bonjour')], timeout: 300 }),
    (error) => {
      assert.ok(error instanceof ReadinessTimeoutError);
      assert.match(error.message, /was not ready within 0\.3 s: waited for .*GET \/greet\/nobody on port \d+ to say "bonjour, nobody"(?: \(last attempt: [^)]*\))?; the process is still running/);
      return true;
    },
  );
});

test('an AbortSignal cancels the wait for readiness', async () => {
  const controller = new AbortController();
  const starting = scope.start({ name: 'patient', command: 'sleep 30', ready: [waitFor.file('never.flag')], signal: controller.signal });
  controller.abort();
  await assert.rejects(starting, ReadinessAbortedError);
});

test('every wait takes { timeout, signal, clock }: an abort ends it at once, saying what it waited for', async () => {
  const insomniac = await scope.start({ name: 'insomniac', command: 'sleep 30' });
  const controller = new AbortController();
  const exiting = insomniac.waitForExit({ timeout: 60_000, signal: controller.signal });
  controller.abort();
  await assert.rejects(exiting, { name: 'ReadinessAbortedError', message: /^the wait for daemon 'insomniac' \(sleep 30\) to exit was aborted after / });

  // sleep never reads its stdin: a write of more than a pipe holds gives up at its timeout.
  await assert.rejects(insomniac.writeStdin(Buffer.alloc(1024 * 1024), { timeout: 200 }), {
    name: 'StdinError',
    message: /^daemon 'insomniac' \(sleep 30\) is not reading its stdin: it took \d+ of 1048576 bytes within 0\.2 s/,
  });
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
    own.start({ name: 'crashy', command: `sh -c 'echo no config >&2; exit 2' crashy \${crashy.port}`, port: 'free', timeout: 10_000 }),
    (error) => {
      assert.ok(error instanceof DaemonExitedError);
      assert.deepEqual(error.exit, { code: 2, signal: null, cause: 'by-itself' });
      assert.match(error.message, /exited with code 2/);
      assert.match(error.output?.stderr?.tail ?? '', /no config/);
      return true;
    },
  );
});

import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { FreePortUnusedError, InvalidArgumentError, ReadinessTimeoutError } from '../errors.js';
import { waitForOutput } from '../output/expect-output.js';
import { DaemonScope } from '../scope.js';
import { FakeClock } from '../supervision/fake-clock.js';
import { suggestPath, waitFor } from './wait-for.js';

const scope = new DaemonScope({ label: 'wait-for test' });
after(() => scope.dispose());

const HTTP_STATUS = (status: number) =>
  ['python3', '-c', `import http.server,sys
class H(http.server.BaseHTTPRequestHandler):
    def do_GET(self): self.send_response(${status}); self.end_headers()
    def log_message(self, *a): pass
http.server.HTTPServer(('127.0.0.1', int(sys.argv[1])), H).serve_forever()`, '${NAME.port}'];

describe('waitFor', () => {
  it('output: a regular expression, on the stream asked for', async () => {
    const daemon = await scope.start({
      name: 'counter',
      command: `sh -c 'echo "warming up" >&2; sleep 0.1; echo "listening on 4711"; exec sleep 30'`,
      ready: [waitFor.output(/listening on \d+/, 'stdout')],
    });
    assert.match(daemon.stdout.read().toString(), /listening on 4711/);
    await assert.rejects(
      scope.start({ name: 'quiet', command: `sh -c 'echo "listening on 4712"; exec sleep 30'`, ready: [waitFor.output(/listening/, 'stderr')], timeout: 200 }),
      (error: Error) => error instanceof ReadinessTimeoutError && error.message.includes('waited for stderr to match /listening/'),
    );
  });

  it('http: the statuses that count, when given', async () => {
    const argv = (name: string, status: number) => HTTP_STATUS(status).map((word) => word.replace('NAME', name));
    await scope.start({ name: 'teapot', command: argv('teapot', 418), port: 'free', ready: [waitFor.http('/', { status: 418 })] });
    await assert.rejects(
      // Long enough for Python to be serving on a loaded machine: the attempt that counts must get its 200.
      scope.start({ name: 'fine', command: argv('fine', 200), port: 'free', ready: [waitFor.http('/', { status: [201, 204] })], timeout: 2000 }),
      (error: Error) => error instanceof ReadinessTimeoutError && /to answer with status 201 or 204 \(last attempt: HTTP 200 OK\)/.test(error.message),
    );
  });

  it('signalHandled: ready once the process catches the signal, not before', async () => {
    const daemon = await scope.start({ name: 'trapper', command: `sh -c 'sleep 0.2; trap "echo got HUP" HUP; while :; do sleep 0.05; done'`, ready: [waitFor.signalHandled('HUP')] });
    daemon.sendSignal('SIGHUP');
    await waitForOutput(daemon, 'stdout', Buffer.from('got HUP\n'), { timeout: 5000 });
    assert.equal(daemon.isRunning, true, 'the SIGHUP found its trap');
    await assert.rejects(
      scope.start({ name: 'deaf', command: 'sleep 30', ready: [waitFor.signalHandled('SIGUSR1')], timeout: 200 }),
      (error: Error) =>
        error instanceof ReadinessTimeoutError &&
        error.message.includes('waited for pid ') &&
        error.message.includes(' to handle SIGUSR1 (last attempt: SIGUSR1 still has its default action: neither caught nor ignored)'),
    );
    assert.throws(() => waitFor.signalHandled('SIGHOP'), /unknown signal 'SIGHOP'; did you mean SIGHUP\?/);
  });

  it('http refuses a URL where a path belongs, suggesting the path', () => {
    assert.throws(() => waitFor.http('http://127.0.0.1:8080/health?deep=1'), {
      name: 'InvalidArgumentError',
      message: "waitFor.http('http://127.0.0.1:8080/health?deep=1'): the path must start with '/', e.g. '/health?deep=1'",
    });
    assert.equal(suggestPath('health'), '/health');
  });

  it('a start refuses, before spawning, conditions that need a port it has not got, and a free port nobody is told of', async () => {
    await assert.rejects(scope.start({ name: 'portless', command: 'sleep 30', ready: [waitFor.http('/health')] }), {
      name: 'InvalidArgumentError',
      message: "cannot start daemon 'portless' (sleep 30): waiting for HTTP /health needs a port; give it one (port: 'free' or a number)",
    });
    await assert.rejects(scope.start({ name: 'untold', command: ['sleep', '30'], port: 'free' }), (error: Error) => {
      assert.ok(error instanceof FreePortUnusedError && error instanceof InvalidArgumentError);
      assert.equal(
        error.message,
        "cannot start daemon 'untold' (sleep 30): it is given a free port, but neither its command nor its environment mentions ${untold.port}, " +
          'so it cannot know which port to listen on; pass ${untold.port} to it (e.g. "--port ${untold.port}" or PORT=${untold.port})',
      );
      return true;
    });
    assert.deepEqual(scope.registry.names().filter((name) => name === 'portless' || name === 'untold'), []);
  });

  it("measures a start's deadline on the scope's clock", async () => {
    const clock = new FakeClock();
    await using onFakeTime = new DaemonScope({ label: 'fake clock', clock });
    const starting = onFakeTime.start({ name: 'patient', command: 'sleep 30', ready: [waitFor.file('never.flag')], timeout: 60_000 }).catch((error: unknown) => error);
    await clock.untilSleeping();
    await clock.advance(60_000);
    const error = await starting;
    assert.ok(error instanceof ReadinessTimeoutError, String(error));
    assert.match(error.message, /^daemon 'patient' \(sleep 30\) was not ready within 60 s: waited for file never\.flag to exist; the process is still running/);
  });
});

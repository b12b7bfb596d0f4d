// The engine from node:test in TypeScript. `await using` stops the scope's daemons when the
// block ends, whatever happens in it; TypeScript compiles it for Node 20, which has
// Symbol.asyncDispose but not the syntax (Node 24 runs it natively).
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { DaemonScope, waitFor, type Daemon, type ExitRecord, type Probe, type ProbeFactory, type ProbeTarget } from 'daemon-steps/helpers';

test('await using stops every daemon of the scope at the end of the block', async () => {
  let web: Daemon;
  {
    await using scope = new DaemonScope({ label: 'await using example' });
    web = await scope.start({
      name: 'web',
      command: ['python3', '-m', 'http.server', '${web.port}', '--bind', '127.0.0.1'],
      port: 'free',
      ready: [waitFor.http('/', { status: 200 })],
      timeout: 10_000,
    });
    assert.equal(web.state, 'RUNNING');
  }
  assert.equal(web.isRunning, false);
  assert.equal(web.state, 'STOPPED');
  const exit: ExitRecord | undefined = web.exit;
  assert.equal(exit?.signal, 'SIGTERM');
  assert.equal(exit?.cause, 'stopped', 'it ended on the SIGTERM of the stop, within the grace');
});

/** A probe of one's own, typed: ready once the daemon has written its pid into a file of the workspace. */
class PidFileNamesIt implements Probe {
  constructor(private readonly file: string, private readonly pid: number | undefined) {}

  describe(): string {
    return `${path.basename(this.file)} to hold pid ${this.pid}`;
  }

  async check(): Promise<boolean> {
    return existsSync(this.file) && readFileSync(this.file, 'utf8').trim() === String(this.pid);
  }
}

const pidFileNamesIt = (file: string): ProbeFactory => ({
  describe: () => `${file} to hold its pid`,
  create: (daemon: ProbeTarget) => new PidFileNamesIt(path.join(daemon.workspace, file), daemon.pid),
});

test('a typed probe of your own', async () => {
  await using scope = new DaemonScope({ label: 'typed probe example' });
  const writer = await scope.start({ name: 'writer', command: `sh -c 'sleep 0.1; echo $$ > app.pid; exec sleep 30'`, ready: [pidFileNamesIt('app.pid')] });
  assert.equal(writer.state, 'RUNNING');
});

import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { resolveConfig } from '../config.js';
import { thisRun } from '../containment/marker.js';
import { tryReservePort } from '../ports/ports.js';
import { isAlive, processesWithMarker } from '../containment/proc.js';
import { parseServicesFile } from './services-file.js';
import { ServicesRun, type ServicesProgress } from './services-run.js';
import { removeRunDirectoryIfEmpty, runDirectory } from '../workspace/workspace.js';

// A failed start keeps its directory only when asked to: these tests leave nothing behind.
const config = resolveConfig({ stopGrace: 0.5, startTimeout: 5, keepWorkspace: 'never' }, {});
const directory = mkdtempSync(path.join(os.tmpdir(), 'services-run-test-'));
after(() => {
  rmSync(directory, { recursive: true, force: true });
  // Kept directories are removed by the tests that read them; the run's own goes once it is empty.
  removeRunDirectoryIfEmpty();
  assert.deepEqual(
    processesWithMarker((marker) => marker.startsWith(`${thisRun.runId}:services`)).map((p) => p.pid),
    [],
    'a service outlived the tests',
  );
});

function servicesFile(services: Record<string, unknown>) {
  return parseServicesFile(JSON.stringify({ services }), 'services.json', path.join(directory, 'services.json'));
}

/**
 * A service that listens on its port and answers each connection with an environment variable's
 * value. (A readiness probe connects and hangs up at once: the server must not die of that.)
 */
const SERVER = `node -e "require('net').createServer((c) => { c.on('error', () => {}); c.end(process.env.ANSWER + '\\\\n'); }).listen(+process.argv[1], '127.0.0.1', () => console.log('listening'))"`;

function ask(port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ port, host: '127.0.0.1' });
    let answer = '';
    socket.on('data', (chunk) => (answer += chunk));
    socket.on('end', () => resolve(answer));
    socket.on('error', reject);
  });
}

describe('ServicesRun', () => {
  it('starts dependencies first, tells each its dependencies\' ports, describes them in a settings file, and stops them all', async () => {
    const events: ServicesProgress[] = [];
    const file = servicesFile({
      web: { command: `${SERVER} \${web.port}`, port: 'free', environment: { ANSWER: 'db is on ${db.port}' }, ready: 'waiting for stdout to contain "listening"', dependencies: ['db'] },
      db: { command: `${SERVER} \${db.port}`, port: 'free', environment: { ANSWER: 'db here' } },
    });
    const run = await ServicesRun.start(file, { config, onProgress: (event) => events.push(event) });
    try {
      await checkRun(run, events);
    } finally {
      await run.stop();
    }
  });

  async function checkRun(run: ServicesRun, events: ServicesProgress[]): Promise<void> {
    const db = run.get('db');
    const web = run.get('web');
    assert.equal(await ask(web.port!), `db is on ${db.port}\n`);
    assert.equal(await ask(db.port!), 'db here\n');
    assert.deepEqual(
      events.map((e) => `${e.kind} ${'name' in e ? e.name : ''}`),
      ['starting db', 'ready db', 'starting web', 'ready web'],
    );

    const settings = JSON.parse(readFileSync(run.settingsFile, 'utf8'));
    assert.equal(run.settingsFile, path.join(run.scope.workspace, 'settings.json'));
    assert.deepEqual(settings.control, { pid: process.pid, startTime: thisRun.startTime, runId: thisRun.runId });
    assert.equal(settings.file, path.join(directory, 'services.json'));
    assert.equal(settings.services.web.port, web.port);
    assert.equal(settings.services.web.pid, web.pid);
    assert.equal(settings.services.web.directory, directory);
    assert.equal(settings.services.web.stdout, web.stdout.path);
    assert.deepEqual(run.variables(), [
      ['DAEMON_STEPS_DB_PORT', String(db.port)],
      ['DAEMON_STEPS_DB_PID', String(db.pid)],
      ['DAEMON_STEPS_WEB_PORT', String(web.port)],
      ['DAEMON_STEPS_WEB_PID', String(web.pid)],
      ['DAEMON_STEPS_CONTROL_PID', String(process.pid)],
      ['DAEMON_STEPS_SETTINGS', run.settingsFile],
    ]);

    const pids = [db.pid!, web.pid!];
    assert.deepEqual(await run.stop(), {});
    assert.deepEqual(pids.filter((pid) => isAlive(pid)), []);
    assert.equal(existsSync(run.settingsFile), false);
    assert.equal(existsSync(run.scope.workspace), false);
    assert.deepEqual(events.slice(4).map((e) => e.kind), ['stopping', 'stopped']);
  }

  it('stops what started when a service fails, says which and why, and does not start what depends on it', async () => {
    const events: ServicesProgress[] = [];
    const file = servicesFile({
      db: { command: `${SERVER} \${db.port}`, port: 'free' },
      broken: { command: "sh -c 'echo no config >&2; exit 3'", ready: 'waiting for stdout to contain "ready"', dependencies: ['db'] },
      web: { command: 'sleep 30', dependencies: ['broken'] },
    });
    const error = await ServicesRun.start(file, { config: { ...config, keepWorkspace: 'on-failure' }, onProgress: (event) => events.push(event) }).then(
      () => assert.fail('the services started'),
      (rejected: Error & { headline: string }) => rejected,
    );
    assert.equal(error.name, 'ServiceStartError');
    assert.match(
      error.headline,
      /^service 'broken' of services\.json did not start: daemon 'broken' \(sh -c 'echo no config >&2; exit 3'\) exited with code 3 after [\d.]+ s, before it was ready: it was waiting for stdout to contain "ready"$/,
    );
    assert.match(error.message, /last lines of stderr \(.*broken\.stderr\):\n {2}\| no config\n/);
    // Its output is kept where the message says, to be read.
    const stderrFile = /last lines of stderr \((.*broken\.stderr)\)/.exec(error.message)![1]!;
    assert.equal(readFileSync(stderrFile, 'utf8'), 'no config\n');
    rmSync(path.dirname(stderrFile), { recursive: true });
    const ready = events.find((e): e is Extract<ServicesProgress, { kind: 'ready' }> => e.kind === 'ready')!;
    assert.equal(ready.name, 'db');
    assert.equal(isAlive(ready.pid), false, 'db was stopped');
    assert.deepEqual(
      events.map((e) => `${e.kind} ${'name' in e ? e.name : ''}`),
      ['starting db', 'ready db', 'starting broken', 'failed broken', 'not started web'],
    );
    assert.deepEqual(events.at(-1), { kind: 'not started', name: 'web', because: 'its dependency broken did not start' });
  });

  it('stops what started when it is interrupted, and rejects with the reason', async () => {
    const interrupt = new AbortController();
    const file = servicesFile({
      quick: { command: 'sleep 30' },
      slow: { command: 'sleep 30', ready: 'waiting for stdout to contain "never", within 30 seconds' },
    });
    const starting = ServicesRun.start(file, {
      config,
      signal: interrupt.signal,
      onProgress: (event) => {
        if (event.kind === 'starting' && event.name === 'slow') setTimeout(() => interrupt.abort('SIGINT'), 50);
      },
    });
    const started = performance.now();
    await assert.rejects(starting, (reason) => reason === 'SIGINT');
    assert.ok(performance.now() - started < 5000, 'the slow readiness wait was cut short');
    assert.deepEqual(processesWithMarker((marker) => marker.startsWith(`${thisRun.runId}:services`)), []);
  });

  it('says which fixed port is taken, and by whom, and suggests a free one', async () => {
    const holder = net.createServer().listen(0, '127.0.0.1');
    await new Promise((resolve) => holder.once('listening', resolve));
    const busy = (holder.address() as net.AddressInfo).port;
    const file = servicesFile({ web: { command: 'sleep 30', port: busy } });
    const before = existsSync(runDirectory) ? readdirSync(runDirectory).length : 0;
    await assert.rejects(ServicesRun.start(file, { config: { ...config, keepWorkspace: 'on-failure' } }), {
      name: 'ServiceStartError',
      message: new RegExp(
        `^service 'web' of services\\.json did not start: port ${busy} on 127\\.0\\.0\\.1 is already in use by pid ${process.pid} \\(.*\\); ` +
          `stop whatever holds it, or set "port": "free" \\(and use \\$\\{web\\.port\\}\\)$`,
      ),
    });
    holder.close();
    assert.equal(existsSync(runDirectory) ? readdirSync(runDirectory).length : 0, before, 'nothing ran, so there is nothing to keep');

    const release = tryReservePort(busy, 'another scenario')!;
    await assert.rejects(ServicesRun.start(file, { config }), {
      message: `service 'web' of services.json did not start: port ${busy} is reserved by another scope of this run; stop that, or set "port": "free" (and use \${web.port})`,
    });
    release();
  });

  it('reports a service that ends by itself while it runs, and keeps its output when it stops', async () => {
    const events: ServicesProgress[] = [];
    const marker = path.join(directory, 'go');
    const file = servicesFile({
      steady: { command: 'sleep 30' },
      fragile: { command: `sh -c 'echo up; while [ ! -e ${marker} ]; do sleep 0.01; done; echo going >&2; exit 4'`, ready: 'waiting for stdout to contain "up"' },
    });
    const run = await ServicesRun.start(file, { config: { ...config, keepWorkspace: 'on-failure' }, onProgress: (event) => events.push(event) });
    after(() => run.stop());
    const exited = new Promise<ServicesProgress>((resolve) => {
      const check = setInterval(() => {
        const found = events.find((e) => e.kind === 'exited');
        if (found) {
          clearInterval(check);
          resolve(found);
        }
      }, 5);
    });
    writeFileSync(marker, '');
    const event = (await exited) as Extract<ServicesProgress, { kind: 'exited' }>;
    assert.equal(event.name, 'fragile');
    assert.deepEqual(event.exit, { code: 4, signal: null, cause: 'by-itself' });
    assert.equal(event.output.stderr?.tail, 'going\n');
    assert.deepEqual(run.diedUnexpectedly, ['fragile']);
    assert.equal(run.get('steady').isRunning, true);
    const { keptDirectory } = await run.stop();
    assert.equal(keptDirectory, run.scope.workspace);
    assert.equal(readFileSync(path.join(keptDirectory!, 'fragile.stderr'), 'utf8'), 'going\n');
    assert.equal(existsSync(run.settingsFile), false);
    rmSync(keptDirectory!, { recursive: true });
  });
});

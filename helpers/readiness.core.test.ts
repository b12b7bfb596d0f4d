import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Clock } from './clock.js';
import type { ExitRecord } from './exit.js';
import { OutputSpool } from './output.js';
import { FileProbe, HttpProbe, OutputProbe, PortProbe, waitUntilReady, type Probe } from './readiness.js';

/**
 * A clock on which a sleep passes at the next turn of the event loop, advancing time by what was
 * asked — unless it was aborted first, as a real timer would have been.
 */
function instantClock(): Clock {
  let now = 0;
  return {
    now: () => now,
    sleep: (ms, signal) =>
      new Promise<void>((resolve, reject) =>
        setImmediate(() => {
          if (signal?.aborted) return reject(signal.reason);
          now += ms;
          resolve();
        }),
      ),
  };
}

const stillRunning = new Promise<ExitRecord>(() => undefined);

function neverReady(): Probe {
  return { polled: true, describe: () => 'something that never happens', check: async () => false };
}

function listen(server: net.Server): Promise<number> {
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as net.AddressInfo).port)));
}

function close(server: net.Server): Promise<void> {
  return new Promise((resolve) => server.close(() => resolve()));
}

describe('PortProbe', () => {
  it('is ready once something listens, and says "ConnectionRefusedError" while nothing does', async () => {
    const server = net.createServer((socket) => socket.destroy());
    const port = await listen(server);
    const probe = new PortProbe('127.0.0.1', port);
    assert.equal(probe.describe(), `port ${port} on 127.0.0.1 to accept a connection`);
    assert.equal(await probe.check(), true);
    await close(server);
    assert.equal(await probe.check(), false);
    assert.equal(probe.lastFailure(), `ConnectionRefusedError: connect ECONNREFUSED 127.0.0.1:${port}`);
  });
});

describe('HttpProbe', () => {
  let server: http.Server;
  let port: number;
  before(async () => {
    server = http.createServer((request, response) => {
      const status = request.url === '/health' ? 200 : request.url === '/down' ? 503 : 404;
      response.writeHead(status).end();
    });
    port = await listen(server);
  });
  after(() => close(server));

  it('counts any status below 500 as ready, 404 included', async () => {
    assert.equal(await new HttpProbe('127.0.0.1', port, '/health').check(), true);
    assert.equal(await new HttpProbe('127.0.0.1', port, '/missing').check(), true);
  });

  it('does not count 503, and says what it got', async () => {
    const probe = new HttpProbe('127.0.0.1', port, '/down');
    assert.equal(probe.describe(), `GET http://127.0.0.1:${port}/down to answer with a status below 500`);
    assert.equal(await probe.check(), false);
    assert.equal(probe.lastFailure(), 'HTTP 503 Service Unavailable');
  });
});

describe('FileProbe', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'readiness-test-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('is ready once the file exists, and names it as the scenario wrote it', async () => {
    const probe = new FileProbe(path.join(dir, 'app.pid'), 'app.pid');
    assert.equal(probe.describe(), 'file app.pid to exist');
    assert.equal(await probe.check(), false);
    writeFileSync(path.join(dir, 'app.pid'), '123\n');
    assert.equal(await probe.check(), true);
  });
});

describe('waitUntilReady', () => {
  it('is ready at once without probes, and as soon as every probe holds', async () => {
    assert.deepEqual(await waitUntilReady({ probes: [], timeoutMs: 1000, exited: stillRunning, clock: instantClock() }), { ready: true, elapsedMs: 0 });
    let checks = 0;
    const third: Probe = { polled: true, describe: () => 'third check', check: async () => ++checks >= 3 };
    const result = await waitUntilReady({ probes: [third], timeoutMs: 1000, exited: stillRunning, clock: instantClock() });
    assert.equal(result.ready, true);
    assert.equal(checks, 3);
  });

  it('times out at the deadline with what is still pending', async () => {
    const clock = instantClock();
    const probe = neverReady();
    const result = await waitUntilReady({ probes: [probe], timeoutMs: 1000, exited: stillRunning, clock });
    assert.deepEqual(result, { ready: false, reason: 'timeout', elapsedMs: 1000, pending: [probe] });
  });

  it('keeps its deadline while a check hangs', { timeout: 5000 }, async () => {
    const hanging: Probe = { polled: true, describe: () => 'a server that never answers', check: () => new Promise<boolean>(() => undefined) };
    const result = await waitUntilReady({ probes: [hanging], timeoutMs: 1000, exited: stillRunning, clock: instantClock() });
    assert.deepEqual(result, { ready: false, reason: 'timeout', elapsedMs: 1000, pending: [hanging] });
  });

  it('times out on the real clock too', async () => {
    const result = await waitUntilReady({ probes: [neverReady()], timeoutMs: 50, exited: stillRunning });
    assert.equal(result.ready, false);
    assert.equal(result.ready === false && result.reason, 'timeout');
  });

  it('fails at once when the daemon exits, long before the deadline', { timeout: 5000 }, async () => {
    let exit!: (record: ExitRecord) => void;
    const exited = new Promise<ExitRecord>((resolve) => (exit = resolve));
    const waiting = waitUntilReady({ probes: [neverReady()], timeoutMs: 3_600_000, exited });
    exit({ code: 3, signal: null });
    const result = await waiting;
    assert.equal(result.ready, false);
    assert.equal(result.ready === false && result.reason, 'exited');
    assert.deepEqual(result.ready === false && result.reason === 'exited' && result.exit, { code: 3, signal: null });
  });

  it('still looks once more after an exit, so a daemon that became ready and exited counts as ready', async () => {
    let ready = false;
    const probe: Probe = { polled: true, describe: () => 'flag', check: async () => ready };
    const exited = Promise.resolve<ExitRecord>({ code: 0, signal: null }).then((record) => {
      ready = true;
      return record;
    });
    const result = await waitUntilReady({ probes: [probe], timeoutMs: 3_600_000, exited });
    assert.equal(result.ready, true);
  });

  it('stops when aborted', { timeout: 5000 }, async () => {
    const controller = new AbortController();
    const waiting = waitUntilReady({ probes: [neverReady()], timeoutMs: 3_600_000, exited: stillRunning, signal: controller.signal });
    controller.abort();
    const result = await waiting;
    assert.equal(result.ready === false && result.reason, 'aborted');
  });

  describe('with output probes', () => {
    let dir: string;
    before(() => {
      dir = mkdtempSync(path.join(os.tmpdir(), 'readiness-output-test-'));
    });
    after(() => rmSync(dir, { recursive: true, force: true }));

    it('is woken by the output itself, not by polling', { timeout: 5000 }, async () => {
      const spool = new OutputSpool(path.join(dir, 'web.stdout'));
      spool.append(Buffer.from('booting\nrea'));
      const probe = new OutputProbe('stdout', Buffer.from('ready\n'), [{ spool, from: 0 }]);
      assert.equal(probe.describe(), 'stdout to contain "ready\\n"');
      // Without polling, only the probe's own wake-up can end this wait before its hour is up.
      const waiting = waitUntilReady({ probes: [probe], timeoutMs: 3_600_000, exited: stillRunning });
      setImmediate(() => spool.append(Buffer.from('dy\n')));
      assert.equal((await waiting).ready, true);
      spool.close();
    });

    it('watches several streams for either', { timeout: 5000 }, async () => {
      const stdout = new OutputSpool(path.join(dir, 'db.stdout'));
      const stderr = new OutputSpool(path.join(dir, 'db.stderr'));
      const probe = new OutputProbe('output', Buffer.from('up'), [
        { spool: stdout, from: 0 },
        { spool: stderr, from: 0 },
      ]);
      const waiting = waitUntilReady({ probes: [probe], timeoutMs: 3_600_000, exited: stillRunning });
      setImmediate(() => stderr.append(Buffer.from('up\n')));
      assert.equal((await waiting).ready, true);
      stdout.close();
      stderr.close();
    });
  });
});

import { startWithClauses } from '../../support/clause-options.js';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { realClock, type Clock } from '../supervision/clock.js';
import { resolveConfig } from '../config.js';
import { DaemonExitedError, ReadinessTimeoutError } from '../errors.js';
import type { ExitRecord } from '../process/exit.js';
import { FakeClock } from '../supervision/fake-clock.js';
import { findProcesses } from '../containment/process-table.js';
import { OutputSpool } from '../output/output.js';
import { FileProbe, HttpProbe, LAST_LOOK_MS, NUDGE, OutputProbe, PortProbe, pollIntervalMs, waitUntilReady, type Probe } from './index.js';
import { DaemonScope } from '../scope.js';
import { HostResolutionError, resolveHost, tryConnect } from './tcp.js';
import { removeRunDirectoryIfEmpty } from '../workspace/workspace.js';

/** Lets the promise chains that are ready run, without moving the clock. */
const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

/** A probe that records when it was checked and holds after `readyAfter` checks (never, by default). */
function countingProbe(clock: Clock, options: { polled?: boolean; readyAfter?: number; hang?: boolean } = {}) {
  const checkedAt: number[] = [];
  const probe: Probe = {
    polled: options.polled ?? true,
    describe: () => 'the test condition',
    check: () => {
      checkedAt.push(clock.now());
      if (options.hang) return new Promise<boolean>(() => undefined);
      return Promise.resolve(checkedAt.length >= (options.readyAfter ?? Infinity));
    },
  };
  return { probe, checkedAt };
}

/** A wait for a probe that never holds, which the test nudges (as output would) and aborts. */
function nudgedWait(clock: Clock) {
  const { probe, checkedAt } = countingProbe(clock);
  let wake: () => void = () => undefined;
  const controller = new AbortController();
  const waiting = waitUntilReady({ probes: [probe], timeoutMs: 60_000, exited: never, nudges: (w) => ((wake = w), () => undefined), signal: controller.signal, clock });
  return { checkedAt, nudge: () => wake(), abort: () => controller.abort(), waiting };
}

function exitSource() {
  let end!: (record: ExitRecord) => void;
  const exited = new Promise<ExitRecord>((resolve) => (end = resolve));
  return { exited, end };
}

const never = new Promise<ExitRecord>(() => undefined);

describe('waitUntilReady', () => {
  it('checks at once: a condition that already holds, or none at all, costs no sleep', async () => {
    const clock = new FakeClock();
    assert.deepEqual(await waitUntilReady({ probes: [], timeoutMs: 5000, exited: never, clock }), { ready: true, elapsedMs: 0 });
    const { probe, checkedAt } = countingProbe(clock, { readyAfter: 1 });
    const result = await waitUntilReady({ probes: [probe], timeoutMs: 5000, exited: never, clock });
    assert.deepEqual(result, { ready: true, elapsedMs: 0 });
    assert.deepEqual(checkedAt, [0]);
  });

  it('polls 1 ms apart for the first 10 ms, 2 ms up to 250 ms, then a sixteenth of the time waited, up to every 50 ms', async () => {
    const clock = new FakeClock();
    const { probe, checkedAt } = countingProbe(clock);
    const waiting = waitUntilReady({ probes: [probe], timeoutMs: 2000, exited: never, clock });
    await clock.advance(2000);
    await waiting;
    const gaps = checkedAt.slice(1).map((t, i) => ({ at: checkedAt[i]!, gap: t - checkedAt[i]! }));
    const gapsBetween = (from: number, to: number) => [...new Set(gaps.filter((g) => g.at >= from && g.at < to && g.at + g.gap < 2000).map((g) => g.gap))];
    assert.deepEqual(gapsBetween(0, 10), [1]);
    assert.deepEqual(gapsBetween(10, 250), [2]);
    const growing = gaps.filter((g) => g.at >= 250 && g.at < 800);
    assert.ok(growing.length > 5, `${growing.length} checks between 250 and 800 ms`);
    for (const { at, gap } of growing) assert.equal(gap, Math.floor(at / 16), `the check after the one at ${at} ms`);
    assert.deepEqual(gapsBetween(800, 2000), [50]);
    assert.ok(checkedAt.length < 180, `${checkedAt.length} checks in 2 s`);
  });

  it('ends at once when the daemon exits, with no timer needed: the deadline is an hour away', async () => {
    const clock = new FakeClock();
    const { probe } = countingProbe(clock);
    const { exited, end } = exitSource();
    const waiting = waitUntilReady({ probes: [probe], timeoutMs: 3_600_000, exited, clock });
    await clock.advance(7);
    end({ code: 3, signal: null, cause: 'by-itself' });
    const result = await waiting;
    assert.equal(result.ready, false);
    assert.equal(result.ready === false && result.reason, 'exited');
    assert.deepEqual(result.ready === false && result.reason === 'exited' && result.exit, { code: 3, signal: null, cause: 'by-itself' });
    assert.equal(clock.now(), 7);
  });

  it('does not let a check that hangs hold up the news of an exit for longer than the last look', async () => {
    const clock = new FakeClock();
    const { probe } = countingProbe(clock, { hang: true });
    const { exited, end } = exitSource();
    const waiting = waitUntilReady({ probes: [probe], timeoutMs: 3_600_000, exited, clock });
    await settle();
    end({ code: null, signal: 'SIGKILL', cause: 'by-itself' });
    await clock.advance(LAST_LOOK_MS);
    const result = await waiting;
    assert.equal(result.ready === false && result.reason, 'exited');
    assert.equal(result.elapsedMs, LAST_LOOK_MS);
  });

  it('after an exit, waits for a final check however long it takes: the last words of a daemon count even when found late', async () => {
    const clock = new FakeClock();
    const probe: Probe = {
      polled: false,
      describe: () => 'the last words',
      check: async () => false,
      finalCheck: () => clock.sleep(LAST_LOOK_MS * 5).then(() => true),
    };
    const { exited, end } = exitSource();
    const waiting = waitUntilReady({ probes: [probe], timeoutMs: 3_600_000, exited, clock });
    await settle();
    end({ code: 0, signal: null, cause: 'by-itself' });
    await clock.advance(LAST_LOOK_MS * 5);
    assert.deepEqual(await waiting, { ready: true, elapsedMs: LAST_LOOK_MS * 5 });
  });

  it('keeps its deadline while a check hangs', async () => {
    const clock = new FakeClock();
    const { probe } = countingProbe(clock, { hang: true });
    const waiting = waitUntilReady({ probes: [probe], timeoutMs: 100, exited: never, clock });
    await clock.advance(100);
    const result = await waiting;
    assert.equal(result.ready === false && result.reason, 'timeout');
    assert.equal(result.elapsedMs, 100);
  });

  it('blames only the probes that did not hold when a check that hangs runs into the deadline', async () => {
    const clock = new FakeClock();
    const { probe: hanging } = countingProbe(clock, { hang: true });
    const { probe: quick } = countingProbe(clock, { readyAfter: 1 });
    let seen = false;
    const event: Probe = { polled: false, describe: () => 'the event', check: async () => seen };
    const waiting = waitUntilReady({ probes: [hanging, quick, event], timeoutMs: 100, exited: never, clock });
    await settle();
    seen = true; // while the hanging check holds the round up
    await clock.advance(100);
    const result = await waiting;
    assert.equal(result.ready === false && result.reason, 'timeout');
    assert.deepEqual(result.ready === false && result.pending, [hanging]);
  });

  it('takes a last look after the exit, once `afterExit` has let the last output in', async () => {
    const clock = new FakeClock();
    let printed = false;
    const probe: Probe = { polled: false, describe: () => 'stdout to contain "ready"', check: async () => printed };
    const { exited, end } = exitSource();
    const waiting = waitUntilReady({
      probes: [probe],
      timeoutMs: 5000,
      exited,
      afterExit: async () => {
        printed = true;
      },
      clock,
    });
    await settle();
    end({ code: 0, signal: null, cause: 'by-itself' });
    assert.equal((await waiting).ready, true);
  });

  it('times out at the deadline after a last check, naming what is still pending', async () => {
    const clock = new FakeClock();
    const { probe, checkedAt } = countingProbe(clock);
    const waiting = waitUntilReady({ probes: [probe], timeoutMs: 100, exited: never, clock });
    await clock.advance(100);
    const result = await waiting;
    assert.deepEqual(result, { ready: false, reason: 'timeout', elapsedMs: 100, pending: [probe] });
    assert.equal(checkedAt.at(-1), 100);
  });

  it('times out on the real clock too', async () => {
    const { probe } = countingProbe(realClock);
    const result = await waitUntilReady({ probes: [probe], timeoutMs: 50, exited: never });
    assert.equal(result.ready === false && result.reason, 'timeout');
  });

  it('needs every probe to hold', async () => {
    const clock = new FakeClock();
    const first = countingProbe(clock, { readyAfter: 1 });
    const second = countingProbe(clock, { readyAfter: 3 });
    const waiting = waitUntilReady({ probes: [first.probe, second.probe], timeoutMs: 1000, exited: never, clock });
    await clock.advance(1);
    await settle();
    assert.equal(second.checkedAt.length, 2);
    await clock.advance(10);
    assert.equal((await waiting).ready, true);
    assert.equal(first.checkedAt.length, 1, 'a probe that holds is not checked again');
  });

  it('waits on events alone when no probe is polled: nothing is checked until something happens', async () => {
    const clock = new FakeClock();
    let wake: () => void = () => undefined;
    let seen = false;
    let checks = 0;
    const probe: Probe = {
      polled: false,
      describe: () => 'stdout to contain "up"',
      check: async () => {
        checks += 1;
        return seen;
      },
      watch: (w) => {
        wake = w;
        return () => undefined;
      },
    };
    const waiting = waitUntilReady({ probes: [probe], timeoutMs: 60_000, exited: never, clock });
    await clock.advance(30_000);
    assert.equal(checks, 1);
    seen = true;
    wake();
    assert.equal((await waiting).ready, true);
    assert.equal(checks, 2);
  });

  it('lets output after a quiet spell bring the next check forward', async () => {
    const clock = new FakeClock();
    const { checkedAt, nudge, abort, waiting } = nudgedWait(clock);
    await clock.advance(100);
    const lastCheck = checkedAt.at(-1)!;
    assert.equal(clock.now(), lastCheck, 'just checked; the next regular check is 2 ms away');
    nudge();
    await clock.advance(NUDGE.minGapMs);
    assert.equal(checkedAt.at(-1), lastCheck + NUDGE.minGapMs);
    abort();
    await waiting;
  });

  it('does not let a chatty daemon make it check more often than a silent one', async () => {
    const clock = new FakeClock();
    const { checkedAt, nudge, abort, waiting } = nudgedWait(clock);
    await clock.advance(100);
    const before = checkedAt.length;
    // 100 ms of a daemon printing 10 chunks every 0.1 ms.
    for (let step = 0; step < 1000; step++) {
      for (let chunk = 0; chunk < 10; chunk++) nudge();
      await clock.advance(0.1);
    }
    const during = checkedAt.length - before;
    assert.ok(during <= 100 / pollIntervalMs(100) + 2, `${during} checks in 100 ms`);
    abort();
    const result = await waiting;
    assert.equal(result.ready === false && result.reason, 'aborted');
  });

  it('gives up at once when a probe says it never can hold', async () => {
    const clock = new FakeClock();
    const broken: Probe = {
      polled: true,
      describe: () => 'port 1 on nowhere to accept a connection',
      check: () => Promise.reject(new Error('cannot resolve')),
    };
    const result = await waitUntilReady({ probes: [broken], timeoutMs: 5000, exited: never, clock });
    assert.equal(result.ready === false && result.reason, 'hopeless');
    assert.equal(result.ready === false && result.reason === 'hopeless' && (result.error as Error).message, 'cannot resolve');
  });

  it('ends when aborted', async () => {
    const clock = new FakeClock();
    const { probe } = countingProbe(clock);
    const controller = new AbortController();
    const waiting = waitUntilReady({ probes: [probe], timeoutMs: 5000, exited: never, signal: controller.signal, clock });
    await clock.advance(3);
    controller.abort();
    assert.equal(((await waiting) as { reason: string }).reason, 'aborted');
  });
});

/** A TCP server on an address, for as long as the test needs it. */
async function listen(host: string, handler?: http.RequestListener): Promise<{ port: number; close: () => Promise<void> }> {
  const server = handler ? http.createServer(handler) : net.createServer((socket) => socket.destroy());
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host, port: 0 }, resolve);
  });
  const port = (server.address() as net.AddressInfo).port;
  return { port, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

describe('PortProbe', () => {
  it('says "not yet" with ConnectionRefusedError while nothing listens, and holds once something does', async () => {
    const server = await listen('127.0.0.1');
    const probe = new PortProbe('127.0.0.1', server.port);
    assert.equal(await probe.check(), true);
    await server.close();
    assert.equal(await probe.check(), false);
    assert.equal(probe.lastFailure(), `ConnectionRefusedError: connect ECONNREFUSED 127.0.0.1:${server.port}`);
  });

  it('probes exactly the address named: ::1 is seen on ::1, and not on 127.0.0.1', async () => {
    const server = await listen('::1');
    try {
      assert.equal(await new PortProbe('::1', server.port).check(), true);
      const ipv4 = new PortProbe('127.0.0.1', server.port);
      assert.equal(await ipv4.check(), false);
      assert.equal(ipv4.lastFailure(), `ConnectionRefusedError: connect ECONNREFUSED 127.0.0.1:${server.port}`);
    } finally {
      await server.close();
    }
  });

  it('takes a name that resolves to ::1 and 127.0.0.1 (as localhost often does) as open when either listens', async () => {
    const bothFamilies = async (host: string) => (host === 'localhost' ? ['::1', '127.0.0.1'] : [host]);
    for (const address of ['127.0.0.1', '::1']) {
      const server = await listen(address);
      try {
        assert.equal(await new PortProbe('localhost', server.port, bothFamilies).check(), true, `listening on ${address}`);
      } finally {
        await server.close();
      }
      const closed = new PortProbe('localhost', server.port, bothFamilies);
      assert.equal(await closed.check(), false);
      assert.equal(
        closed.lastFailure(),
        `ConnectionRefusedError: connect ECONNREFUSED ::1:${server.port}; ConnectionRefusedError: connect ECONNREFUSED 127.0.0.1:${server.port}`,
      );
    }
  });

  it('counts a connection attempt nobody answers as "not yet" once its time is up', { timeout: 30_000 }, async () => {
    // A listener with a full backlog that never accepts: the kernel drops further connection attempts.
    const listener = spawn('python3', ['-c', 'import socket,sys,time\ns=socket.socket()\ns.bind(("127.0.0.1",0))\ns.listen(0)\nprint(s.getsockname()[1],flush=True)\ntime.sleep(60)'], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    try {
      const [line] = (await once(listener.stdout!, 'data')) as [Buffer];
      const port = Number(line.toString());
      const outcomes = [];
      for (let attempt = 0; attempt < 3; attempt++) outcomes.push(await tryConnect('127.0.0.1', port, 200));
      assert.deepEqual(outcomes.at(-1), { connected: false, address: '127.0.0.1', failure: `TimeoutError: no answer from 127.0.0.1:${port} within 0.2 s` });
    } finally {
      const exited = once(listener, 'exit');
      listener.kill();
      await exited;
    }
  });

  it('hints, once the wait has failed, at a listener on the other loopback family of the same port', async () => {
    for (const [listening, asked] of [
      ['::1', '127.0.0.1'],
      ['127.0.0.1', '::1'],
    ] as const) {
      const server = await listen(listening);
      try {
        const probe = new PortProbe(asked, server.port);
        assert.equal(await probe.check(), false);
        assert.equal(
          await probe.hint(),
          listening === '::1'
            ? `[::1]:${server.port} accepts connections, though: the daemon listens on IPv6 only; make it listen on 127.0.0.1 too, or set the host to ::1 (DAEMON_STEPS_HOST or worldParameters.daemonSteps.host)`
            : `127.0.0.1:${server.port} accepts connections, though: the daemon listens on IPv4 only; make it listen on ::1 too, or set the host to 127.0.0.1 (DAEMON_STEPS_HOST or worldParameters.daemonSteps.host)`,
        );
      } finally {
        await server.close();
      }
      const nobody = new PortProbe(asked, server.port);
      assert.equal(await nobody.check(), false);
      assert.equal(await nobody.hint(), undefined, 'no hint when neither family listens');
    }
  });

  it('describes itself with the host as configured', () => {
    assert.equal(new PortProbe('localhost', 8080).describe(), 'port 8080 on localhost to accept a connection');
  });
});

describe('resolveHost', () => {
  it('takes an address for itself, IPv6 with or without brackets', async () => {
    assert.deepEqual(await resolveHost('127.0.0.1'), ['127.0.0.1']);
    assert.deepEqual(await resolveHost('::1'), ['::1']);
    assert.deepEqual(await resolveHost('[::1]'), ['::1']);
  });

  it('resolves localhost to loopback addresses', async () => {
    const addresses = await resolveHost('localhost');
    assert.ok(addresses.length > 0 && addresses.every((a) => a === '127.0.0.1' || a === '::1'), addresses.join(', '));
  });

  it('says what to do with a name that does not resolve', async () => {
    await assert.rejects(resolveHost('no-such-host.invalid'), (error: unknown) => {
      assert.ok(error instanceof HostResolutionError);
      assert.match(
        error.message,
        /^cannot resolve host 'no-such-host\.invalid' \([A-Z_]+\); set the host \(worldParameters\.daemonSteps\.host or DAEMON_STEPS_HOST\) to an address such as 127\.0\.0\.1 or ::1, or to a name this machine resolves$/,
      );
      return true;
    });
  });
});

describe('HttpProbe', () => {
  it('counts any status below 500 as ready (404 too) and 503 as not yet', async () => {
    let status = 503;
    const server = await listen('127.0.0.1', (_request, response) => {
      response.statusCode = status;
      response.end();
    });
    try {
      const probe = new HttpProbe('127.0.0.1', server.port, '/health');
      assert.equal(probe.describe(), `GET http://127.0.0.1:${server.port}/health to answer with a status below 500`);
      assert.equal(await probe.check(), false);
      assert.equal(probe.lastFailure(), 'HTTP 503 Service Unavailable');
      status = 404;
      assert.equal(await probe.check(), true);
    } finally {
      await server.close();
    }
  });

  it('asks the address, names the configured host in the Host header, and writes IPv6 URLs with brackets', async () => {
    const hosts: Array<string | undefined> = [];
    const server = await listen('::1', (request, response) => {
      hosts.push(request.headers.host);
      response.end();
    });
    try {
      const probe = new HttpProbe('::1', server.port, '/');
      assert.equal(probe.describe(), `GET http://[::1]:${server.port}/ to answer with a status below 500`);
      assert.equal(await probe.check(), true);
      assert.deepEqual(hosts, [`[::1]:${server.port}`]);
    } finally {
      await server.close();
    }
  });

  it('says that the port accepted but no answer came, when a server never answers (not an earlier refusal)', async () => {
    const refused = await listen('127.0.0.1');
    await refused.close();
    const probe = new HttpProbe('127.0.0.1', refused.port, '/health');
    assert.equal(await probe.check(), false);
    assert.match(probe.lastFailure()!, /ECONNREFUSED/);
    const accepted: net.Socket[] = [];
    const silent = net.createServer((socket) => accepted.push(socket));
    await new Promise<void>((resolve) => silent.listen(refused.port, '127.0.0.1', resolve));
    try {
      const result = await waitUntilReady({ probes: [probe], timeoutMs: 300, exited: never });
      assert.equal(result.ready, false);
      assert.ok(accepted.length > 0, 'the server accepted the connection');
      // On a loaded machine the request's own 2 s limit may pass first; it then says so.
      assert.match(probe.lastFailure()!, new RegExp(`^127\\.0\\.0\\.1:${refused.port} accepted the connection, but no HTTP answer came( within 2 s)?$`));
    } finally {
      for (const socket of accepted) socket.destroy();
      await new Promise((resolve) => silent.close(resolve));
    }
  });

  it('reports the last answer, not the next poll the deadline cut short, when a server answers 503', async () => {
    // The first request gets a 503; every later one is accepted and never answered, so one is
    // surely under way when the deadline comes.
    let requests = 0;
    const hanging: http.ServerResponse[] = [];
    const server = http.createServer((_request, response) => {
      requests += 1;
      if (requests === 1) response.writeHead(503).end();
      else hanging.push(response);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as net.AddressInfo).port;
    try {
      const probe = new HttpProbe('127.0.0.1', port, '/health');
      // Time enough for the 503 to come back even on a loaded machine: a first answer later than the
      // deadline would make the next round the one honest look past it, which runs its course.
      const result = await waitUntilReady({ probes: [probe], timeoutMs: 1500, exited: never });
      assert.equal(result.ready, false);
      assert.ok(requests >= 2, 'a second request was under way at the deadline');
      assert.equal(probe.lastFailure(), 'HTTP 503 Service Unavailable');
    } finally {
      for (const response of hanging) response.socket?.destroy();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('reports a refused connection the way Subplot words it', async () => {
    const server = await listen('127.0.0.1');
    await server.close();
    const probe = new HttpProbe('127.0.0.1', server.port, '/');
    assert.equal(await probe.check(), false);
    assert.equal(probe.lastFailure(), `ConnectionRefusedError: connect ECONNREFUSED 127.0.0.1:${server.port}`);
  });
});

describe('FileProbe', () => {
  it('holds once the file exists', async () => {
    const directory = mkdtempSync(path.join(os.tmpdir(), 'file-probe-'));
    try {
      const probe = new FileProbe(path.join(directory, 'app.pid'), 'app.pid');
      assert.equal(probe.describe(), 'file app.pid to exist');
      assert.equal(await probe.check(), false);
      writeFileSync(path.join(directory, 'app.pid'), '123\n');
      assert.equal(await probe.check(), true);
    } finally {
      rmSync(directory, { recursive: true });
    }
  });
});

describe('OutputProbe', () => {
  const directory = mkdtempSync(path.join(os.tmpdir(), 'output-probe-'));
  after(() => rmSync(directory, { recursive: true, force: true }));

  it('wakes the wait when the text arrives, with no polling to fall back on', { timeout: 5000 }, async () => {
    const spool = new OutputSpool(path.join(directory, 'web.stdout'));
    spool.append(Buffer.from('booting\nrea'));
    const probe = new OutputProbe('stdout', Buffer.from('ready\n'), [{ spool, from: 0 }]);
    assert.equal(probe.describe(), 'stdout to contain "ready\\n"');
    // Nothing is polled: only the probe's own wake-up can end this wait before its hour is up.
    const waiting = waitUntilReady({ probes: [probe], timeoutMs: 3_600_000, exited: never });
    setImmediate(() => spool.append(Buffer.from('dy\n')));
    assert.equal((await waiting).ready, true);
    spool.close();
  });

  it('finds, in its final check, text that came while its watch was still catching up with the file', { timeout: 5000 }, async () => {
    const spool = new OutputSpool(path.join(directory, 'late.stdout'));
    spool.append(Buffer.from('booting\n'));
    const probe = new OutputProbe('stdout', Buffer.from('started'), [{ spool, from: 0 }]);
    spool.append(Buffer.from('started\n'));
    assert.equal(await probe.finalCheck(), true);
    probe.dispose();
    spool.close();
  });

  it('watches several streams for the text on either', { timeout: 5000 }, async () => {
    const stdout = new OutputSpool(path.join(directory, 'db.stdout'));
    const stderr = new OutputSpool(path.join(directory, 'db.stderr'));
    const probe = new OutputProbe('output', Buffer.from('up'), [
      { spool: stdout, from: 0 },
      { spool: stderr, from: 0 },
    ]);
    const waiting = waitUntilReady({ probes: [probe], timeoutMs: 3_600_000, exited: never });
    setImmediate(() => stderr.append(Buffer.from('up\n')));
    assert.equal((await waiting).ready, true);
    stdout.close();
    stderr.close();
  });
});

describe('a daemon that dies while it is waited for', () => {
  after(() => removeRunDirectoryIfEmpty());

  it('fails the start at once with its exit status and the tail of its output, though the deadline is an hour away', { timeout: 60_000 }, async () => {
    await using scope = new DaemonScope({ label: 'dies-while-waited-for' });
    const error = await startWithClauses(scope,
      { name: 'doomed', command: "sh -c 'echo starting up; echo bad config >&2; exit 3'", clauses: ', on a free port, with environment {"PORT": "${doomed.port}"}, within 3600 seconds' })
      .then(() => undefined, (e: unknown) => e);
    assert.ok(error instanceof DaemonExitedError, String(error));
    const daemon = scope.get('doomed');
    const port = daemon.port!;
    assert.match(
      error.message,
      new RegExp(
        `^daemon 'doomed' \\(sh -c 'echo starting up; echo bad config >&2; exit 3'\\) exited with code 3 after [0-9.]+ s, before it was ready: ` +
          `it was waiting for port ${port} on 127\\.0\\.0\\.1 to accept a connection( \\(last attempt: ConnectionRefusedError: connect ECONNREFUSED 127\\.0\\.0\\.1:${port}\\))?\\n` +
          `last lines of stderr \\(${escape(daemon.stderr.path)}\\):\\n  \\| bad config\\n` +
          `last lines of stdout \\(${escape(daemon.stdout.path)}\\):\\n  \\| starting up$`,
      ),
    );
    assert.deepEqual(error.exit, { code: 3, signal: null, cause: 'by-itself' });
  });

  it('fails at once even when a process it left behind keeps its output pipes open', { timeout: 60_000 }, async () => {
    await using scope = new DaemonScope({ label: 'dies-leaving-a-child' });
    const error = await startWithClauses(scope,
      { name: 'parent', command: "sh -c 'sleep 31811 & echo left a child; exit 4'", clauses: ', waiting for stdout to contain "never", within 3600 seconds' })
      .then(() => undefined, (e: unknown) => e);
    assert.ok(error instanceof DaemonExitedError, String(error));
    assert.match(error.message, /^daemon 'parent' \(.*\) exited with code 4 after [0-9.]+ s, before it was ready: it was waiting for stdout to contain "never"\n/);
    assert.match(error.message, /  \| left a child$/);
  });

  it('says which signal killed it', { timeout: 60_000 }, async () => {
    await using scope = new DaemonScope({ label: 'killed-while-waited-for' });
    const error = await startWithClauses(scope,
      { name: 'victim', command: "sh -c 'kill -9 $$'", clauses: ', waiting for file never.pid, within 3600 seconds' })
      .then(() => undefined, (e: unknown) => e);
    assert.ok(error instanceof DaemonExitedError, String(error));
    assert.match(error.message, /^daemon 'victim' \(sh -c 'kill -9 \$\$'\) was killed by signal SIGKILL after [0-9.]+ s, before it was ready: it was waiting for file never\.pid to exist\n/);
  });
});

describe('readiness failures that are not an exit', () => {
  after(() => removeRunDirectoryIfEmpty());

  it('times out naming what it waited for, the last attempt, and that the process still runs', async () => {
    await using scope = new DaemonScope({ label: 'never-ready' });
    const error = await startWithClauses(scope,{ name: 'mute', command: 'sleep 31812', clauses: ', on a free port, with environment {"PORT": "${mute.port}"}, within 0.2 seconds' }).then(
      () => undefined,
      (e: unknown) => e,
    );
    assert.ok(error instanceof ReadinessTimeoutError, String(error));
    const daemon = scope.get('mute');
    assert.equal(
      error.message,
      `daemon 'mute' (sleep 31812) was not ready within 0.2 s: waited for port ${daemon.port} on 127.0.0.1 to accept a connection ` +
        `(last attempt: ConnectionRefusedError: connect ECONNREFUSED 127.0.0.1:${daemon.port}); the process is still running (pid ${daemon.pid})\n` +
        `stderr (${daemon.stderr.path}): empty\n` +
        `stdout (${daemon.stdout.path}): empty`,
    );
  });

  it('fails before spawning, saying what to do, when the configured host does not resolve', async () => {
    await using scope = new DaemonScope({ label: 'bad-host', config: { ...resolveConfig(), host: 'no-such-host.invalid' } });
    for (const clauses of [', on port 31813', ', on a free port, with environment {"PORT": "${web.port}"}']) {
      await assert.rejects(startWithClauses(scope,{ name: 'web', command: 'sleep 31813', clauses }), (error: unknown) => {
        assert.ok(error instanceof HostResolutionError, String(error));
        assert.match(error.message, /^cannot resolve host 'no-such-host\.invalid' \([A-Z_]+\); set the host/);
        return true;
      });
    }
    assert.deepEqual(await findProcesses('sleep 31813', scope.marker), []);
  });

  it('refuses "waiting for HTTP" without a port before spawning anything', async () => {
    await using scope = new DaemonScope({ label: 'http-without-port' });
    await assert.rejects(startWithClauses(scope,{ name: 'web', command: 'sleep 31814', clauses: ', waiting for HTTP /health' }), {
      name: 'InvalidArgumentError',
      message: `cannot start daemon 'web' (sleep 31814): ', waiting for HTTP /health' needs a port; add ", on port P" or ", on a free port"`,
    });
    assert.deepEqual(await findProcesses('sleep 31814', scope.marker), []);
  });
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

import assert from 'node:assert/strict';
import { execFile, execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, lstatSync, mkdtempSync, readFileSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { describe, it } from 'node:test';
import { promisify } from 'node:util';
import { FakeClock } from '../supervision/fake-clock.js';
import {
  allocateFreePort,
  describePortHolder,
  freePortRange,
  isPortFree,
  isPortInUse,
  isPortOpen,
  releasePorts,
  reserveFixedPort,
  tryReservePort,
} from './ports.js';
import { PortPool } from './port-pool.js';
import { readProcStat } from '../containment/proc.js';
import { canBind } from '../readiness/tcp.js';
import { leaveTimeWait, tcpStatesOn } from '../time-wait.test.helper.js';

const portsModule = new URL('./ports.js', import.meta.url).href;
const execFileAsync = promisify(execFile);
/** Where every run of this user on this machine keeps its port locks, whatever its TMPDIR. */
const lockDirectory = `/tmp/daemon-steps-${process.getuid!()}/ports`;

/**
 * A window of `size` ports that nobody uses or has locked, below the range free ports normally
 * come from (so no other run on this machine allocates in it while the test runs).
 */
async function quietWindow(size: number): Promise<[number, number]> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const low = 10000 + Math.floor(Math.random() * (10000 - size));
    let quiet = true;
    for (let port = low; port < low + size && quiet; port++) {
      quiet = !existsSync(path.join(lockDirectory, `${port}.lock`)) && (await isPortFree(port, '0.0.0.0'));
    }
    if (quiet) return [low, low + size - 1];
  }
  throw new Error('no quiet window of ports found');
}

/** Another process (a worker, another run) that allocates `count` ports and holds them until its stdin closes. */
function allocatorProcess(
  count: number,
  range: readonly [number, number],
  env: NodeJS.ProcessEnv = process.env,
): { child: ChildProcess; ports: Promise<number[]> } {
  const code = `
    import { allocateFreePort } from ${JSON.stringify(portsModule)};
    const ports = await Promise.all(Array.from({ length: ${count} }, () => allocateFreePort('127.0.0.1', { range: ${JSON.stringify(range)} })));
    process.stdout.write(JSON.stringify(ports) + '\\n');
    process.stdin.resume();
    process.stdin.on('end', () => process.exit(0));
  `;
  const child = spawn(process.execPath, ['--input-type=module', '-e', code], { stdio: ['pipe', 'pipe', 'inherit'], env });
  const ports = new Promise<number[]>((resolve, reject) => {
    let text = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      text += chunk;
      if (text.endsWith('\n')) resolve(JSON.parse(text) as number[]);
    });
    child.once('exit', (code) => reject(new Error(`allocator exited with code ${code} before printing its ports`)));
  });
  return { child, ports };
}

async function endAll(children: ChildProcess[]): Promise<void> {
  await Promise.all(
    children.map(async (child) => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = once(child, 'exit');
      child.stdin!.end();
      await exited;
    }),
  );
}

describe('allocateFreePort', () => {
  it('never hands out the same port twice in a process, and hands out only ports nothing listens on', async () => {
    const ports = await Promise.all(Array.from({ length: 40 }, () => allocateFreePort()));
    assert.equal(new Set(ports).size, 40);
    for (const port of ports) assert.equal(await isPortInUse(port), false, `port ${port} is free`);
  });

  it('chooses below the kernel’s ephemeral range, where no outgoing connection can take the port first', async () => {
    const [ephemeralLow] = readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/).map(Number);
    const range = freePortRange()!;
    assert.ok(range[1] < ephemeralLow!, `${range} is below ${ephemeralLow}`);
    for (const port of await Promise.all(Array.from({ length: 10 }, () => allocateFreePort()))) {
      assert.ok(port >= range[0] && port <= range[1], `${port} in ${range}`);
    }
  });

  it('never hands the same port to two processes (workers, or runs) allocating at once, even when the ports run out', async () => {
    const range = await quietWindow(20);
    const allocators = Array.from({ length: 4 }, () => allocatorProcess(5, range));
    const children = allocators.map((a) => a.child);
    try {
      const ports = (await Promise.all(allocators.map((a) => a.ports))).flat();
      assert.equal(ports.length, 20);
      assert.equal(new Set(ports).size, 20, `duplicates in ${ports.sort()}`);
      await assert.rejects(allocateFreePort('127.0.0.1', { range }), {
        message: `could not find a free port on 127.0.0.1 between ${range[0]} and ${range[1]} after 20 attempts; is the machine out of ports?`,
      });
    } finally {
      await endAll(children);
    }
    // The processes have exited: their ports are free again.
    assert.ok(await allocateFreePort('127.0.0.1', { range }));
  });

  it('never hands out a port another run holds, though that run has a TMPDIR of its own', async () => {
    const range = await quietWindow(1);
    const ownTemporaryDirectory = mkdtempSync(path.join(os.tmpdir(), 'other-run-'));
    const { child, ports } = allocatorProcess(1, range, { ...process.env, TMPDIR: ownTemporaryDirectory });
    try {
      assert.deepEqual(await ports, [range[0]]);
      await assert.rejects(allocateFreePort('127.0.0.1', { range }), {
        message: `could not find a free port on 127.0.0.1 between ${range[0]} and ${range[1]} after 1 attempt; is the machine out of ports?`,
      });
    } finally {
      await endAll([child]);
      rmSync(ownTemporaryDirectory, { recursive: true, force: true });
    }
  });

  it('takes over the lock of a process that was killed before it could release it', async () => {
    const range = await quietWindow(1);
    const { child, ports } = allocatorProcess(1, range);
    assert.deepEqual(await ports, [range[0]]);
    const exited = once(child, 'exit');
    child.kill('SIGKILL');
    await exited;
    assert.ok(existsSync(path.join(lockDirectory, `${range[0]}.lock`)), 'the killed process left its lock behind');
    assert.equal(await allocateFreePort('127.0.0.1', { range }), range[0]);
  });

  it('skips a port something else listens on', async () => {
    const range = await quietWindow(2);
    const server = net.createServer();
    await new Promise<void>((resolve) => server.listen({ host: '0.0.0.0', port: range[0] }, resolve));
    try {
      assert.equal(await allocateFreePort('127.0.0.1', { range }), range[1]);
    } finally {
      server.close();
    }
  });
});

/** Runs `code` (an ES module that may import the ports module as `ports`) in a process of its own; what it printed. */
async function runInOwnProcess(code: string): Promise<string> {
  const module = `import * as ports from ${JSON.stringify(portsModule)};\n${code}`;
  // The timeout only ends a hung process, so that a hang fails the test instead of the whole run.
  const { stdout } = await execFileAsync(process.execPath, ['--input-type=module', '-e', module], { timeout: 60_000 });
  return stdout;
}

describe('the lock directory', () => {
  it('is /tmp/daemon-steps-<uid>/ports, a real directory of this user that nobody else may use', async () => {
    const range = await quietWindow(1);
    assert.equal(await allocateFreePort('127.0.0.1', { range }), range[0]);
    assert.ok(existsSync(path.join(lockDirectory, `${range[0]}.lock`)));
    for (const directory of [lockDirectory, path.dirname(lockDirectory)]) {
      const stats = lstatSync(directory);
      assert.equal(stats.isDirectory(), true, `${directory} is a directory, not a link`);
      assert.equal(stats.uid, process.getuid!(), `${directory} is ours`);
      assert.equal(stats.mode & 0o077, 0, `${directory} is closed to others`);
    }
  });

  it('holds lock files that are only read if they are regular files: a FIFO in their place blocks nobody', async () => {
    const [port, next] = await quietWindow(2);
    const fifo = path.join(lockDirectory, `${port}.lock`);
    execFileSync('mkfifo', [fifo]);
    try {
      // In a process of its own: reading a FIFO would block that whole process until someone writes to it.
      const answers = await runInOwnProcess(`
        console.log(ports.tryReservePort(${port}) === undefined ? 'taken' : 'reserved');
        console.log(await ports.allocateFreePort('127.0.0.1', { range: [${port}, ${next}] }));
        await ports.reserveFixedPort(${port}).catch((error) => console.log(error.message));
      `);
      assert.equal(
        answers,
        `taken\n${next}\nport ${port} is reserved by ${fifo}, which is a FIFO, not a lock file daemon-steps wrote (remove it)\n`,
      );
      assert.equal(lstatSync(fifo).isFIFO(), true, 'what is not a lock file is left alone');
    } finally {
      rmSync(fifo, { force: true });
    }
  });
});

/**
 * Another process that tries to reserve a port when told ("go PORT"), answers "held" or "taken",
 * and holds what it got until told to release it: so every holder of a trial holds at once.
 */
class Contender {
  private readonly child: ChildProcess;
  private readonly lines: AsyncIterator<string>;

  constructor() {
    const code = `
      import { createInterface } from 'node:readline';
      import { tryReservePort } from ${JSON.stringify(portsModule)};
      let release;
      for await (const line of createInterface({ input: process.stdin })) {
        const [command, port] = line.split(' ');
        if (command === 'go') {
          release = tryReservePort(Number(port));
          process.stdout.write(release ? 'held\\n' : 'taken\\n');
        } else {
          release?.();
          release = undefined;
          process.stdout.write('released\\n');
        }
      }
    `;
    this.child = spawn(process.execPath, ['--input-type=module', '-e', code], { stdio: ['pipe', 'pipe', 'inherit'] });
    this.lines = createInterface({ input: this.child.stdout! })[Symbol.asyncIterator]();
  }

  tell(command: string): void {
    this.child.stdin!.write(`${command}\n`);
  }

  async answer(): Promise<string> {
    const next = await this.lines.next();
    if (next.done) throw new Error(`a contender ended (exit code ${this.child.exitCode}) without answering`);
    return next.value;
  }

  async end(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = once(this.child, 'exit');
    this.child.stdin!.end();
    await exited;
  }
}

describe('taking over the lock of a dead process', () => {
  it('gives the port to exactly one of several processes that find the dead lock at once', async () => {
    const [port] = await quietWindow(1);
    const lock = path.join(lockDirectory, `${port}.lock`);
    const contenders = Array.from({ length: 4 }, () => new Contender());
    const holdersPerTrial: number[] = [];
    try {
      for (let trial = 0; trial < 30; trial++) {
        // The lock a killed run left behind: it names a pid that has exited.
        writeFileSync(lock, `${spawnSync('true').pid} 0\n`, { flag: 'wx' });
        for (const contender of contenders) contender.tell(`go ${port}`);
        const answers = await Promise.all(contenders.map((contender) => contender.answer()));
        holdersPerTrial.push(answers.filter((answer) => answer === 'held').length);
        for (const contender of contenders) contender.tell('release');
        await Promise.all(contenders.map((contender) => contender.answer()));
        rmSync(lock, { force: true });
      }
    } finally {
      await Promise.all(contenders.map((contender) => contender.end()));
      rmSync(lock, { force: true });
    }
    assert.deepEqual(holdersPerTrial, Array.from({ length: 30 }, () => 1), `holders per trial: ${holdersPerTrial.join(' ')}`);
  });

  it('takes over a lock whose takeover was cut short by the death of the process taking it over', async () => {
    const [port] = await quietWindow(1);
    const lock = path.join(lockDirectory, `${port}.lock`);
    const [dead, diedTakingOver] = [spawnSync('true').pid, spawnSync('true').pid];
    writeFileSync(lock, `${dead} 0\n`, { flag: 'wx' });
    const marker = `${lock}.takeover-${dead}-0`;
    writeFileSync(marker, `${diedTakingOver} 0\n`, { flag: 'wx' });
    try {
      const release = tryReservePort(port);
      assert.ok(release, 'the port is taken over');
      assert.equal(readFileSync(lock, 'utf8'), `${process.pid} ${readProcStat(process.pid)!.startTime}\n`);
      assert.deepEqual(readdirSync(lockDirectory).filter((name) => name.startsWith(`${port}.lock.`)), [], 'no takeover marker is left');
      release();
    } finally {
      rmSync(marker, { force: true });
      rmSync(lock, { force: true });
    }
  });
});

describe('reserveFixedPort', () => {
  // With no time to wait, a reservation held elsewhere is refused at once.
  const message = (port: number) => `port ${port} is reserved by another scope of this run`;

  it('makes another scope wait for the port until the first releases it', async () => {
    const [port] = await quietWindow(1);
    const releaseA = await reserveFixedPort(port, { owner: 'scope-a' });
    await assert.rejects(reserveFixedPort(port, { owner: 'scope-b' }), { message: message(port) });
    const b = reserveFixedPort(port, { timeout: 10_000, owner: 'scope-b' });
    releaseA();
    const releaseB = await b;
    releaseB();
    assert.ok(!existsSync(path.join(lockDirectory, `${port}.lock`)), 'a fixed port is unlocked when released');
  });

  it('waits no longer than it was told, on its clock, then says who holds the port and what to do', async () => {
    const [port] = await quietWindow(1);
    const releaseA = await reserveFixedPort(port, { owner: 'scope-a' });
    const clock = new FakeClock();
    let settled = false;
    const outcome = reserveFixedPort(port, { timeout: 5000, clock, owner: 'scope-b' })
      .then(
        () => 'reserved',
        (error: Error) => error.message,
      )
      .finally(() => (settled = true));
    await clock.advance(4999);
    assert.equal(settled, false, 'still waiting just before its time is up');
    await clock.advance(100);
    assert.equal(
      await outcome,
      `port ${port} has been reserved by another scope of this run for more than 5 s; ` +
        'scopes that share a fixed port take turns — let that one finish, or use port: \'free\'',
    );
    releaseA();
  });

  it('never takes over a lock that is still being written, but does take over one abandoned half-written', async () => {
    const [port] = await quietWindow(1);
    const lock = path.join(lockDirectory, `${port}.lock`);
    writeFileSync(lock, '');
    assert.equal(tryReservePort(port), undefined, 'a lock without an owner yet is being written');
    const longAgo = new Date(Date.now() - 60_000);
    utimesSync(lock, longAgo, longAgo);
    const release = tryReservePort(port);
    assert.ok(release, 'a lock left half-written a minute ago is taken over');
    release();
  });

  it('reserves a port at once or says it is taken, without waiting', async () => {
    const [port] = await quietWindow(1);
    const release = tryReservePort(port, 'scope-a');
    assert.ok(release);
    assert.equal(tryReservePort(port, 'scope-b'), undefined);
    release();
    const again = tryReservePort(port, 'scope-b');
    assert.ok(again);
    again();
  });

  it('lets a scope name one of its own free ports as a fixed port without waiting, and others only once it is done', async () => {
    const range = await quietWindow(1);
    const port = await allocateFreePort('127.0.0.1', { range, owner: 'scope-a' });
    await reserveFixedPort(port, { owner: 'scope-a' });
    await assert.rejects(reserveFixedPort(port, { owner: 'scope-b' }), { message: message(port) });
    releasePorts('scope-a');
    const releaseB = await reserveFixedPort(port, { owner: 'scope-b' });
    releaseB();
    await assert.rejects(allocateFreePort('127.0.0.1', { range }), /could not find a free port/, 'a free port is never handed out twice');
  });
});

describe('a port in TIME_WAIT', () => {
  it('is never handed out as free, though Node (binding with SO_REUSEADDR) could bind it', async () => {
    const range = await quietWindow(1);
    const [port] = range;
    await leaveTimeWait(port);
    assert.deepEqual(tcpStatesOn(port), ['06'], 'the listening side closed first: its port is in TIME_WAIT');
    assert.equal(await canBind('127.0.0.1', port), true, 'binding as Node does succeeds');
    const strictBind = spawnSync('python3', ['-c', `import socket; socket.socket().bind(('127.0.0.1', ${port}))`], { encoding: 'utf8' });
    assert.match(strictBind.stderr, /Address already in use/, 'a daemon that binds without SO_REUSEADDR fails');
    assert.equal(await isPortFree(port), false);
    assert.equal(await isPortInUse(port), false, 'nothing listens on it: a fixed port there is not refused');
    await assert.rejects(allocateFreePort('127.0.0.1', { range }), {
      message: `could not find a free port on 127.0.0.1 between ${port} and ${port} after 1 attempt; is the machine out of ports?`,
    });
    await assert.rejects(new PortPool({ base: port, size: 1 }).acquire(), { message: new RegExp(`^no free port left in the pool ${port}–${port}`) });
  });
});

describe('port checks', () => {
  it('tell an open port from a closed one, and name the process that holds it', async () => {
    const server = net.createServer();
    await new Promise<void>((resolve) => server.listen({ host: '127.0.0.1', port: 0 }, resolve));
    const { port } = server.address() as net.AddressInfo;
    try {
      assert.equal(await isPortOpen(port), true);
      assert.equal(await isPortInUse(port), true);
      assert.equal(describePortHolder(port), `pid ${process.pid} (${readFileSync('/proc/self/cmdline', 'utf8').replace(/\0$/, '').replaceAll('\0', ' ')})`);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
    assert.equal(await isPortOpen(port), false);
    assert.equal(await isPortInUse(port), false);
    assert.equal(describePortHolder(port), undefined);
  });
});

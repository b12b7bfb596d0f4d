import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import type { Clock } from './clock.js';
import { allocateFreePort, describePortHolder, isPortInUse, isPortOpen, reserveFixedPort } from './ports.js';

/** A port the kernel says is free now, without taking a lock on it. */
function unlockedFreePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** A clock whose sleeps pass only when the test says so, so a wait can be watched step by step. */
function steppedClock() {
  let now = 0;
  const sleepers: Array<() => void> = [];
  let onSleep: (() => void) | undefined;
  return {
    now: () => now,
    sleep(ms: number): Promise<void> {
      return new Promise<void>((resolve) => {
        sleepers.push(() => {
          now += ms;
          resolve();
        });
        onSleep?.();
      });
    },
    /** Resolves once something is asleep on this clock. */
    asleep(): Promise<void> {
      if (sleepers.length > 0) return Promise.resolve();
      return new Promise<void>((resolve) => {
        onSleep = () => {
          onSleep = undefined;
          resolve();
        };
      });
    },
    wakeAll(): void {
      for (const wake of sleepers.splice(0)) wake();
    },
    set(ms: number): void {
      now = ms;
    },
  } satisfies Clock & Record<string, unknown>;
}

describe('allocateFreePort', () => {
  it('hands out free ports, never the same one twice in a run', async () => {
    const ports = [];
    for (let i = 0; i < 20; i++) ports.push(await allocateFreePort());
    assert.equal(new Set(ports).size, ports.length);
    for (const port of ports) assert.equal(await isPortInUse(port), false);
  });
});

describe('isPortInUse and isPortOpen', () => {
  it('tell a listening port from a free one', async () => {
    const server = net.createServer((socket) => socket.destroy());
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as net.AddressInfo;
    assert.equal(await isPortInUse(port), true);
    assert.equal(await isPortOpen(port), true);
    await new Promise((resolve) => server.close(resolve));
    assert.equal(await isPortInUse(port), false);
    assert.equal(await isPortOpen(port), false);
  });
});

describe('describePortHolder', { skip: process.platform !== 'linux' }, () => {
  let holder: ChildProcess | undefined;
  after(() => {
    if (holder && holder.exitCode === null && holder.signalCode === null) holder.kill('SIGKILL');
  });

  it('names the process that listens on a port', async () => {
    const port = await unlockedFreePort();
    holder = spawn('python3', ['-u', '-m', 'http.server', String(port), '--bind', '127.0.0.1'], { stdio: ['ignore', 'pipe', 'ignore'] });
    const [firstOutput] = (await once(holder.stdout!, 'data')) as [Buffer];
    assert.match(firstOutput.toString(), /Serving HTTP on 127\.0\.0\.1 port/);
    const description = describePortHolder(port);
    assert.match(description ?? '', new RegExp(`^pid ${holder.pid} \\(\\S*python3\\S* -u -m http\\.server ${port} --bind 127\\.0\\.0\\.1\\)$`));
    holder.kill();
    await once(holder, 'exit');
    assert.equal(describePortHolder(port), undefined);
  });
});

describe('reserveFixedPort', () => {
  it('gives up after its wait, naming who holds the port and what to do', async () => {
    const port = await unlockedFreePort();
    const release = await reserveFixedPort(port, 5000, undefined, 'scope-a');
    const clock = steppedClock();
    const second = reserveFixedPort(port, 5000, clock, 'scope-b');
    await clock.asleep();
    clock.set(5000);
    clock.wakeAll();
    await assert.rejects(second, {
      message:
        `port ${port} has been reserved by another scenario of this run for more than 5 s; ` +
        'scenarios that share a fixed port take turns — let that one finish, or use ", on a free port"',
    });
    release();
  });
});

import assert from 'node:assert/strict';
import { rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { describe, it } from 'node:test';
import { PortPool } from './port-pool.js';
import { readProcStat } from '../containment/proc.js';

function listen(port: number): Promise<net.Server> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen({ host: '127.0.0.1', port, exclusive: true }, () => resolve(server));
  });
}

describe('PortPool', () => {
  it('hands out the lowest free port from its base (20000 unless told), and a released one again', async () => {
    assert.equal(new PortPool().base, 20000);
    // A base of this process's own: another suite on the machine, using the default base, could
    // release a lower port between our release and our next acquire.
    const pool = new PortPool({ base: 30000 + (process.pid % 2000) * 8 });
    const first = await pool.acquire();
    const second = await pool.acquire();
    assert.ok(first.port >= pool.base && second.port > first.port, `${first.port} then ${second.port}`);
    first.release();
    const third = await pool.acquire();
    assert.equal(third.port, first.port);
    second.release();
    third.release();
  });

  it('skips a port something already listens on', async () => {
    const pool = new PortPool();
    const probe = await pool.acquire();
    probe.release();
    const server = await listen(probe.port);
    try {
      const next = await pool.acquire();
      assert.notEqual(next.port, probe.port);
      next.release();
    } finally {
      server.close();
    }
  });

  it('skips a port another run on this machine has reserved, so concurrent runs never share one', async () => {
    const pool = new PortPool();
    const probe = await pool.acquire();
    probe.release();
    // The lock file another live run would hold: it names that run's pid and start time (here PID 1's).
    const lock = path.join(`/tmp/daemon-steps-${process.getuid!()}`, 'ports', `${probe.port}.lock`);
    writeFileSync(lock, `1 ${readProcStat(1)?.startTime ?? 0}\n`, { flag: 'wx' });
    try {
      const next = await pool.acquire();
      assert.notEqual(next.port, probe.port);
      next.release();
    } finally {
      rmSync(lock, { force: true });
    }
  });

  it('refuses a pool outside the TCP ports, and says when it has run dry', async () => {
    assert.throws(() => new PortPool({ base: 65535, size: 2 }), {
      name: 'InvalidArgumentError',
      message: 'port pool from 65535, 2 ports: the ports must lie between 1 and 65535',
    });
    const free = await new PortPool().acquire();
    free.release();
    const pool = new PortPool({ base: free.port, size: 1 });
    const only = await pool.acquire();
    assert.equal(only.port, free.port);
    await assert.rejects(pool.acquire(), {
      message:
        `no free port left in the pool ${free.port}–${free.port} on 127.0.0.1; ` +
        'remove processes you no longer need, or give the pool another base or more ports',
    });
    only.release();
  });
});

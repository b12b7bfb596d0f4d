import assert from 'node:assert/strict';
import net from 'node:net';
import { describe, it } from 'node:test';
import { ReadinessFailedError, ReadinessTimeoutError } from '../errors.js';
import { HostResolutionError } from '../readiness/tcp.js';
import { waitForPort } from './wait-port.js';

function listen(port = 0): Promise<net.Server> {
  const server = net.createServer((socket) => socket.destroy());
  return new Promise((resolve) => server.listen(port, '127.0.0.1', () => resolve(server)));
}

function portOf(server: net.Server): number {
  return (server.address() as net.AddressInfo).port;
}

function close(server: net.Server): Promise<void> {
  return new Promise((resolve) => server.close(() => resolve()));
}

const host = '127.0.0.1';

describe('waitForPort', () => {
  it('returns once a port opens, and once it closes', async () => {
    const probe = await listen();
    const port = portOf(probe);
    await close(probe);
    const opened = waitForPort(port, 'open', { host, timeout: 10_000 });
    const server = await listen(port);
    await opened;
    const closed = waitForPort(port, 'closed', { host, timeout: 10_000 });
    await close(server);
    await closed;
  });

  it('fails after the deadline with the last attempt, for a port that stays closed', async () => {
    const probe = await listen();
    const port = portOf(probe);
    await close(probe);
    await assert.rejects(waitForPort(port, 'open', { host, timeout: 50 }), (error: Error) => {
      assert.ok(error instanceof ReadinessTimeoutError);
      assert.equal(error.message, `port ${port} on 127.0.0.1 is still closed after 0.05 s (last attempt: ConnectionRefusedError: connect ECONNREFUSED 127.0.0.1:${port})`);
      return true;
    });
  });

  it('names who holds a port that stays open', async () => {
    const server = await listen();
    const port = portOf(server);
    try {
      await assert.rejects(waitForPort(port, 'closed', { host, timeout: 50 }), (error: Error) => {
        assert.ok(error instanceof ReadinessTimeoutError);
        assert.match(error.message, new RegExp(`^port ${port} on 127\\.0\\.0\\.1 is still open after 0\\.05 s: pid ${process.pid} \\(.+\\) listens on it$`));
        return true;
      });
    } finally {
      await close(server);
    }
  });

  it('fails at once when the host cannot be resolved', async () => {
    const resolve = async (name: string): Promise<string[]> => {
      throw new HostResolutionError(name, 'ENOTFOUND');
    };
    await assert.rejects(waitForPort(1234, 'open', { host: 'nowhere.invalid', timeout: 60_000, resolve }), (error: Error) => {
      assert.ok(error instanceof ReadinessFailedError);
      assert.ok(error.message.startsWith("cannot wait for port 1234 on nowhere.invalid to be open: cannot resolve host 'nowhere.invalid' (ENOTFOUND)"), error.message);
      return true;
    });
  });
});

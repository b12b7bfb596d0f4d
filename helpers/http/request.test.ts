import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { gzipSync } from 'node:zlib';
import { InvalidArgumentError } from '../errors.js';
import { NoPortError } from './errors.js';
import { requestDaemon, type DaemonDirectory } from './daemon-request.js';
import { RequestFailedError, sendRequest } from './request.js';
import { HttpSession } from './session.js';
import type { ManagedProcess } from '../process/managed-process.js';

/** A real server on loopback: it echoes what it got, redirects, hangs, or answers bytes that are not UTF-8. */
function startServer(): Promise<http.Server> {
  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      if (request.url === '/redirect') {
        response.writeHead(302, { location: '/elsewhere' });
        response.end('moved');
      } else if (request.url === '/hang') {
        // never answers
      } else if (request.url === '/gzip') {
        response.writeHead(200, { 'content-encoding': 'gzip' });
        response.end(gzipSync('unpacked'));
      } else if (request.url === '/latin1') {
        response.end(Buffer.from([0x63, 0x61, 0x66, 0xe9]));
      } else {
        response.setHeader('content-type', 'application/json');
        response.appendHeader('set-cookie', 'a=1');
        response.appendHeader('set-cookie', 'b=2');
        response.end(JSON.stringify({ method: request.method, url: request.url, headers: request.headers, body: Buffer.concat(chunks).toString() }));
      }
    });
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

/** A closed port: one the kernel gave us a moment ago and that nothing listens on now. */
async function closedPort(): Promise<number> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

function fakeEntry(fields: Partial<ManagedProcess>): ManagedProcess {
  return {
    name: 'web',
    pid: 4242,
    port: undefined,
    isRunning: true,
    exit: undefined,
    context: { name: 'web', command: './web' },
    tails: () => ({}),
    ...fields,
  } as ManagedProcess;
}

function directory(entry: ManagedProcess, timeoutMs = 5000): DaemonDirectory {
  return { entry: () => entry, config: { host: '127.0.0.1', outputTimeoutMs: timeoutMs } };
}

/** A server for the tests of one suite, up before them and closed after: its port, once it is up. */
function serveDuringSuite(): () => number {
  let server: http.Server | undefined;
  before(async () => {
    server = await startServer();
  });
  after(() => {
    server?.closeAllConnections();
    server?.close();
  });
  return () => (server!.address() as AddressInfo).port;
}

describe('sendRequest', () => {
  const port = serveDuringSuite();
  const base = () => `http://127.0.0.1:${port()}`;

  it('sends the method, headers and body, and records status, headers (names in lower case) and body bytes', async () => {
    const response = await sendRequest(`${base()}/echo`, { method: 'PATCH', headers: { 'X-User': 'ada' }, body: 'hi' });
    assert.equal(response.status, 200);
    assert.equal(response.statusText, 'OK');
    const echoed = response.json() as { method: string; headers: Record<string, string>; body: string };
    assert.equal(echoed.method, 'PATCH');
    assert.equal(echoed.headers['x-user'], 'ada');
    assert.equal(echoed.body, 'hi');
    assert.equal(response.header('Content-Type'), 'application/json');
    assert.equal(response.header('set-cookie'), 'a=1, b=2');
    assert.equal(response.describe(), `PATCH ${base()}/echo → 200 OK`);
  });

  it('sends a JSON body as application/json and any other as text/plain, unless a Content-Type is given', async () => {
    const typeOf = async (body: string, headers = {}) =>
      ((await sendRequest(`${base()}/echo`, { method: 'POST', body, headers })).json() as { headers: Record<string, string> }).headers['content-type'];
    assert.equal(await typeOf('{"a": 1}\n'), 'application/json');
    assert.equal(await typeOf('[1]'), 'application/json');
    assert.equal(await typeOf('{not json'), 'text/plain; charset=utf-8');
    assert.equal(await typeOf('3'), 'text/plain; charset=utf-8');
    assert.equal(await typeOf('{"a": 1}', { 'content-type': 'application/vnd.x+json' }), 'application/vnd.x+json');
  });

  it('does not follow a redirect: the 302 is the response', async () => {
    const response = await sendRequest(`${base()}/redirect`);
    assert.equal(response.status, 302);
    assert.equal(response.header('location'), '/elsewhere');
    assert.equal(response.text, 'moved');
  });

  it('shows bytes that are not UTF-8 as \\xNN, and keeps the bytes', async () => {
    const response = await sendRequest(`${base()}/latin1`);
    assert.equal(response.text, 'caf\\xe9');
    assert.deepEqual(response.body, Buffer.from([0x63, 0x61, 0x66, 0xe9]));
  });

  it('decompresses a compressed body, as fetch does', async () => {
    const response = await sendRequest(`${base()}/gzip`);
    assert.equal(response.header('content-encoding'), 'gzip');
    assert.equal(response.text, 'unpacked');
  });

  it('gives up after the deadline, saying so', async () => {
    await assert.rejects(sendRequest(`${base()}/hang`, { timeout: 100 }), (error: RequestFailedError) => {
      assert.equal(error.message, `GET ${base()}/hang: no response within 0.1 s`);
      assert.deepEqual(error.failure, { kind: 'timeout', timeoutMs: 100 });
      return true;
    });
  });

  it('is cancelled by its signal', async () => {
    const controller = new AbortController();
    const pending = sendRequest(`${base()}/hang`, { signal: controller.signal });
    controller.abort(new Error('enough'));
    await assert.rejects(pending, (error: RequestFailedError) => error.failure.kind === 'aborted' && error.message === `GET ${base()}/hang: cancelled`);
  });

  it('says a refused connection is one, worded as the readiness probes word it', async () => {
    const port = await closedPort();
    await assert.rejects(
      sendRequest(`http://127.0.0.1:${port}/`),
      new RegExp(`^RequestFailedError: GET http://127\\.0\\.0\\.1:${port}/: cannot connect: ConnectionRefusedError: connect ECONNREFUSED 127\\.0\\.0\\.1:${port}$`),
    );
  });

  it('refuses what fetch would refuse, with what to do instead', async () => {
    await assert.rejects(sendRequest(`${base()}/`, { method: 'GET', body: 'x' }), {
      message: 'a GET request cannot have a body (fetch refuses it): send the body with POST, PUT, PATCH or DELETE',
    });
    await assert.rejects(sendRequest('ftp://127.0.0.1/'), { message: "'ftp://127.0.0.1/' is not an http:// or https:// URL" });
    await assert.rejects(sendRequest(`${base()}/`, { method: 'TRACE' }), { message: 'fetch cannot send a TRACE request; send it some other way' });
    await assert.rejects(sendRequest(`${base()}/`, { method: 'GE T' }), { message: "'GE T' is not an HTTP method: write one such as GET, POST or DELETE" });
    await assert.rejects(sendRequest('http://127.0.0.1:10080/'), /fetch refuses the port of http:\/\/127\.0\.0\.1:10080\/, one that browsers block/);
  });
});

describe('requestDaemon', () => {
  const port = serveDuringSuite();

  it('sends to http://HOST:PORT + path, with the output timeout as the deadline', async () => {
    const response = await requestDaemon(directory(fakeEntry({ port: port() })), 'web', { path: '/items?x=1' });
    assert.equal(response.url, `http://127.0.0.1:${port()}/items?x=1`);
    assert.equal((response.json() as { url: string }).url, '/items?x=1');
    await assert.rejects(requestDaemon(directory(fakeEntry({ port: port() }), 100), 'web', { path: '/hang' }), {
      message: `GET http://127.0.0.1:${port()}/hang: no response from daemon 'web' (./web) within 0.1 s; it is still running (pid 4242)`,
    });
  });

  it('names a daemon without a port, and how to give it one', async () => {
    await assert.rejects(requestDaemon(directory(fakeEntry({})), 'web', { path: '/health' }), (error: NoPortError) => {
      assert.ok(error instanceof NoPortError);
      assert.equal(
        error.message,
        "daemon 'web' (./web) has no port to send GET /health to: start it with a port (port: 'free' or a number, and ${web.port} in its command), or send the request to a whole URL",
      );
      return true;
    });
  });

  it('refuses a path that is not one', async () => {
    await assert.rejects(requestDaemon(directory(fakeEntry({ port: port() })), 'web', { path: 'health' }), {
      message: "request path 'health' does not start with '/': write it like /health",
    });
    await assert.rejects(requestDaemon(directory(fakeEntry({ port: port() })), 'web', { path: 'http://x/y' }), (error: Error) => {
      assert.ok(error instanceof InvalidArgumentError);
      assert.ok(error.message.startsWith("'http://x/y' is a whole URL, not a path on daemon 'web' (./web)"), error.message);
      return true;
    });
  });

  it('says how a daemon that refuses the connection has ended, with the tail of its output', async () => {
    const closed = await closedPort();
    const entry = fakeEntry({
      port: closed,
      isRunning: false,
      exit: { code: 3, signal: null, cause: 'by-itself' },
      tails: () => ({ stdout: { tail: 'crashing\n', path: '/w/web.stdout' } }),
    });
    await assert.rejects(requestDaemon(directory(entry), 'web'), {
      message:
        `GET http://127.0.0.1:${closed}/: cannot connect to daemon 'web' (./web): ConnectionRefusedError: connect ECONNREFUSED 127.0.0.1:${closed}; ` +
        'it exited with code 3\nlast lines of stdout (/w/web.stdout):\n  | crashing',
    });
  });
});

describe('HttpSession', () => {
  const port = serveDuringSuite();

  it('sends the headers set so far with every later request, a later value replacing an earlier one', async () => {
    const session = new HttpSession(directory(fakeEntry({ port: port() })));
    assert.equal(session.lastResponse, undefined);
    session.setHeader('X-User', 'ada');
    await session.toDaemon('web', { path: '/echo' });
    assert.equal((session.lastResponse!.json() as { headers: Record<string, string> }).headers['x-user'], 'ada');
    session.setHeader('x-user', 'grace');
    await session.toUrl(`http://127.0.0.1:${port()}/echo`);
    assert.equal((session.lastResponse!.json() as { headers: Record<string, string> }).headers['x-user'], 'grace');
    assert.deepEqual(session.requestHeaders, { 'x-user': 'grace' });
  });

  it('keeps no response of a request that failed', async () => {
    const session = new HttpSession(directory(fakeEntry({ port: port() }), 100));
    await session.toDaemon('web', { path: '/echo' });
    await assert.rejects(session.toDaemon('web', { path: '/hang' }));
    assert.equal(session.lastResponse, undefined);
  });

  it('refuses a header that cannot be sent', () => {
    const session = new HttpSession(directory(fakeEntry({ port: port() })));
    assert.throws(() => session.setHeader('X User', 'ada'), {
      message: 'request header "X User" cannot be sent with the value "ada": a name is a word of letters, digits and -, and a value holds no line break',
    });
  });
});

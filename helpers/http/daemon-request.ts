import { describeDaemon, formatSeconds, InvalidArgumentError } from '../errors.js';
import { Daemon, EXIT_SETTLE_MS } from '../process/daemon.js';
import { describeExit } from '../process/exit.js';
import type { ManagedProcess } from '../process/managed-process.js';
import { formatAddress } from '../readiness/tcp.js';
import { sayRemedy } from '../remedies.js';
import { realClock } from '../supervision/clock.js';
import { HttpRequestError, NoPortError } from './errors.js';
import { RequestFailedError, sendRequest, type RequestOptions } from './request.js';
import type { HttpResponse } from './response.js';

/** What a request to a daemon by name needs of a scope. */
export interface DaemonDirectory {
  entry(name: string): ManagedProcess;
  readonly config: { readonly host: string; readonly outputTimeoutMs: number };
}

export interface DaemonRequestOptions extends RequestOptions {
  /** Starts with `/`; the URL is http://HOST:PORT + path, PORT the daemon's (default `/`). */
  path?: string;
}

/** How long a refused connection waits for the daemon's exit to be noticed, so the message can tell. */
const EXIT_NOTICE_MS = 100;

/**
 * A request to a daemon of the scope by name: `http://HOST:PORT` + path, HOST the configured host,
 * PORT the daemon's (its `port` option); the deadline defaults to the output
 * timeout. A request that gets no response says whether the daemon is still running, with the
 * tail of its output.
 */
export async function requestDaemon(scope: DaemonDirectory, name: string, options: DaemonRequestOptions = {}): Promise<HttpResponse> {
  const entry = scope.entry(name);
  const method = options.method ?? 'GET';
  const path = options.path ?? '/';
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(path)) {
    throw new InvalidArgumentError(`'${path}' is a whole URL, not a path on ${describeDaemon(entry.context)}: write the path alone (e.g. /health), or send the request to the URL without a daemon`);
  }
  if (!path.startsWith('/')) throw new InvalidArgumentError(`request path '${path}' does not start with '/': write it like /health`);
  if (entry.port === undefined) {
    throw new NoPortError(
      `${describeDaemon(entry.context)} has no port to send ${method} ${path} to: ${sayRemedy({ kind: 'port-for-request', name })}`,
      { daemon: entry.context },
    );
  }
  const url = `http://${formatAddress(scope.config.host, entry.port)}${path}`;
  try {
    return await sendRequest(url, { ...options, method, timeout: options.timeout ?? scope.config.outputTimeoutMs });
  } catch (error) {
    if (!(error instanceof RequestFailedError) || error.failure.kind === 'aborted') throw error;
    if (error.failure.kind === 'connect') await noticeExit(entry);
    const state = entry.isRunning ? `it is still running (pid ${entry.pid})` : entry.exit ? `it ${describeExit(entry.exit)}` : 'it is not running';
    const daemon = describeDaemon(entry.context);
    const what =
      error.failure.kind === 'connect'
        ? `cannot connect to ${daemon}: ${error.failure.detail}`
        : `no response from ${daemon} within ${formatSeconds(error.failure.timeoutMs)}`;
    throw new HttpRequestError(`${method} ${url}: ${what}; ${state}`, { daemon: entry.context, exit: entry.exit, output: entry.tails(), cause: error });
  }
}

/** A daemon that has just died refuses connections a moment before its exit is reaped. */
async function noticeExit(entry: ManagedProcess): Promise<void> {
  if (!(entry instanceof Daemon)) return;
  if (entry.isRunning) {
    const nap = new AbortController();
    await Promise.race([entry.exited, realClock.sleep(EXIT_NOTICE_MS, nap.signal).catch(() => undefined)]);
    nap.abort();
  }
  if (!entry.isRunning) await entry.settleOutput(EXIT_SETTLE_MS);
}

import { lookup } from 'node:dns/promises';
import net from 'node:net';
import { DaemonStepsError } from '../errors.js';

/** Turns a host as configured into the addresses to use; injectable so tests can stand in for DNS. */
export type HostResolver = (host: string) => Promise<string[]>;

/**
 * The addresses a host names. An IP address (IPv6 with or without brackets) is itself and nothing
 * else: we probe exactly what the user named. A name is every address it resolves to, in the
 * resolver's order — `localhost` is 127.0.0.1 on some machines and both ::1 and 127.0.0.1 on
 * others, and a daemon may listen on either.
 */
export const resolveHost: HostResolver = async (host) => {
  const bare = unbracket(host);
  if (net.isIP(bare)) return [bare];
  try {
    const found = await lookup(bare, { all: true, verbatim: true });
    const addresses = [...new Set(found.map((entry) => entry.address))];
    if (addresses.length > 0) return addresses;
  } catch (error) {
    throw new HostResolutionError(host, (error as NodeJS.ErrnoException).code ?? (error as Error).message, error);
  }
  throw new HostResolutionError(host, 'no addresses');
};

export class HostResolutionError extends DaemonStepsError {
  constructor(readonly host: string, why: string, cause?: unknown) {
    super(
      `cannot resolve host '${host}' (${why}); set the host (worldParameters.daemonSteps.host or DAEMON_STEPS_HOST) ` +
        'to an address such as 127.0.0.1 or ::1, or to a name this machine resolves',
      { cause },
    );
  }
}

function unbracket(host: string): string {
  return host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
}

/** `127.0.0.1:8080`, `[::1]:8080`: an address and port as they are written in URLs and messages. */
export function formatAddress(address: string, port: number): string {
  const bare = unbracket(address);
  return net.isIPv6(bare) ? `[${bare}]:${port}` : `${bare}:${port}`;
}

export type ConnectOutcome = { connected: true; address: string } | { connected: false; address: string; failure: string };

/**
 * One TCP connection attempt, closed as soon as it is made. Refused is an answer ("not yet"), not
 * an error; the failure is worded like Python's exceptions (`ConnectionRefusedError: …`), which
 * Subplot's scenarios look for. An attempt that gets no answer at all counts as "not yet" after
 * `timeoutMs` (give or take a tenth of a second).
 */
export function tryConnect(address: string, port: number, timeoutMs: number): Promise<ConnectOutcome> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: address, port });
    const attempt = {
      deadline: realNow() + timeoutMs,
      expire: () => done({ connected: false, address, failure: `TimeoutError: no answer from ${formatAddress(address, port)} within ${timeoutMs / 1000} s` }),
    };
    const done = (outcome: ConnectOutcome) => {
      unattendedAttempts.delete(attempt);
      socket.destroy();
      resolve(outcome);
    };
    watchDeadline(attempt);
    socket.once('connect', () => done({ connected: true, address }));
    socket.once('error', (error: NodeJS.ErrnoException) => done({ connected: false, address, failure: describeConnectError(error) }));
  });
}

// Deadlines of attempts are watched by one sweeper rather than a timer per socket: a readiness wait
// makes hundreds of attempts a second, nearly all answered at once, and a timer each is a fifth of
// their cost. Real timers, bound at import, so a test's fake timers cannot stop the sweeps.
const realSetInterval = globalThis.setInterval.bind(globalThis);
const realClearInterval = globalThis.clearInterval.bind(globalThis);
const realNow = performance.now.bind(performance);
const SWEEP_INTERVAL_MS = 100;
const unattendedAttempts = new Set<{ deadline: number; expire: () => void }>();
let sweeper: ReturnType<typeof setInterval> | undefined;

function watchDeadline(attempt: { deadline: number; expire: () => void }): void {
  unattendedAttempts.add(attempt);
  if (sweeper) return;
  sweeper = realSetInterval(() => {
    const now = realNow();
    for (const pending of unattendedAttempts) if (pending.deadline <= now) pending.expire();
    if (unattendedAttempts.size === 0) {
      realClearInterval(sweeper);
      sweeper = undefined;
    }
  }, SWEEP_INTERVAL_MS);
  sweeper.unref();
}

export function describeConnectError(error: NodeJS.ErrnoException): string {
  const kind =
    error.code === 'ECONNREFUSED' ? 'ConnectionRefusedError' : error.code === 'ECONNRESET' ? 'ConnectionResetError' : 'ConnectionError';
  return `${kind}: ${error.message}`;
}

/** Whether we can bind host:port ourselves right now (nothing listens there); false when something holds it. */
export function canBind(address: string, port: number): Promise<boolean> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.once('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EADDRINUSE' || error.code === 'EACCES') resolve(false);
      else reject(error);
    });
    server.listen({ host: unbracket(address), port, exclusive: true }, () => server.close(() => resolve(true)));
  });
}

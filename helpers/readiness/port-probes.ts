import http from 'node:http';
import type { Probe } from './probe.js';
import { describeConnectError, formatAddress, resolveHost, tryConnect, type HostResolver } from './tcp.js';

/** How long one connection attempt may take before it counts as "not yet" (loopback answers at once). */
const CONNECT_TIMEOUT_MS = 1000;
const HTTP_TIMEOUT_MS = 2000;

/** What one address answered: ready, or why not ("ConnectionRefusedError: …", "HTTP 503 …"). */
/** `answered`: the daemon did answer, just not as wanted (an HTTP 503): it is listening and alive. */
type AddressAnswer = { ready: true } | { ready: false; failure: string; answered?: boolean };

/**
 * A probe of a port on the host the user named. A name is resolved once per wait and every
 * address it has is asked at each check (`localhost` may be ::1 and 127.0.0.1): the probe holds
 * as soon as one of them answers as wanted, as it would for a client that connects by that name.
 */
abstract class HostPortProbe implements Probe {
  readonly polled = true;
  private failure: string | undefined;
  private lastAttemptAnswered = false;
  private addresses: Promise<string[]> | undefined;
  /** What the attempts under way have got to, by address: the news when the deadline cuts them short. */
  private readonly underway = new Map<string, string>();

  constructor(
    readonly host: string,
    readonly port: number,
    private readonly resolve: HostResolver,
  ) {}

  abstract describe(): string;

  /** Asks one address of the host. */
  protected abstract ask(address: string): Promise<AddressAnswer>;

  async check(): Promise<boolean> {
    const addresses = await (this.addresses ??= this.resolve(this.host));
    const answers = await Promise.all(
      addresses.map((address) =>
        this.ask(address).finally(() => {
          this.underway.delete(address);
        }),
      ),
    );
    if (answers.some((answer) => answer.ready)) return true;
    this.failure = answers.map((answer) => (answer.ready ? '' : answer.failure)).join('; ');
    this.lastAttemptAnswered = answers.some((answer) => !answer.ready && answer.answered);
    return false;
  }

  /** Notes how far the attempt on `address` has got, in case it is still under way when the time is up. */
  protected noteUnderway(address: string, progress: string): void {
    this.underway.set(address, progress);
  }

  /**
   * What the last attempt came to. One the deadline cut short is news only when no attempt before
   * it got an answer: after an HTTP 503, the next poll's open connection says nothing new.
   */
  lastFailure(): string | undefined {
    if (this.underway.size === 0 || this.lastAttemptAnswered) return this.failure;
    return [...this.underway.values()].join('; ');
  }

  /**
   * A daemon that listens on one loopback family only (::1, where 127.0.0.1 was asked, or the
   * reverse) refuses every attempt and looks as if it never opened the port: one attempt on the
   * other family tells.
   */
  async hint(): Promise<string | undefined> {
    const addresses = (await this.addresses) ?? [];
    const asked = addresses.length === 1 ? addresses[0]! : undefined;
    const other = asked === undefined ? undefined : OTHER_LOOPBACK[asked];
    if (!other || !this.lastFailure()?.includes('ECONNREFUSED')) return undefined;
    if (!(await tryConnect(other, this.port, CONNECT_TIMEOUT_MS)).connected) return undefined;
    return (
      `${formatAddress(other, this.port)} accepts connections, though: the daemon listens on ${other === '::1' ? 'IPv6' : 'IPv4'} only; ` +
      `make it listen on ${asked} too, or set the host to ${other} (DAEMON_STEPS_HOST or worldParameters.daemonSteps.host)`
    );
  }
}

/** The loopback address of the other family. */
const OTHER_LOOPBACK: Record<string, string | undefined> = { '127.0.0.1': '::1', '::1': '127.0.0.1' };

/** A TCP port accepting connections. */
export class PortProbe extends HostPortProbe {
  constructor(host: string, port: number, resolve: HostResolver = resolveHost) {
    super(host, port, resolve);
  }

  describe(): string {
    return `port ${this.port} on ${this.host} to accept a connection`;
  }

  protected async ask(address: string): Promise<AddressAnswer> {
    const outcome = await tryConnect(address, this.port, CONNECT_TIMEOUT_MS);
    return outcome.connected ? { ready: true } : { ready: false, failure: outcome.failure };
  }
}

/** `GET http://HOST:PORT/PATH` answering with a status below 500 (404 is ready, 503 is not yet), or one of `statuses`. */
export class HttpProbe extends HostPortProbe {
  constructor(
    host: string,
    port: number,
    readonly path: string,
    resolve: HostResolver = resolveHost,
    /** The statuses that count as ready (default: any below 500). */
    readonly statuses?: readonly number[],
  ) {
    super(host, port, resolve);
  }

  private accepts(status: number): boolean {
    return this.statuses ? this.statuses.includes(status) : status < 500;
  }

  get url(): string {
    return `http://${formatAddress(this.host, this.port)}${this.path}`;
  }

  describe(): string {
    const wanted = this.statuses ? `status ${this.statuses.join(' or ')}` : 'a status below 500';
    return `GET ${this.url} to answer with ${wanted}`;
  }

  protected ask(address: string): Promise<AddressAnswer> {
    return new Promise((resolve) => {
      let settled = false;
      const done = (answer: AddressAnswer) => {
        if (settled) return;
        settled = true;
        request.destroy();
        resolve(answer);
      };
      // The connection goes to the address; the Host header names the host as configured.
      const request = http.get(
        { host: address, port: this.port, path: this.path, agent: false, timeout: HTTP_TIMEOUT_MS, headers: { host: formatAddress(this.host, this.port) } },
        (response) => {
          const status = response.statusCode ?? 0;
          done(this.accepts(status) ? { ready: true } : { ready: false, failure: `HTTP ${status} ${response.statusMessage ?? ''}`.trim(), answered: true });
        },
      );
      // A server that accepts and never answers must not be reported as one that refused.
      const noAnswer = `${formatAddress(address, this.port)} accepted the connection, but no HTTP answer came`;
      let connected = false;
      request.once('socket', (socket) =>
        socket.once('connect', () => {
          connected = true;
          this.noteUnderway(address, noAnswer);
        }),
      );
      request.once('timeout', () =>
        done({
          ready: false,
          failure: connected ? `${noAnswer} within ${HTTP_TIMEOUT_MS / 1000} s` : `TimeoutError: ${this.url} did not answer within ${HTTP_TIMEOUT_MS / 1000} s`,
        }),
      );
      request.once('error', (error: NodeJS.ErrnoException) => done({ ready: false, failure: describeConnectError(error) }));
    });
  }
}


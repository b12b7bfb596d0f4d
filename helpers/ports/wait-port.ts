import { DaemonStepsError, formatSeconds, ReadinessFailedError, ReadinessTimeoutError } from '../errors.js';
import type { Probe } from '../readiness/probe.js';
import { waitUntilReady } from '../readiness/race.js';
import { resolveHost, tryConnect, type HostResolver } from '../readiness/tcp.js';
import { DEFAULTS } from '../config.js';
import { settleWait, waitAborted, type WaitOptions } from '../readiness/wait-options.js';
import { describePortHolder } from './ports.js';

export type PortCondition = 'open' | 'closed';

export interface WaitForPortOptions extends WaitOptions {
  /** Default 127.0.0.1. */
  host?: string;
  resolve?: HostResolver;
}

/** How long one connection attempt may take before it counts as "not accepted" (loopback answers at once). */
const CONNECT_TIMEOUT_MS = 1000;

/**
 * Open: some address of the host accepts a TCP connection. Closed: none does. A name is resolved
 * once per wait; each check asks every address it has.
 */
class PortConditionProbe implements Probe {
  readonly polled = true;
  private addresses: Promise<string[]> | undefined;
  private failure: string | undefined;

  constructor(
    private readonly port: number,
    private readonly condition: PortCondition,
    private readonly host: string,
    private readonly resolve: HostResolver,
  ) {}

  describe(): string {
    return `port ${this.port} on ${this.host} to be ${this.condition}`;
  }

  async check(): Promise<boolean> {
    const addresses = await (this.addresses ??= this.resolve(this.host));
    const outcomes = await Promise.all(addresses.map((address) => tryConnect(address, this.port, CONNECT_TIMEOUT_MS)));
    const open = outcomes.some((outcome) => outcome.connected);
    this.failure = outcomes.map((outcome) => (outcome.connected ? '' : outcome.failure)).filter(Boolean).join('; ');
    return open === (this.condition === 'open');
  }

  lastFailure(): string | undefined {
    return this.failure;
  }
}

// Nothing of ours is awaited: only the port, the deadline and an abort end the wait.
const NEVER = new Promise<never>(() => undefined);

/**
 * Waits until a port is open or closed, polled on the readiness schedule (a few milliseconds
 * apart). After `timeout` (default: the start timeout's default) it fails, saying how the last
 * attempt went, or who holds a port that should have closed; an aborted `signal` ends it at once.
 */
export async function waitForPort(port: number, condition: PortCondition, options: WaitForPortOptions = {}): Promise<void> {
  const { timeoutMs, signal, clock } = settleWait(options, DEFAULTS.startTimeoutMs);
  const host = options.host ?? '127.0.0.1';
  const probe = new PortConditionProbe(port, condition, host, options.resolve ?? resolveHost);
  const result = await waitUntilReady({ probes: [probe], timeoutMs, exited: NEVER, signal, clock });
  if (result.ready) return;
  const where = `port ${port} on ${host}`;
  const fields = { awaited: probe.describe(), timeoutMs, elapsedMs: result.elapsedMs };
  if (result.reason === 'hopeless') {
    const why = result.error instanceof DaemonStepsError ? result.error.headline : String((result.error as Error)?.message ?? result.error);
    throw new ReadinessFailedError(`cannot wait for ${where} to be ${condition}: ${why}`, { ...fields, cause: result.error });
  }
  if (result.reason === 'aborted') throw waitAborted(probe.describe(), { timeoutMs, elapsedMs: result.elapsedMs });
  if (condition === 'open') {
    const last = probe.lastFailure();
    throw new ReadinessTimeoutError(`${where} is still closed after ${formatSeconds(timeoutMs)}${last ? ` (last attempt: ${last})` : ''}`, fields);
  }
  const holder = describePortHolder(port);
  throw new ReadinessTimeoutError(
    `${where} is still open after ${formatSeconds(timeoutMs)}: ${holder ? `${holder} listens on it` : 'something accepts TCP connections on it'}`,
    fields,
  );
}

import { existsSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import { realClock, type Clock } from './clock.js';
import { formatSeconds } from './errors.js';
import type { ExitRecord } from './exit.js';
import { watchForBytes, type OutputSpool } from './output.js';
import { showBytes } from './text.js';

/**
 * One readiness condition. `check()` answers "ready yet?" (false = not yet; a throw = it never
 * will be); `describe()` says what is awaited, for messages. Polled probes are re-checked on a
 * short adaptive timer; event-driven ones say when to look again through `watch`.
 */
export interface Probe {
  describe(): string;
  check(): Promise<boolean>;
  readonly polled: boolean;
  watch?(wake: () => void): () => void;
  /** Why the last check said "not yet", e.g. "ConnectionRefusedError: connect ECONNREFUSED 127.0.0.1:8888". */
  lastFailure?(): string | undefined;
  dispose?(): void;
}

/** Connection refused is "not yet". Subplot's scenarios look for Python's name for it. */
function describeConnectError(error: NodeJS.ErrnoException): string {
  const kind = error.code === 'ECONNREFUSED' ? 'ConnectionRefusedError' : error.code === 'ECONNRESET' ? 'ConnectionResetError' : 'ConnectionError';
  return `${kind}: ${error.message}`;
}

export class PortProbe implements Probe {
  readonly polled = true;
  private failure: string | undefined;
  constructor(readonly host: string, readonly port: number) {}

  describe(): string {
    return `port ${this.port} on ${this.host} to accept a connection`;
  }

  check(): Promise<boolean> {
    return new Promise((resolve) => {
      const socket = net.connect({ host: this.host, port: this.port });
      socket.setTimeout(1000, () => {
        this.failure = `TimeoutError: no answer from ${this.host}:${this.port} within 1 s`;
        socket.destroy();
        resolve(false);
      });
      socket.once('connect', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', (error: NodeJS.ErrnoException) => {
        this.failure = describeConnectError(error);
        socket.destroy();
        resolve(false);
      });
    });
  }

  lastFailure(): string | undefined {
    return this.failure;
  }
}

export class HttpProbe implements Probe {
  readonly polled = true;
  private failure: string | undefined;
  constructor(
    readonly host: string,
    readonly port: number,
    readonly path: string,
    /** How long one request may take before it counts as "not yet". */
    readonly requestTimeoutMs = 2000,
  ) {}

  get url(): string {
    return `http://${this.host.includes(':') ? `[${this.host}]` : this.host}:${this.port}${this.path}`;
  }

  describe(): string {
    return `GET ${this.url} to answer with a status below 500`;
  }

  check(): Promise<boolean> {
    return new Promise((resolve) => {
      let timedOut = false;
      const request = http.get(this.url, { agent: false, timeout: this.requestTimeoutMs }, (response) => {
        response.resume();
        const status = response.statusCode ?? 0;
        if (status < 500) resolve(true);
        else {
          this.failure = `HTTP ${status} ${response.statusMessage ?? ''}`.trim();
          resolve(false);
        }
      });
      request.once('timeout', () => {
        timedOut = true;
        this.failure = `TimeoutError: ${this.url} did not answer within ${formatSeconds(this.requestTimeoutMs)}`;
        request.destroy();
      });
      // Destroying a timed-out request ends it with a reset: the timeout is what happened.
      request.once('error', (error: NodeJS.ErrnoException) => {
        if (!timedOut) this.failure = describeConnectError(error);
        resolve(false);
      });
    });
  }

  lastFailure(): string | undefined {
    return this.failure;
  }
}

export class FileProbe implements Probe {
  readonly polled = true;
  constructor(readonly path: string, readonly shownAs: string = path) {}

  describe(): string {
    return `file ${this.shownAs} to exist`;
  }

  async check(): Promise<boolean> {
    return existsSync(this.path);
  }
}

/** Text on one or more streams, seen as it arrives (no polling), from a given offset on. */
export class OutputProbe implements Probe {
  readonly polled = false;
  private seen = false;
  private readonly wakers = new Set<() => void>();
  private readonly controller = new AbortController();

  constructor(
    readonly streamName: string,
    readonly text: Buffer,
    spools: Array<{ spool: OutputSpool; from: number }>,
  ) {
    for (const { spool, from } of spools) {
      watchForBytes(spool, text, from, this.controller.signal).then(
        () => {
          this.seen = true;
          for (const wake of this.wakers) wake();
        },
        () => undefined,
      );
    }
  }

  describe(): string {
    return `${this.streamName} to contain "${showBytes(this.text).replaceAll('\n', '\\n')}"`;
  }

  async check(): Promise<boolean> {
    return this.seen;
  }

  watch(wake: () => void): () => void {
    this.wakers.add(wake);
    return () => this.wakers.delete(wake);
  }

  dispose(): void {
    this.controller.abort();
  }
}

export type ReadinessResult =
  | { ready: true; elapsedMs: number }
  | { ready: false; reason: 'timeout'; elapsedMs: number; pending: Probe[] }
  | { ready: false; reason: 'exited'; elapsedMs: number; pending: Probe[]; exit: ExitRecord }
  | { ready: false; reason: 'aborted'; elapsedMs: number; pending: Probe[] };

export interface ReadinessOptions {
  probes: Probe[];
  timeoutMs: number;
  /** Resolves when the daemon ends: waiting stops at once, it can no longer become ready. */
  exited: Promise<ExitRecord>;
  /** Something else worth re-checking on, e.g. any output of the daemon (it often prints when it listens). */
  nudges?: (wake: () => void) => () => void;
  signal?: AbortSignal;
  clock?: Clock;
}

/** Polled probes are checked again after 1 ms, then less often, never less often than this. */
const MAX_POLL_INTERVAL_MS = 4;

/**
 * Waits until every probe holds — one race of "all ready" against "the daemon exited", the
 * deadline and an abort. The first check is immediate; one controller is aborted in `finally`, so
 * no timer or listener outlives the call.
 */
export async function waitUntilReady(options: ReadinessOptions): Promise<ReadinessResult> {
  const clock = options.clock ?? realClock;
  const started = clock.now();
  const deadline = started + options.timeoutMs;
  const pending = new Set(options.probes);
  const controller = new AbortController();
  const onOuterAbort = () => controller.abort();
  options.signal?.addEventListener('abort', onOuterAbort, { once: true });

  let exit: ExitRecord | undefined;
  let wake: () => void = () => undefined;
  let wokenSinceCheck = false;
  const woken = () => {
    wokenSinceCheck = true;
    wake();
  };
  options.exited.then((record) => {
    exit = record;
    woken();
  });
  const unwatch = options.probes.map((probe) => probe.watch?.(woken) ?? (() => undefined));
  const unnudge = options.nudges?.(woken) ?? (() => undefined);
  controller.signal.addEventListener('abort', woken, { once: true });

  const checkPending = async () => {
    for (const probe of [...pending]) {
      if (await checkBefore(probe, deadline, clock)) pending.delete(probe);
    }
  };

  try {
    let interval = 1;
    for (;;) {
      const exitedBeforeCheck = exit;
      wokenSinceCheck = false;
      await checkPending();
      const elapsedMs = clock.now() - started;
      if (pending.size === 0) return { ready: true, elapsedMs };
      if (exitedBeforeCheck) return { ready: false, reason: 'exited', elapsedMs, pending: [...pending], exit: exitedBeforeCheck };
      if (controller.signal.aborted) return { ready: false, reason: 'aborted', elapsedMs, pending: [...pending] };
      const left = deadline - clock.now();
      if (left <= 0) return { ready: false, reason: 'timeout', elapsedMs, pending: [...pending] };
      if (exit || wokenSinceCheck) continue; // look again at once (after an exit: one last look)
      const anyPolled = [...pending].some((probe) => probe.polled);
      await new Promise<void>((resolve) => {
        const nap = new AbortController();
        wake = () => {
          nap.abort();
          resolve();
        };
        clock.sleep(anyPolled ? Math.min(interval, left) : left, nap.signal).then(resolve, () => undefined);
      });
      wake = () => undefined;
      interval = Math.min(interval * 2, MAX_POLL_INTERVAL_MS);
    }
  } finally {
    controller.abort();
    options.signal?.removeEventListener('abort', onOuterAbort);
    for (const stop of unwatch) stop();
    unnudge();
    for (const probe of options.probes) probe.dispose?.();
  }
}

/**
 * One check, but never past the deadline: a check that hangs (a server that accepts and never
 * answers) counts as "not yet" once the deadline comes. Once past it, the check runs its course
 * (each probe bounds its own attempt), so `within 0 seconds` still gets one honest look.
 */
async function checkBefore(probe: Probe, deadline: number, clock: Clock): Promise<boolean> {
  const left = deadline - clock.now();
  if (left <= 0) return probe.check();
  const timer = new AbortController();
  try {
    return await Promise.race([probe.check(), clock.sleep(left, timer.signal).then(() => false)]);
  } finally {
    timer.abort();
  }
}

import { existsSync } from 'node:fs';
import http from 'node:http';
import { realClock, type Clock } from '../supervision/clock.js';
import type { ExitRecord } from '../process/exit.js';
import { watchForBytes, type OutputSpool } from '../output/output.js';
import { describeConnectError, formatAddress, resolveHost, tryConnect, type HostResolver } from './tcp.js';
import { showBytes } from '../output/text.js';

/**
 * One readiness condition. `check()` answers "ready yet?" (false = not yet; a throw = it never
 * will be); `describe()` says what is awaited, for messages. Polled probes are re-checked on a
 * short timer; event-driven ones say when to look again through `watch`.
 */
export interface Probe {
  describe(): string;
  check(): Promise<boolean>;
  readonly polled: boolean;
  watch?(wake: () => void): () => void;
  /** Why the last check said "not yet", e.g. "ConnectionRefusedError: connect ECONNREFUSED 127.0.0.1:8888". */
  lastFailure?(): string | undefined;
  /** Looked for once, when the wait has timed out: something that explains the failure, for the message. */
  hint?(): Promise<string | undefined>;
  dispose?(): void;
}

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

/** `GET http://HOST:PORT/PATH` answering with a status below 500 (404 is ready, 503 is not yet). */
export class HttpProbe extends HostPortProbe {
  constructor(
    host: string,
    port: number,
    readonly path: string,
    resolve: HostResolver = resolveHost,
  ) {
    super(host, port, resolve);
  }

  get url(): string {
    return `http://${formatAddress(this.host, this.port)}${this.path}`;
  }

  describe(): string {
    return `GET ${this.url} to answer with a status below 500`;
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
          done(status < 500 ? { ready: true } : { ready: false, failure: `HTTP ${status} ${response.statusMessage ?? ''}`.trim(), answered: true });
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
  | { ready: false; reason: 'aborted'; elapsedMs: number; pending: Probe[] }
  | { ready: false; reason: 'hopeless'; elapsedMs: number; pending: Probe[]; probe: Probe; error: unknown };

export interface ReadinessOptions {
  probes: Probe[];
  timeoutMs: number;
  /** Resolves when the daemon ends: waiting stops at once, it can no longer become ready. */
  exited: Promise<ExitRecord>;
  /** Runs once the daemon has exited, before the last look: e.g. let its last output through the pipes. */
  afterExit?: () => Promise<void>;
  /** Something worth re-checking on, e.g. the daemon's output (it often prints when it listens). */
  nudges?: (wake: () => void) => () => void;
  signal?: AbortSignal;
  clock?: Clock;
}

/**
 * When polled probes are checked: the first check at once, then 1 ms apart for the first 10 ms
 * (daemons that are quick are very quick), every 2 ms up to a quarter of a second, and after that
 * a sixteenth of the time waited so far, at most 50 ms: a daemon that takes a second to start
 * loses at most a few percent of that to the poll, and waiting costs a few percent of a core even
 * where a refused connection is as expensive as on a sandboxed CI machine (see `npm run bench`).
 * A daemon that prints when it listens is checked at once anyway (`NUDGE`).
 */
export function pollIntervalMs(waitedMs: number): number {
  if (waitedMs < 10) return 1;
  if (waitedMs < 250) return 2;
  return Math.min(Math.floor(waitedMs / 16), MAX_POLL_INTERVAL_MS);
}

const MAX_POLL_INTERVAL_MS = 50;

/**
 * Output from the daemon (it often prints when it starts listening) brings the next check forward
 * to `minGapMs` after the previous one — but only output that breaks a silence of `quietMs`: a
 * daemon that prints all the time gets no more checks than a silent one.
 */
export const NUDGE = { minGapMs: 1, quietMs: 10 } as const;

/** After the daemon has exited, how long a last look at the probes may take. */
export const LAST_LOOK_MS = 10;

/**
 * Waits until every probe holds — one race of "all ready" against "the daemon exited", the
 * deadline and an abort. A daemon that exits ends the wait at once, even in the middle of a check
 * (after one last, short look: its last words may still be in the pipe). One controller is
 * aborted in `finally`, so no timer or listener outlives the call.
 */
export async function waitUntilReady(options: ReadinessOptions): Promise<ReadinessResult> {
  const clock = options.clock ?? realClock;
  const started = clock.now();
  const deadline = started + options.timeoutMs;
  const pending = new Set(options.probes);
  const controller = new AbortController();
  const onOuterAbort = () => controller.abort();
  if (options.signal?.aborted) controller.abort();
  else options.signal?.addEventListener('abort', onOuterAbort, { once: true });

  const alarm = new Alarm(clock, controller.signal);
  let lastCheckAt = -Infinity;
  let exit: ExitRecord | undefined;
  const exitObserved = options.exited.then(async (record) => {
    await options.afterExit?.().catch(() => undefined);
    exit = record;
    alarm.ring();
    return 'exited' as const;
  });
  // One timer for the whole wait, not one per round: a round takes a fraction of a millisecond.
  const deadlineReached = clock.sleep(options.timeoutMs, controller.signal).then(
    () => 'deadline' as const,
    () => 'deadline' as const,
  );
  const unwatch = options.probes.map((probe) => probe.watch?.(() => alarm.ring()) ?? (() => undefined));
  let lastOutputAt = -Infinity;
  const onNudge = () => {
    const now = clock.now();
    const afterQuiet = now - lastOutputAt >= NUDGE.quietMs;
    lastOutputAt = now;
    if (afterQuiet) alarm.ringAt(lastCheckAt + NUDGE.minGapMs);
  };
  const unnudge = options.nudges?.(onNudge) ?? (() => undefined);
  controller.signal.addEventListener('abort', () => alarm.ring(), { once: true });

  const elapsed = () => clock.now() - started;
  const settle = (round: RoundOutcome): ReadinessResult | undefined => {
    for (const probe of round.ready) pending.delete(probe);
    if (round.hopeless) return { ready: false, reason: 'hopeless', elapsedMs: elapsed(), pending: [...pending], ...round.hopeless };
    if (pending.size === 0) return { ready: true, elapsedMs: elapsed() };
    return undefined;
  };
  /** A round that may take at most LAST_LOOK_MS; undefined if it takes longer. */
  const briefRound = async (probes: Probe[]): Promise<RoundOutcome | undefined> => {
    const nap = new AbortController();
    const round = await Promise.race([checkRound(probes), clock.sleep(LAST_LOOK_MS, nap.signal).then(() => undefined, () => undefined)]);
    nap.abort();
    return round;
  };
  const lastLook = async (record: ExitRecord): Promise<ReadinessResult> => {
    const round = await briefRound([...pending]);
    const outcome = round && settle(round);
    if (outcome?.ready) return outcome;
    return { ready: false, reason: 'exited', elapsedMs: elapsed(), pending: [...pending], exit: record };
  };

  try {
    for (;;) {
      if (exit) return await lastLook(exit);
      lastCheckAt = clock.now();
      const heldSoFar: Probe[] = [];
      const round = await raceRound(checkRound([...pending], heldSoFar), exitObserved, deadlineReached, lastCheckAt >= deadline);
      if (round === 'exited') return await lastLook(exit!);
      if (round === 'deadline') {
        // A round the deadline cut short still counts what held in it, and what the events say holds
        // by now (they may have come while a slow check held the round up): only the rest is to blame.
        const watched = [...pending].filter((probe) => !probe.polled && !heldSoFar.includes(probe));
        if (watched.length > 0) heldSoFar.push(...((await briefRound(watched))?.ready ?? []));
      }
      const outcome = settle(round === 'deadline' ? { ready: heldSoFar } : round);
      if (outcome) return outcome;
      if (controller.signal.aborted) return { ready: false, reason: 'aborted', elapsedMs: elapsed(), pending: [...pending] };
      if (clock.now() >= deadline) return { ready: false, reason: 'timeout', elapsedMs: elapsed(), pending: [...pending] };
      const anyPolled = [...pending].some((probe) => probe.polled);
      await alarm.sleepUntil(anyPolled ? Math.min(lastCheckAt + pollIntervalMs(lastCheckAt - started), deadline) : deadline);
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
 * A round of checks, cut short by the daemon's exit, or by the deadline: a check that hangs (a
 * server that accepts and never answers) counts as "not yet" when the time is up. Past the
 * deadline a round runs its course (each probe bounds its own attempt), so `within 0 seconds`
 * still gets one honest look.
 */
function raceRound(
  round: Promise<RoundOutcome>,
  exitObserved: Promise<'exited'>,
  deadlineReached: Promise<'deadline'>,
  pastDeadline: boolean,
): Promise<RoundOutcome | 'exited' | 'deadline'> {
  return Promise.race(pastDeadline ? [round, exitObserved] : [round, exitObserved, deadlineReached]);
}

interface RoundOutcome {
  ready: Probe[];
  hopeless?: { probe: Probe; error: unknown };
}

/**
 * Checks probes side by side; a probe that throws makes the wait hopeless. Never rejects. Each
 * probe that holds is also pushed to `heldSoFar` as soon as it does.
 */
async function checkRound(probes: Probe[], heldSoFar: Probe[] = []): Promise<RoundOutcome> {
  const results = await Promise.all(
    probes.map((probe) =>
      probe.check().then(
        (ready) => {
          if (ready) heldSoFar.push(probe);
          return { probe, ready };
        },
        (error: unknown) => ({ probe, ready: false, error }),
      ),
    ),
  );
  const failed = results.find((result) => 'error' in result);
  return {
    ready: results.filter((result) => result.ready).map((result) => result.probe),
    hopeless: failed && 'error' in failed ? { probe: failed.probe, error: failed.error } : undefined,
  };
}

/**
 * A sleep that can be cut short: `ring()` wakes it at once, `ringAt(t)` brings the wake-up forward
 * to `t` (never later than planned). A ring while nobody sleeps is remembered for the next sleep.
 */
class Alarm {
  private target: number | undefined;
  private earliest = Infinity;
  private cancelNap: (() => void) | undefined;

  constructor(
    private readonly clock: Clock,
    private readonly signal: AbortSignal,
  ) {}

  async sleepUntil(time: number): Promise<void> {
    this.target = Math.min(time, this.earliest);
    this.earliest = Infinity;
    try {
      // Timers have whole milliseconds: round up, or a nap of 1.7 ms ends after 1 ms and costs a second wake-up.
      let retargeted = true;
      while (retargeted && !this.signal.aborted && this.clock.now() < this.target) {
        const nap = new AbortController();
        retargeted = false;
        this.cancelNap = () => {
          retargeted = true;
          nap.abort();
        };
        await this.clock.sleep(Math.ceil(this.target - this.clock.now()), nap.signal).catch(() => undefined);
      }
    } finally {
      this.target = undefined;
      this.cancelNap = undefined;
    }
  }

  ring(): void {
    this.ringAt(-Infinity);
  }

  ringAt(time: number): void {
    if (this.target === undefined) {
      this.earliest = Math.min(this.earliest, time);
    } else if (time < this.target) {
      this.target = time;
      this.cancelNap?.();
    }
  }
}

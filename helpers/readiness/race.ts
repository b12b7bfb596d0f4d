import { realClock, type Clock } from '../supervision/clock.js';
import type { ExitRecord } from '../process/exit.js';
import { Alarm, LAST_LOOK_MS, NUDGE, pollIntervalMs } from './poll.js';
import { isPolled, type Probe } from './probe.js';

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
 * Waits until every probe holds — one race of "all ready" against "the daemon exited", the
 * deadline and an abort. A daemon that exits ends the wait at once, even in the middle of a check
 * (after one last, short look: its last words may still be in the pipe). One controller is
 * aborted in `finally`, so no timer or listener outlives the call.
 */
export async function waitUntilReady(options: ReadinessOptions): Promise<ReadinessResult> {
  // Nothing to wait for (a start without conditions): ready at once, without the wait's timers.
  if (options.probes.length === 0) return { ready: true, elapsedMs: 0 };
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
    const thorough = [...pending].filter((probe) => probe.finalCheck);
    const heldInTheEnd = await Promise.all(thorough.map((probe) => probe.finalCheck!().catch(() => false)));
    const held = thorough.filter((_, i) => heldInTheEnd[i]);
    const round = await briefRound([...pending].filter((probe) => !probe.finalCheck));
    const outcome = settle({ ready: [...(round?.ready ?? []), ...held], hopeless: round?.hopeless });
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
        const watched = [...pending].filter((probe) => !isPolled(probe) && !heldSoFar.includes(probe));
        if (watched.length > 0) heldSoFar.push(...((await briefRound(watched))?.ready ?? []));
      }
      const outcome = settle(round === 'deadline' ? { ready: heldSoFar } : round);
      if (outcome) return outcome;
      if (controller.signal.aborted) return { ready: false, reason: 'aborted', elapsedMs: elapsed(), pending: [...pending] };
      if (clock.now() >= deadline) return { ready: false, reason: 'timeout', elapsedMs: elapsed(), pending: [...pending] };
      const anyPolled = [...pending].some((probe) => isPolled(probe));
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


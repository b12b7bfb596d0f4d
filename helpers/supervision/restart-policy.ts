import { InvalidArgumentError } from '../errors.js';

/** When and how often a supervised process is started again after it exits. Times in milliseconds. */
export interface RestartPolicy {
  /** The first delay before a restart, and the delay again after a long run. Default 1 s. */
  minDelayMs: number;
  /** The delay never grows beyond this. Default 60 s. */
  maxDelayMs: number;
  /** A process that dies sooner than this after its start died quickly: the delay doubles. Default 5 s. */
  thresholdMs: number;
  /** This many quick deaths in a row and the supervisor gives up: FATAL (supervisord's start retries). Default 3. */
  maxQuickDeaths: number;
  /** Never give up, however quickly it dies (Twisted's procmon). Default false. */
  forever: boolean;
}

export const DEFAULT_RESTART_POLICY: Readonly<RestartPolicy> = Object.freeze({
  minDelayMs: 1000,
  maxDelayMs: 60_000,
  thresholdMs: 5000,
  maxQuickDeaths: 3,
  forever: false,
});

/** The defaults with `overrides` applied, checked: an impossible policy is an error that says why. */
export function restartPolicy(overrides: Partial<RestartPolicy> = {}): RestartPolicy {
  const policy: RestartPolicy = { ...DEFAULT_RESTART_POLICY, ...withoutUndefined(overrides) };
  for (const key of ['minDelayMs', 'maxDelayMs', 'thresholdMs'] as const) {
    if (!Number.isFinite(policy[key]) || policy[key] < 0) {
      throw new InvalidArgumentError(`restart policy: ${key} is ${policy[key]}; it must be a number of milliseconds, 0 or more`);
    }
  }
  if (policy.minDelayMs > policy.maxDelayMs) {
    throw new InvalidArgumentError(
      `restart policy: the minimum delay (${policy.minDelayMs} ms) is larger than the maximum (${policy.maxDelayMs} ms); swap them`,
    );
  }
  if (!Number.isInteger(policy.maxQuickDeaths) || policy.maxQuickDeaths < 1) {
    throw new InvalidArgumentError(`restart policy: maxQuickDeaths is ${policy.maxQuickDeaths}; it must be a whole number, 1 or more`);
  }
  return policy;
}

function withoutUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

export type AfterDeath = { restart: true; delayMs: number } | { restart: false; quickDeaths: number };

/**
 * The back-off of one supervised process. Every restart waits at least the minimum delay; each
 * death sooner than the threshold after the start doubles the next delay (up to the maximum) and
 * counts as a quick death; a longer run starts the back-off over.
 */
export class BackOff {
  private nextDelayMs: number;
  private quickDeathsInARow = 0;

  constructor(readonly policy: RestartPolicy) {
    this.nextDelayMs = policy.minDelayMs;
  }

  /** Forgets the history: a fresh start. */
  reset(): void {
    this.nextDelayMs = this.policy.minDelayMs;
    this.quickDeathsInARow = 0;
  }

  get quickDeaths(): number {
    return this.quickDeathsInARow;
  }

  /** What to do after the process died `ranMs` after it was started. */
  afterDeath(ranMs: number): AfterDeath {
    if (ranMs >= this.policy.thresholdMs) {
      this.reset();
      return { restart: true, delayMs: this.policy.minDelayMs };
    }
    this.quickDeathsInARow += 1;
    if (!this.policy.forever && this.quickDeathsInARow >= this.policy.maxQuickDeaths) {
      return { restart: false, quickDeaths: this.quickDeathsInARow };
    }
    const delayMs = this.nextDelayMs;
    this.nextDelayMs = Math.min(this.nextDelayMs * 2, this.policy.maxDelayMs);
    return { restart: true, delayMs };
  }
}

import { InvalidArgumentError, normalizeSignal } from '../../helpers/index.js';
import { MAX_SECONDS } from '../../helpers/seconds.js';

/**
 * Aruba's settings, with its names and units: `worldParameters.aruba` in cucumber.json
 * (`{"exit_timeout": 1, "io_wait_timeout": 0.1, "startup_wait_time": 0.5, "stop_signal": "HUP"}`),
 * then changed for one scenario by the configuration steps.
 */
export interface ArubaSettings {
  /** How long `I run` and every check that stops a command wait for it to end by itself (Aruba: 15 s). */
  exitTimeoutMs: number;
  /** How long a read of a running command's output first waits for more of it (Aruba: 0.1 s). */
  ioWaitTimeoutMs: number;
  /** How long every start waits before the next step, unless the command ends sooner (Aruba: 0). */
  startupWaitTimeMs: number;
  /** The signal that stops a command; none: SIGTERM, then SIGKILL after the grace (Aruba: nil). */
  stopSignal: NodeJS.Signals | undefined;
}

export const ARUBA_DEFAULTS: Readonly<ArubaSettings> = Object.freeze({
  exitTimeoutMs: 15_000,
  ioWaitTimeoutMs: 100,
  startupWaitTimeMs: 0,
  stopSignal: undefined,
});

const KEYS = ['exit_timeout', 'io_wait_timeout', 'startup_wait_time', 'stop_signal'] as const;
type Key = (typeof KEYS)[number];

/** Seconds as Aruba takes them: a number, 0 allowed; refused with what to write otherwise. */
export function arubaSeconds(value: unknown, what: string): number {
  const seconds = typeof value === 'string' && /^\d+(\.\d+)?$/.test(value.trim()) ? Number(value) : value;
  if (typeof seconds !== 'number' || !Number.isFinite(seconds) || seconds < 0 || seconds > MAX_SECONDS) {
    throw new InvalidArgumentError(`Aruba's ${what}: ${JSON.stringify(value)} is not a number of seconds; write one from 0 to ${MAX_SECONDS}, e.g. 1 or 0.5`);
  }
  return seconds * 1000;
}

/** A stop signal as Aruba takes it ("HUP", "SIGINT"); an unknown name lists the valid ones. */
export function arubaSignal(value: unknown): NodeJS.Signals {
  if (typeof value !== 'string') {
    throw new InvalidArgumentError(`Aruba's stop_signal: ${JSON.stringify(value)} is not a signal name; write one like "HUP" or "INT"`);
  }
  return normalizeSignal(value);
}

/** The settings `worldParameters.aruba` gives, over Aruba's defaults. */
export function readArubaSettings(parameters: unknown): ArubaSettings {
  if (parameters === undefined || parameters === null) return { ...ARUBA_DEFAULTS };
  if (typeof parameters !== 'object' || Array.isArray(parameters)) {
    throw new InvalidArgumentError(`worldParameters.aruba must be an object like {"exit_timeout": 1}, not ${JSON.stringify(parameters)}`);
  }
  const given = parameters as Record<string, unknown>;
  for (const key of Object.keys(given)) {
    if (!(KEYS as readonly string[]).includes(key)) {
      throw new InvalidArgumentError(`worldParameters.aruba: unknown setting '${key}'; the settings are ${KEYS.join(', ')}`);
    }
  }
  const has = (key: Key) => given[key] !== undefined && given[key] !== null;
  return {
    exitTimeoutMs: has('exit_timeout') ? arubaSeconds(given.exit_timeout, 'exit_timeout') : ARUBA_DEFAULTS.exitTimeoutMs,
    ioWaitTimeoutMs: has('io_wait_timeout') ? arubaSeconds(given.io_wait_timeout, 'io_wait_timeout') : ARUBA_DEFAULTS.ioWaitTimeoutMs,
    startupWaitTimeMs: has('startup_wait_time') ? arubaSeconds(given.startup_wait_time, 'startup_wait_time') : ARUBA_DEFAULTS.startupWaitTimeMs,
    stopSignal: has('stop_signal') ? arubaSignal(given.stop_signal) : undefined,
  };
}

import { CONTAINMENT_SETTINGS, type ContainmentSetting } from './containment/containment.js';
import { InvalidArgumentError } from './errors.js';
import { isInSecondsRange, SECONDS_RANGE } from './seconds.js';

export type KeepWorkspace = 'on-failure' | 'always' | 'never';

/** Whether a workspace outlives what used it, by the setting and by whether something went wrong there. */
export function keepsWorkspace(setting: KeepWorkspace, failed: boolean): boolean {
  return setting === 'always' || (failed && setting === 'on-failure');
}

/** Settings, times in milliseconds here (seconds where a person writes them). */
export interface DaemonStepsConfig {
  startTimeoutMs: number;
  stopGraceMs: number;
  outputTimeoutMs: number;
  exitTimeoutMs: number;
  fixtures: string;
  keepWorkspace: KeepWorkspace;
  host: string;
  /** How daemons are contained: cgroup where possible (`auto`), always, or never (`process-group`). */
  containment: ContainmentSetting;
  /** Whether the start of a run ends what abandoned runs of this user left behind. */
  sweep: boolean;
}

/**
 * The one source of the timing defaults (STEPS.md "Configuration"), in milliseconds: the settings
 * fall back to these, and so does the engine where it is used without a configuration.
 */
export const DEFAULTS = {
  startTimeoutMs: 5000,
  stopGraceMs: 3000,
  outputTimeoutMs: 5000,
  exitTimeoutMs: 15_000,
} as const;

interface Setting {
  key: string;
  variable: string;
  fallback: string | number;
  parse(value: unknown, where: string): Partial<DaemonStepsConfig>;
}

const seconds = (field: keyof DaemonStepsConfig) => (value: unknown, where: string) => {
  const number = typeof value === 'number' ? value : Number(String(value).trim());
  if (!isInSecondsRange(number) || String(value).trim() === '') {
    throw new InvalidArgumentError(`${where} = ${JSON.stringify(value)}: expected a number ${SECONDS_RANGE}`);
  }
  return { [field]: Math.round(number * 1000) };
};

export const SETTINGS: readonly Setting[] = [
  { key: 'startTimeout', variable: 'DAEMON_STEPS_START_TIMEOUT', fallback: DEFAULTS.startTimeoutMs / 1000, parse: seconds('startTimeoutMs') },
  { key: 'stopGrace', variable: 'DAEMON_STEPS_STOP_GRACE', fallback: DEFAULTS.stopGraceMs / 1000, parse: seconds('stopGraceMs') },
  { key: 'outputTimeout', variable: 'DAEMON_STEPS_OUTPUT_TIMEOUT', fallback: DEFAULTS.outputTimeoutMs / 1000, parse: seconds('outputTimeoutMs') },
  { key: 'exitTimeout', variable: 'DAEMON_STEPS_EXIT_TIMEOUT', fallback: DEFAULTS.exitTimeoutMs / 1000, parse: seconds('exitTimeoutMs') },
  {
    key: 'fixtures',
    variable: 'DAEMON_STEPS_FIXTURES',
    fallback: 'features/fixtures',
    parse: (value, where) => {
      if (typeof value !== 'string' || value === '') throw new InvalidArgumentError(`${where}: expected a directory path`);
      return { fixtures: value };
    },
  },
  {
    key: 'keepWorkspace',
    variable: 'DAEMON_STEPS_KEEP_WORKSPACE',
    fallback: 'on-failure',
    parse: (value, where) => {
      if (value !== 'on-failure' && value !== 'always' && value !== 'never') {
        throw new InvalidArgumentError(`${where} = ${JSON.stringify(value)}: expected "on-failure", "always" or "never"`);
      }
      return { keepWorkspace: value };
    },
  },
  {
    key: 'host',
    variable: 'DAEMON_STEPS_HOST',
    fallback: '127.0.0.1',
    parse: (value, where) => {
      if (typeof value !== 'string' || value === '') throw new InvalidArgumentError(`${where}: expected a host name or address, e.g. 127.0.0.1`);
      return { host: value };
    },
  },
  {
    key: 'containment',
    variable: 'DAEMON_STEPS_CONTAINMENT',
    fallback: 'auto',
    parse: (value, where) => {
      if (!CONTAINMENT_SETTINGS.includes(value as ContainmentSetting)) {
        throw new InvalidArgumentError(`${where} = ${JSON.stringify(value)}: expected ${CONTAINMENT_SETTINGS.map((s) => `"${s}"`).join(', ')}`);
      }
      return { containment: value as ContainmentSetting };
    },
  },
  {
    key: 'sweep',
    variable: 'DAEMON_STEPS_SWEEP',
    fallback: 'on',
    parse: (value, where) => {
      if (value !== 'on' && value !== 'off') throw new InvalidArgumentError(`${where} = ${JSON.stringify(value)}: expected "on" or "off"`);
      return { sweep: value === 'on' };
    },
  },
];

/**
 * The configuration from `worldParameters.daemonSteps` (or any plain object) and DAEMON_STEPS_*
 * variables, which win. Unknown keys and bad values are errors that say what is accepted.
 */
export function resolveConfig(parameters: unknown = {}, env: NodeJS.ProcessEnv = process.env): DaemonStepsConfig {
  if (parameters === null || typeof parameters !== 'object' || Array.isArray(parameters)) {
    throw new InvalidArgumentError(`worldParameters.daemonSteps must be an object, got ${JSON.stringify(parameters)}`);
  }
  const given = parameters as Record<string, unknown>;
  const unknown = Object.keys(given).filter((key) => !SETTINGS.some((s) => s.key === key));
  if (unknown.length > 0) {
    throw new InvalidArgumentError(
      `unknown key${unknown.length > 1 ? 's' : ''} in worldParameters.daemonSteps: ${unknown.join(', ')}; known keys: ${SETTINGS.map((s) => s.key).join(', ')}`,
    );
  }
  let config = {} as DaemonStepsConfig;
  for (const setting of SETTINGS) {
    const fromEnv = env[setting.variable];
    const value = fromEnv !== undefined && fromEnv !== '' ? fromEnv : (given[setting.key] ?? setting.fallback);
    const where = fromEnv !== undefined && fromEnv !== '' ? setting.variable : given[setting.key] !== undefined ? `worldParameters.daemonSteps.${setting.key}` : setting.key;
    config = { ...config, ...setting.parse(value, where) };
  }
  return config;
}

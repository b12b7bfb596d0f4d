/**
 * The environment variables `daemon-steps run` prints for `eval`, like ssh-agent's: where each
 * service is, which process owns them all, and the settings file other processes can read.
 * Tests that find them use the running services instead of starting their own.
 */

/** The pid of the process that started the services and stops them (`kill` it to stop them all). */
export const CONTROL_PID_VARIABLE = 'DAEMON_STEPS_CONTROL_PID';
/** The settings file (JSON) that describes the running services. */
export const SETTINGS_VARIABLE = 'DAEMON_STEPS_SETTINGS';

export type ServiceField = 'PORT' | 'PID';

/** `DAEMON_STEPS_<NAME>_<field>`, where NAME is `variableStem(name)`: `kv-store` → `KV_STORE`. */
export function serviceVariable(name: string, field: ServiceField): string {
  return `DAEMON_STEPS_${variableStem(name)}_${field}`;
}

/** The part of a service's variables that comes from its name: upper case, `_` for anything else. */
export function variableStem(name: string): string {
  return name.toUpperCase().replace(/[^A-Z0-9]/g, '_');
}

/** Every variable `daemon-steps run` sets, whatever the services are called (for `stop` without a settings file). */
export function isServicesVariable(name: string): boolean {
  return name === CONTROL_PID_VARIABLE || name === SETTINGS_VARIABLE || /^DAEMON_STEPS_[A-Z0-9_]+_(PORT|PID)$/.test(name);
}

/** A word a POSIX shell reads back as exactly `value`. */
export function shellQuote(value: string): string {
  if (/^[A-Za-z0-9_./:@%+=,-]+$/.test(value)) return value;
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

/** `export NAME=value`, quoted for sh, bash and zsh. */
export function exportLine(name: string, value: string): string {
  return `export ${name}=${shellQuote(value)}`;
}

export function unsetLine(name: string): string {
  return `unset ${name}`;
}

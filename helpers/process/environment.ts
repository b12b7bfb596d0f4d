import { InvalidEnvironmentError, describeDaemon, type DaemonContext } from '../errors.js';

/**
 * Why a variable cannot be handed to a process, or undefined when it can. The kernel takes the
 * environment as NUL-terminated `NAME=value` strings: a name with '=' silently becomes another
 * variable (`"A=B": "c"` sets A to `B=c`), an empty one is nothing a program can look up, and a NUL
 * would cut the string short (Node refuses it when spawning).
 */
export function environmentVariableProblem(name: string, value: string): string | undefined {
  if (name === '') return 'environment variable name "" is empty';
  if (name.includes('=')) return `environment variable name ${JSON.stringify(name)} holds '=', which would make it a variable named ${JSON.stringify(name.slice(0, name.indexOf('=')))}`;
  if (name.includes('\0')) return `environment variable name ${JSON.stringify(name)} holds a NUL character`;
  if (value.includes('\0')) return `environment variable ${name}: its value ${JSON.stringify(value)} holds a NUL character, which no process can receive`;
  return undefined;
}

/** Refuses variables no process can receive; `daemon` names whose start it stops. */
export function assertValidEnvironment(variables: Record<string, string>, daemon?: DaemonContext): void {
  for (const [name, value] of Object.entries(variables)) {
    const problem = environmentVariableProblem(name, value);
    if (problem === undefined) continue;
    throw new InvalidEnvironmentError(`${daemon ? `cannot start ${describeDaemon(daemon)}: ` : ''}${problem}`, { daemon });
  }
}

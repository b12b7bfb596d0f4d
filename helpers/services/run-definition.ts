import { SharedServiceError } from '../errors.js';
import { sayRemedy, wording } from '../remedies.js';
import type { StartOptions } from '../scope.js';
import type { ServiceDefinition } from './services-file.js';

/**
 * What a service of a services file is, as a scenario would ask for it: the command as written
 * (placeholders unexpanded), its port and its environment. Readiness and its deadline are left
 * out: the instance is ready already, whatever a scenario would have waited for.
 */
export interface RunDefinition {
  command: string;
  port?: number | 'free';
  environment: Record<string, string>;
}

export function runDefinition(service: ServiceDefinition): RunDefinition {
  return { command: service.command, port: service.port, environment: service.environment };
}

/**
 * A scenario that asks for shared service `request.name` with another command, port or
 * environment than the instance `daemon-steps run` started would test something else: an error
 * that names both, and what to do.
 */
export function assertSameDefinition(
  request: StartOptions,
  running: { definition?: RunDefinition; file: string; pid: number },
): void {
  const started = running.definition;
  // A settings file of an earlier version has no definition to compare with.
  if (!started) return;
  const asked = askedDefinition(request);
  const differences: string[] = [];
  if (asked.command !== started.command) differences.push('the command');
  if (asked.port !== started.port) differences.push('the port');
  if (!sameEnvironment(asked.environment, started.environment)) differences.push('the environment');
  if (differences.length === 0) return;
  throw new SharedServiceError(
    `shared service '${request.name}' is asked for here as ${describeDefinition(asked)}, ` +
      `but the instance that daemon-steps run started from ${running.file} (pid ${running.pid}) is ${describeDefinition(started)}: ` +
      `${joinWords(differences)} ${differences.length === 1 ? 'differs' : 'differ'}. A shared service has one definition: ` +
      sayRemedy({ kind: 'same-definition' }),
  );
}

function askedDefinition(request: StartOptions): RunDefinition {
  const command = typeof request.command === 'string' ? request.command : request.command.join(' ');
  return { command, port: request.port, environment: { ...request.env } };
}

function sameEnvironment(a: Record<string, string>, b: Record<string, string>): boolean {
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((key) => b[key] === a[key]);
}

/** `"./kv-server.py ${kv.port}", port: 'free', env: {"MODE":"test"}`, or as a step writes it (`, on a free port`). */
export function describeDefinition(definition: RunDefinition): string {
  const { start } = wording();
  const port = definition.port === undefined ? '' : definition.port === 'free' ? start.freePort : start.port(definition.port);
  const environment = Object.keys(definition.environment).length === 0 ? '' : start.environment(JSON.stringify(definition.environment));
  return `"${definition.command}"${port}${environment}`;
}

function joinWords(words: string[]): string {
  return words.length === 1 ? words[0]! : `${words.slice(0, -1).join(', ')} and ${words.at(-1)!}`;
}

import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import type { StartClauses } from './clause-grammar.js';
import { parseReady, readinessClauses } from './service-readiness.js';
import { describeValue, isObject } from './json-value.js';
import { splitCommand } from '../process/command-line.js';
import { ServicesFileError } from '../errors.js';
import { findJsonSyntaxProblem, lineAndColumn } from '../json-error.js';
import { dependenciesOf, startOrder } from './start-order.js';
import { CONTROL_PID_VARIABLE, variableStem } from './service-variables.js';
import { closestWord } from '../suggest.js';
import { isValidName, NAME_RULE } from '../names.js';
import { placeholdersIn } from '../placeholders.js';
import { isPortNumber } from '../ports/port-number.js';

/** One service of a services file, checked and with its paths made absolute. */
export interface ServiceDefinition {
  name: string;
  command: string;
  /** A fixed port, or one nobody uses ("free"); the service is ready once it accepts connections. */
  port?: number | 'free';
  environment: Record<string, string>;
  /** The readiness clauses as written, e.g. `waiting for HTTP /health`. */
  ready: string[];
  /** The working directory, absolute (placeholders in it still unexpanded). */
  directory: string;
  /** Services that must be ready before this one starts. */
  dependencies: string[];
  /** Everything above as the clauses of a start, for `DaemonScope.start`. */
  clauses: StartClauses;
}

export interface ServicesFile {
  /** As given, for messages. */
  file: string;
  /** Absolute. */
  path: string;
  /** In an order that starts every dependency before the services that need it. */
  services: ServiceDefinition[];
}

const SERVICE_FIELDS = ['command', 'port', 'environment', 'ready', 'directory', 'dependencies'] as const;
const TOP_LEVEL_FIELDS = ['services'] as const;

const EXAMPLE = '{"services": {"web": {"command": "./server.py ${web.port}", "port": "free", "ready": "waiting for HTTP /health"}}}';

/** Reads and checks a services file; every problem is a ServicesFileError naming the field. */
export function loadServicesFile(file: string, cwd = process.cwd()): ServicesFile {
  const absolute = path.resolve(cwd, file);
  let text: string;
  try {
    text = readFileSync(absolute, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? `there is no such file (looked for ${absolute})` : code === 'EISDIR' ? `${absolute} is a directory` : (error as Error).message;
    throw new ServicesFileError(file, `cannot read the services file: ${why}`);
  }
  return parseServicesFile(text, file, absolute);
}

/** Checks the text of a services file; `absolute` is where it is (relative paths start from its directory). */
export function parseServicesFile(text: string, file: string, absolute: string): ServicesFile {
  const fail = (problem: string): never => {
    throw new ServicesFileError(file, problem);
  };
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    const problem = findJsonSyntaxProblem(text);
    if (!problem) fail(`not valid JSON: ${(error as Error).message}`);
    const { line, column } = lineAndColumn(text, problem!.offset);
    fail(`not valid JSON: ${problem!.reason} at line ${line}, column ${column}`);
  }
  if (!isObject(parsed)) return fail(`the file must hold a JSON object, like ${EXAMPLE}`);
  for (const key of Object.keys(parsed)) {
    if (!(TOP_LEVEL_FIELDS as readonly string[]).includes(key)) fail(unknownField(key, 'the top level', TOP_LEVEL_FIELDS));
  }
  const services = parsed.services;
  if (services === undefined) fail(`"services" is missing: name each service in it, like ${EXAMPLE}`);
  if (!isObject(services)) return fail(`"services" must be an object naming each service, like ${EXAMPLE}; got ${describeValue(services)}`);
  const names = Object.keys(services);
  if (names.length === 0) fail('"services" is empty: name at least one service');
  checkNames(names, fail);
  const directory = path.dirname(absolute);
  const definitions = names.map((name) => parseService(name, services[name], names, directory, fail));
  checkPlaceholders(definitions, fail);
  return { file, path: absolute, services: startOrder(definitions, fail) };
}

function checkNames(names: string[], fail: (problem: string) => never): void {
  const stems = new Map<string, string>();
  for (const name of names) {
    if (!isValidName(name)) fail(`services.${JSON.stringify(name)}: a service's name may only have ${NAME_RULE}`);
    const stem = variableStem(name);
    if (`DAEMON_STEPS_${stem}_PID` === CONTROL_PID_VARIABLE) {
      fail(`services.${name}: the name '${name}' would make its pid DAEMON_STEPS_${stem}_PID, which is the control process's variable; choose another name`);
    }
    const other = stems.get(stem);
    if (other !== undefined) {
      fail(`services.${other} and services.${name} would both be DAEMON_STEPS_${stem}_PORT and _PID in the environment; rename one of them`);
    }
    stems.set(stem, name);
  }
}

function parseService(name: string, value: unknown, names: string[], fileDirectory: string, fail: (problem: string) => never): ServiceDefinition {
  const at = `services.${name}`;
  if (!isObject(value)) return fail(`${at} must be an object with at least a "command", like {"command": "./server.py"}; got ${describeValue(value)}`);
  for (const key of Object.keys(value)) {
    if (!(SERVICE_FIELDS as readonly string[]).includes(key)) fail(unknownField(key, at, SERVICE_FIELDS));
  }
  const command = parseCommand(value.command, at, fail);
  const port = parsePort(value.port, at, fail);
  const environment = parseEnvironment(value.environment, at, fail);
  const directory = parseDirectory(value.directory, at, fileDirectory, fail);
  const ready = parseReady(value.ready, at, fail);
  const dependencies = parseDependencies(value.dependencies, name, at, names, fail);
  const readiness = readinessClauses(ready, at, port, directory, fail);
  const clauses: StartClauses = {
    ...readiness,
    port: port === undefined ? undefined : port === 'free' ? { kind: 'free' } : { kind: 'fixed', port: String(port) },
    environment: [environment],
    environmentFromTable: false,
    directory,
  };
  return { name, command, port, environment, ready, directory, dependencies, clauses };
}

function parseCommand(value: unknown, at: string, fail: (problem: string) => never): string {
  if (value === undefined) fail(`${at}.command is missing: the command that starts the service, e.g. "./server.py \${${at.slice(9)}.port}"`);
  if (typeof value !== 'string') return fail(`${at}.command must be a string, got ${describeValue(value)}`);
  try {
    splitCommand(value);
  } catch (error) {
    fail(`${at}.command: ${(error as Error).message}`);
  }
  return value;
}

function parsePort(value: unknown, at: string, fail: (problem: string) => never): number | 'free' | undefined {
  if (value === undefined || value === 'free') return value;
  if (isPortNumber(value)) return value;
  return fail(`${at}.port must be a port number (1 to 65535) or "free", got ${describeValue(value)}`);
}

function parseEnvironment(value: unknown, at: string, fail: (problem: string) => never): Record<string, string> {
  if (value === undefined) return {};
  if (!isObject(value)) return fail(`${at}.environment must be an object of variables, like {"LOG_LEVEL": "debug"}; got ${describeValue(value)}`);
  const environment: Record<string, string> = {};
  for (const [key, entry] of Object.entries(value)) {
    if (typeof entry !== 'string' && typeof entry !== 'number' && typeof entry !== 'boolean') {
      fail(`${at}.environment.${key} must be a string, a number or a boolean, got ${describeValue(entry)}`);
    }
    environment[key] = String(entry);
  }
  return environment;
}

function parseDirectory(value: unknown, at: string, fileDirectory: string, fail: (problem: string) => never): string {
  if (value === undefined) return fileDirectory;
  if (typeof value !== 'string' || value === '') return fail(`${at}.directory must be a path (relative to the services file's directory), got ${describeValue(value)}`);
  if (value.startsWith('${')) return value;
  const directory = path.resolve(fileDirectory, value);
  if (!value.includes('${') && !(existsSync(directory) && statSync(directory).isDirectory())) {
    fail(`${at}.directory: ${existsSync(directory) ? `${directory} is not a directory` : `there is no directory ${directory}`} (a relative path starts from the services file's directory)`);
  }
  return directory;
}

function parseDependencies(value: unknown, name: string, at: string, names: string[], fail: (problem: string) => never): string[] {
  if (value === undefined) return [];
  if (!Array.isArray(value) || value.some((entry) => typeof entry !== 'string')) {
    return fail(`${at}.dependencies must be a list of service names, like ["db"]; got ${describeValue(value)}`);
  }
  for (const dependency of value as string[]) {
    if (dependency === name) fail(`${at}.dependencies: a service cannot depend on itself`);
    if (!names.includes(dependency)) {
      const closest = closestWord(dependency, names);
      fail(`${at}.dependencies: "${dependency}" is not a service of this file${closest ? ` (did you mean "${closest}"?)` : ''}; its services: ${names.join(', ')}`);
    }
  }
  return [...new Set(value as string[])];
}

/** `${NAME.port}` and `${NAME.pid}` may name the service itself (its port) or a service it depends on. */
function checkPlaceholders(definitions: ServiceDefinition[], fail: (problem: string) => never): void {
  const byName = new Map(definitions.map((d) => [d.name, d]));
  for (const service of definitions) {
    const before = dependenciesOf(service.name, byName);
    const places: Array<[string, string]> = [
      [`services.${service.name}.command`, service.command],
      [`services.${service.name}.directory`, service.directory],
      ...Object.entries(service.environment).map(([key, value]): [string, string] => [`services.${service.name}.environment.${key}`, value]),
      ...service.ready.map((clause): [string, string] => [`services.${service.name}.ready`, clause]),
    ];
    for (const [at, text] of places) {
      for (const placeholder of placeholdersIn(text)) {
        if (placeholder.kind !== 'daemon') continue;
        const { whole, name, field } = placeholder;
        if (field !== 'port' && field !== 'pid') fail(`${at}: unknown placeholder ${whole}; use \${NAME.port}, \${NAME.pid} or \${workspace}`);
        const target = byName.get(name);
        if (!target) {
          const closest = closestWord(name, [...byName.keys()]);
          fail(`${at}: ${whole} names no service of this file${closest ? ` (did you mean ${closest}?)` : ''}; its services: ${[...byName.keys()].join(', ')}`);
        }
        if (name === service.name && field === 'pid') fail(`${at}: ${whole}: a service's own pid is not known before it starts`);
        if (name !== service.name && !before.has(name)) {
          fail(`${at}: ${whole} refers to service '${name}', which ${service.name} does not depend on: add "dependencies": ["${name}"] so that it starts first`);
        }
        if (field === 'port' && target!.port === undefined) fail(`${at}: ${whole}: service '${name}' has no "port"; give it one (a number, or "free")`);
      }
    }
  }
}

function unknownField(key: string, where: string, known: readonly string[]): string {
  const closest = closestWord(key, known);
  const field = where === 'the top level' ? `"${key}" at the top level` : `"${key}" in ${where}`;
  return `unknown field ${field}${closest ? `; did you mean "${closest}"?` : ''} ${where === 'the top level' ? 'The top level has' : 'A service has'}: ${known.join(', ')}`;
}

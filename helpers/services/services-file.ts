import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { parseClauses, splitClauses, type StartClauses, type WaitClause } from '../../support/clauses.js';
import { splitCommand } from '../process/command-line.js';
import { ServicesFileError } from '../errors.js';
import { findJsonSyntaxProblem } from '../json-error.js';
import { CONTROL_PID_VARIABLE, variableStem } from './service-variables.js';
import { closestWord } from '../suggest.js';

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
const NAME = /^[A-Za-z0-9_.-]+$/;
const PLACEHOLDER = /\$\{([A-Za-z0-9_.-]+)\.([A-Za-z]+)\}/g;

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
    if (!NAME.test(name)) fail(`services.${JSON.stringify(name)}: a service's name may only have letters, digits, '_', '.' and '-'`);
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
  if (typeof value === 'number' && Number.isInteger(value) && value >= 1 && value <= 65535) return value;
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

function parseReady(value: unknown, at: string, fail: (problem: string) => never): string[] {
  if (value === undefined) return [];
  const clauses = typeof value === 'string' ? [value] : value;
  if (!Array.isArray(clauses) || clauses.some((clause) => typeof clause !== 'string')) {
    return fail(`${at}.ready must be a string of clauses or a list of them, like "waiting for HTTP /health, within 10 seconds"; got ${describeValue(value)}`);
  }
  const written: string[] = [];
  for (const text of clauses as string[]) {
    const trimmed = text.trim().replace(/^,\s*/, '');
    if (trimmed === '') continue;
    try {
      written.push(...splitClauses(`, ${trimmed}`));
    } catch (error) {
      fail(`${at}.ready: ${(error as Error).message}`);
    }
  }
  return written;
}

const READINESS_HELP =
  'a service is ready when all of its clauses hold: waiting for stdout to contain "TEXT" (or stderr, output), ' +
  'waiting for HTTP /PATH, waiting for file PATH; and within N seconds sets how long that may take';

/** Only readiness clauses belong in "ready"; the rest of a start step has fields of its own. */
const ELSEWHERE: Array<[keyof StartClauses, string]> = [
  ['port', 'set "port" instead (a number, or "free")'],
  ['environment', 'set "environment" instead'],
  ['directory', 'set "directory" instead'],
  ['restart', 'daemon-steps run does not restart services that exit'],
  ['resetCommand', 'a reset belongs to the step "Given the shared service NAME started with …" of a scenario'],
];

function readinessClauses(
  ready: string[],
  at: string,
  port: number | 'free' | undefined,
  directory: string,
  fail: (problem: string) => never,
): Pick<StartClauses, 'waits' | 'withinSeconds'> {
  const waits: WaitClause[] = [];
  let withinSeconds: number | undefined;
  for (const clause of ready) {
    let parsed: StartClauses;
    try {
      parsed = parseClauses(`, ${clause}`);
    } catch (error) {
      const message = (error as Error).message;
      if (message.startsWith('unknown clause')) fail(`${at}.ready: unknown clause "${clause}"; ${READINESS_HELP}`);
      return fail(`${at}.ready: ${message}`);
    }
    for (const [key, hint] of ELSEWHERE) {
      const set = key === 'environment' ? parsed.environment.length > 0 || parsed.environmentFromTable : parsed[key] !== undefined;
      if (set) fail(`${at}.ready: "${clause}" is not a readiness clause: ${hint}`);
    }
    if (parsed.withinSeconds !== undefined) {
      if (withinSeconds !== undefined) fail(`${at}.ready: two clauses set the readiness deadline ("within …"); keep one`);
      withinSeconds = parsed.withinSeconds;
    }
    for (const wait of parsed.waits) {
      if (wait.kind === 'http' && port === undefined) fail(`${at}.ready: "${clause}" needs a port: set "port" (a number, or "free")`);
      // Like "directory", a relative file is relative to where the service runs.
      if (wait.kind === 'file' && !path.isAbsolute(wait.path) && !wait.path.startsWith('${') && !directory.startsWith('${')) {
        waits.push({ kind: 'file', path: path.resolve(directory, wait.path) });
      } else waits.push(wait);
    }
  }
  return { waits, withinSeconds };
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
    const before = dependenciesOf(service, byName);
    const places: Array<[string, string]> = [
      [`services.${service.name}.command`, service.command],
      [`services.${service.name}.directory`, service.directory],
      ...Object.entries(service.environment).map(([key, value]): [string, string] => [`services.${service.name}.environment.${key}`, value]),
      ...service.ready.map((clause): [string, string] => [`services.${service.name}.ready`, clause]),
    ];
    for (const [at, text] of places) {
      for (const [whole, name, field] of text.matchAll(PLACEHOLDER) as IterableIterator<[string, string, string]>) {
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

/** Every service that starts before this one (its dependencies, theirs, …). */
function dependenciesOf(service: ServiceDefinition, byName: Map<string, ServiceDefinition>): Set<string> {
  const seen = new Set<string>();
  const visit = (name: string) => {
    for (const dependency of byName.get(name)?.dependencies ?? []) {
      if (seen.has(dependency)) continue;
      seen.add(dependency);
      visit(dependency);
    }
  };
  visit(service.name);
  return seen;
}

/** The file's order, moved only as far as dependencies demand; a circle is an error that shows it. */
function startOrder(definitions: ServiceDefinition[], fail: (problem: string) => never): ServiceDefinition[] {
  const ordered: ServiceDefinition[] = [];
  const placed = new Set<string>();
  const remaining = [...definitions];
  while (remaining.length > 0) {
    const index = remaining.findIndex((service) => service.dependencies.every((d) => placed.has(d)));
    if (index === -1) fail(`the dependencies go round in a circle: ${describeCircle(remaining)}; one of these services must be able to start first`);
    const [next] = remaining.splice(index, 1);
    ordered.push(next!);
    placed.add(next!.name);
  }
  return ordered;
}

function describeCircle(remaining: ServiceDefinition[]): string {
  const byName = new Map(remaining.map((d) => [d.name, d]));
  const path: string[] = [];
  let current = remaining[0]!;
  while (!path.includes(current.name)) {
    path.push(current.name);
    current = byName.get(current.dependencies.find((d) => byName.has(d))!)!;
  }
  return [...path.slice(path.indexOf(current.name)), current.name].join(' → ');
}

function unknownField(key: string, where: string, known: readonly string[]): string {
  const closest = closestWord(key, known);
  const field = where === 'the top level' ? `"${key}" at the top level` : `"${key}" in ${where}`;
  return `unknown field ${field}${closest ? `; did you mean "${closest}"?` : ''} ${where === 'the top level' ? 'The top level has' : 'A service has'}: ${known.join(', ')}`;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return `a list (${truncate(JSON.stringify(value))})`;
  if (typeof value === 'object') return `an object (${truncate(JSON.stringify(value))})`;
  return truncate(JSON.stringify(value));
}

function truncate(text: string): string {
  return text.length > 60 ? `${text.slice(0, 57)}…` : text;
}

function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  return { line, column: offset - before.lastIndexOf('\n') };
}


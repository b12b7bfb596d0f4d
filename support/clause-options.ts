import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { InvalidArgumentError, MissingDirectoryError, describeDaemon } from '../helpers/errors.js';
import { parseText } from '../helpers/output/text.js';
import { expandPlaceholders } from '../helpers/placeholders.js';
import { waitFor } from '../helpers/readiness/wait-for.js';
import type { ProbeFactory, ReadyCondition } from '../helpers/readiness/probe.js';
import type { DaemonScope, StartOptions } from '../helpers/scope.js';
import { parseClauses, parseEnvironmentTable, type StartClauses } from './clauses.js';

/** A start step as written: the command, the clauses after the name, and the table of `, with environment:`. */
export interface ClauseRequest {
  name: string;
  command: string;
  clauses?: string | StartClauses;
  environmentTable?: string[][];
}

export function clausesOf(request: ClauseRequest): StartClauses {
  return typeof request.clauses === 'object' ? request.clauses : parseClauses(request.clauses ?? '');
}

/**
 * The engine's start options for a start step, checked as the step reads: each mistake is refused
 * before anything is spawned, in the words of the step. Placeholders are left for the engine,
 * except in readiness texts, which are expanded for each wait (`${NAME.port}` of the daemon itself
 * is known only then).
 */
export function startOptionsFrom(scope: DaemonScope, request: ClauseRequest, clauses: StartClauses = clausesOf(request)): StartOptions {
  const daemon = { name: request.name, command: scope.expandSoft(request.command, request.name) };
  if (clauses.resetCommand !== undefined) {
    throw new InvalidArgumentError(
      `', reset with "${clauses.resetCommand}"' belongs to a shared service: "Given the shared service ${request.name} started with "${request.command}", …, reset with "${clauses.resetCommand}""`,
    );
  }
  const httpWait = clauses.waits.find((wait) => wait.kind === 'http');
  if (httpWait && !clauses.port) {
    throw new InvalidArgumentError(`cannot start ${describeDaemon(daemon)}: ', waiting for HTTP ${httpWait.path}' needs a port; add ", on port P" or ", on a free port"`);
  }
  if (clauses.environmentFromTable && !request.environmentTable) {
    throw new InvalidArgumentError("', with environment:' needs a table after the step: | NAME | value |");
  }
  const env: Record<string, string> = {};
  for (const source of [...clauses.environment, ...(request.environmentTable ? [parseEnvironmentTable(request.environmentTable)] : [])]) Object.assign(env, source);
  checkDirectory(scope, request, clauses, daemon);
  const expandLater = (text: string, make: (expanded: string) => ProbeFactory): ProbeFactory => {
    // Now, for the names it refers to (an unknown one is refused before anything is spawned)…
    const early = make(expandPlaceholders(text, { ...scope.placeholders({ name: request.name }), port: (name) => (name === request.name ? 0 : scope.placeholders().port(name)) }));
    // …and at each wait, with the daemon's own port.
    return {
      needsPort: early.needsPort,
      isPortProbe: early.isPortProbe,
      describe: () => early.describe(),
      create: (target) => make(expandPlaceholders(text, scope.placeholders({ name: request.name, port: target.port }))).create(target),
    };
  };
  const ready: ReadyCondition[] = clauses.waits.map((wait) => {
    switch (wait.kind) {
      case 'output':
        return expandLater(wait.text, (text) => waitFor.output(parseText(text), wait.stream));
      case 'http':
        return expandLater(wait.path, (expanded) => waitFor.http(expanded));
      case 'file':
        return expandLater(wait.path, (expanded) => waitFor.file(expanded));
      case 'signal':
        return waitFor.signalHandled(wait.signal);
    }
  });
  return {
    name: request.name,
    command: request.command,
    port: portOf(scope, clauses),
    env,
    cwd: clauses.directory,
    ready,
    timeout: clauses.withinSeconds !== undefined ? clauses.withinSeconds * 1000 : undefined,
    restart: clauses.restart && {
      minDelayMs: clauses.restart.minDelaySeconds === undefined ? undefined : clauses.restart.minDelaySeconds * 1000,
      maxDelayMs: clauses.restart.maxDelaySeconds === undefined ? undefined : clauses.restart.maxDelaySeconds * 1000,
      forever: clauses.restart.forever,
    },
  };
}

function portOf(scope: DaemonScope, clauses: StartClauses): StartOptions['port'] {
  if (!clauses.port) return undefined;
  if (clauses.port.kind === 'free') return 'free';
  const written = scope.expand(clauses.port.port);
  const port = Number(written);
  if (!/^\d+$/.test(written) || port < 1 || port > 65535) {
    throw new InvalidArgumentError(`on port ${clauses.port.port}: '${written}' is not a TCP port (1 to 65535)`);
  }
  return port;
}

function checkDirectory(scope: DaemonScope, request: ClauseRequest, clauses: StartClauses, daemon: { name: string; command: string }): void {
  if (clauses.directory === undefined) return;
  let directory: string;
  try {
    directory = path.resolve(scope.workspace, scope.expand(clauses.directory));
  } catch {
    return; // its own port: the engine checks the directory once it is known
  }
  if (existsSync(directory) && statSync(directory).isDirectory()) return;
  const clause = `', in directory ${clauses.directory}'`;
  throw new MissingDirectoryError(
    `cannot start ${describeDaemon(daemon)}: ` +
      (existsSync(directory)
        ? `${clause}: ${directory} is a file, not a directory`
        : `${clause}: there is no directory ${directory}; create it first, e.g. with "Given a file ${clauses.directory}/README with:"`),
    { daemon },
  );
}

/** `I start …` and `I try to start …`. */
export async function startWithClauses(scope: DaemonScope, request: ClauseRequest): ReturnType<DaemonScope['start']> {
  return scope.start(startOptionsFrom(scope, request));
}

/** `I run …`: to its end, `, within N seconds` or the exit timeout. */
export async function runWithClauses(scope: DaemonScope, request: ClauseRequest): ReturnType<DaemonScope['run']> {
  const clauses = clausesOf(request);
  if (clauses.restart) {
    throw new InvalidArgumentError(`', restarting on exit' keeps a daemon running: start it with "I start …" or "I try to start …"`);
  }
  return scope.run(startOptionsFrom(scope, request, clauses));
}

import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { InvalidArgumentError, MissingDirectoryError, describeDaemon } from '../helpers/errors.js';
import type { DaemonScope, StartOptions } from '../helpers/scope.js';
import { startOptionsOfClauses } from '../helpers/services/clause-options.js';
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
 * The engine's start options for a start step (see `startOptionsOfClauses`), checked as the step
 * reads: each mistake is refused before anything is spawned, in the words of the step.
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
  const table = request.environmentTable ? [parseEnvironmentTable(request.environmentTable)] : [];
  checkDirectory(scope, request, clauses, daemon);
  return startOptionsOfClauses(scope, request.name, request.command, { ...clauses, environment: [...clauses.environment, ...table] });
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

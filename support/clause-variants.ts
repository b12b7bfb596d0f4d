import { InvalidArgumentError } from '../helpers/errors.js';
import type { DaemonScope } from '../helpers/scope.js';
import type { SharedServices } from '../helpers/services/shared-services.js';
import { parseClauses, type StartClauses } from './clauses.js';
import { clausesOf, startOptionsFrom, type ClauseRequest } from './clause-options.js';

// The start clauses for what is not a plain start: a process that is running already, a shared service.

/** What an adopted process cannot take: it is running already, and not our child. */
const NOT_FOR_ADOPTED: Array<[string, (clauses: StartClauses) => boolean]> = [
  ["', on a free port' (it has chosen its port already: write ', on port P')", (c) => c.port?.kind === 'free'],
  ["', with environment' (it is running already)", (c) => c.environment.length > 0 || c.environmentFromTable],
  ["', in directory' (it is running already)", (c) => c.directory !== undefined],
  ["', restarting on exit' (daemon-steps did not start it)", (c) => c.restart !== undefined],
  ["', reset with' (it belongs to a shared service)", (c) => c.resetCommand !== undefined],
  ["', waiting for stdout/stderr/output' (its output is not ours to read: wait for a file, a port or HTTP)", (c) => c.waits.some((w) => w.kind === 'output')],
];

/** `I adopt the process in pid file "PATH" as NAME[CLAUSES]`: readiness clauses as for a start. */
export async function adoptWithClauses(scope: DaemonScope, request: { name: string; pidFile: string; clauses: string }): ReturnType<DaemonScope['adopt']> {
  const clauses = parseClauses(request.clauses);
  const refused = NOT_FOR_ADOPTED.filter(([, applies]) => applies(clauses)).map(([clause]) => clause);
  if (refused.length > 0) throw new InvalidArgumentError(`cannot adopt '${request.name}' with ${refused.join(' or ')}`);
  const options = startOptionsFrom(scope, { name: request.name, command: '', clauses }, clauses);
  return scope.adopt({
    name: request.name,
    pidFile: request.pidFile,
    port: options.port === 'free' ? undefined : options.port,
    ready: options.ready,
    timeout: options.timeout,
  });
}

/** `Given the shared service NAME started with "COMMAND"[CLAUSES][, reset with "COMMAND"]`. */
export async function useSharedWithClauses(shared: SharedServices, scope: DaemonScope, request: ClauseRequest, usedBy?: string): ReturnType<SharedServices['use']> {
  const parsed = clausesOf(request);
  if (parsed.restart) {
    throw new InvalidArgumentError(`shared service '${request.name}': ', restarting on exit' is not for shared services — one that dies is an error, so that the bug shows`);
  }
  const { resetCommand, ...startClauses } = parsed;
  // The clauses as written tell a use that asks for something else; the reset may differ.
  const definition = JSON.stringify([request.command, startClauses, request.environmentTable ?? null]);
  const options = startOptionsFrom(scope, request, { ...startClauses, resetCommand: undefined });
  return shared.use(options, scope, { usedBy, reset: resetCommand, definition });
}

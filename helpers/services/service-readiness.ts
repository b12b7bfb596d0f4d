import path from 'node:path';
import { UnknownClauseError } from '../errors.js';
import { parseClauses, splitClauses, type StartClauses, type WaitClause } from './clause-grammar.js';
import { describeValue } from './json-value.js';
import { sayRemedy } from '../remedies.js';

/** `"ready"` of a service: readiness clauses as a start step writes them, checked one by one. */
export function parseReady(value: unknown, at: string, fail: (problem: string) => never): string[] {
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
const ELSEWHERE: Array<[keyof StartClauses, string | (() => string)]> = [
  ['port', 'set "port" instead (a number, or "free")'],
  ['environment', 'set "environment" instead'],
  ['directory', 'set "directory" instead'],
  ['restart', 'daemon-steps run does not restart services that exit'],
  ['resetCommand', () => sayRemedy({ kind: 'reset-per-use' })],
];

export function readinessClauses(
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
      if (error instanceof UnknownClauseError) fail(`${at}.ready: unknown clause "${clause}"; ${READINESS_HELP}`);
      return fail(`${at}.ready: ${(error as Error).message}`);
    }
    for (const [key, hint] of ELSEWHERE) {
      const set = key === 'environment' ? parsed.environment.length > 0 || parsed.environmentFromTable : parsed[key] !== undefined;
      if (set) fail(`${at}.ready: "${clause}" is not a readiness clause: ${typeof hint === 'string' ? hint : hint()}`);
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

import { ExpectationError } from '../errors.js';
import { findProcesses } from './process-table.js';

// The messages start with "expected": such an error must never be diffable, or a diff-showing
// formatter (cucumber's) takes "AssertionError: expected …" for its own wording and drops the rest.

/**
 * `there is no "PATTERN" process`, among the processes `scopeMarker` lets a scope see; `written` is
 * the pattern as the scenario wrote it. `actual` lists the command lines found.
 */
export async function expectNoProcess(pattern: string, scopeMarker: string, written = pattern): Promise<void> {
  const found = await findProcesses(pattern, scopeMarker);
  if (found.length === 0) return;
  throw new ExpectationError(
    `expected no process whose command line contains "${written}", but found:\n` + found.map((p) => `  pid ${p.pid}: ${p.commandLine}`).join('\n'),
    { actual: found.map((p) => p.commandLine), expected: [], diffable: false },
  );
}

/** `a process "PATTERN" is running`; `expected` is the pattern, `actual` the (empty) list found. */
export async function expectProcessRunning(pattern: string, scopeMarker: string, written = pattern): Promise<void> {
  const found = await findProcesses(pattern, scopeMarker);
  if (found.length > 0) return;
  throw new ExpectationError(`expected a running process whose command line contains "${written}", but there is none`, {
    actual: [],
    expected: pattern,
    diffable: false,
  });
}

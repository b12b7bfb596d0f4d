import { ExpectationError } from '../errors.js';

/** How an attempt to start a daemon ended (Subplot's `I try to start …`). */
export type StartOutcome = { ok: true; name: string } | { ok: false; name: string; error: Error };

/** `starting the daemon succeeds`; `actual` is the start's error message. */
export function expectStartSucceeded(outcome: StartOutcome): void {
  if (outcome.ok) return;
  throw new ExpectationError(`starting daemon '${outcome.name}' failed, but it should have succeeded:\n${outcome.error.message}`, {
    actual: outcome.error.message,
    expected: undefined,
    diffable: false,
  });
}

/**
 * `starting daemon fails with "TEXT"`: the start failed, with an error message containing
 * `expected`; `written` is TEXT as the scenario wrote it, for the message.
 */
export function expectStartFailedWith(outcome: StartOutcome, expected: string, written: string): void {
  if (outcome.ok) {
    throw new ExpectationError(`starting daemon '${outcome.name}' succeeded, but it should have failed with "${written}"`, {
      actual: undefined,
      expected,
      diffable: false,
    });
  }
  if (outcome.error.message.includes(expected)) return;
  throw new ExpectationError(`starting daemon '${outcome.name}' failed, but not with "${written}"; the error was:\n${outcome.error.message}`, {
    actual: outcome.error.message,
    expected,
    diffable: false,
  });
}

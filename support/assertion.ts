import { AssertionError } from 'chai';
import { ExpectationError } from '../helpers/errors.js';

/**
 * An engine expectation that does not hold, as chai's AssertionError: the same message (the
 * daemon, the file, the output), plus `actual`, `expected` and `showDiff`, which reporters and IDEs
 * read to show a diff. The engine's error, with its fields, is the `cause`.
 */
export function toAssertionError(error: ExpectationError): InstanceType<typeof AssertionError> {
  const assertion = new AssertionError(error.message, { actual: error.actual, expected: error.expected, showDiff: error.diffable, cause: error });
  // The engine's frames say where the expectation was checked; chai's own would show only this module.
  const head = `${error.name}: ${error.message}`;
  if (error.stack?.startsWith(head)) assertion.stack = `${assertion.name}: ${error.message}${error.stack.slice(head.length)}`;
  return assertion;
}

function rethrow(error: unknown): never {
  throw error instanceof ExpectationError ? toAssertionError(error) : error;
}

/**
 * Runs a Then step's engine expectation (sync or async); a mismatch is thrown as chai's
 * AssertionError, any other error (a daemon that is unknown, still running…) as it is.
 */
export function asserting(check: () => Promise<void>): Promise<void>;
export function asserting(check: () => void): void;
export function asserting(check: () => void | Promise<void>): void | Promise<void> {
  try {
    const result = check();
    return result instanceof Promise ? result.catch(rethrow) : result;
  } catch (error) {
    rethrow(error);
  }
}

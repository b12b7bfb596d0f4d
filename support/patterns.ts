/** Regular-expression pieces the step definitions are built from (STEPS.md "Arguments"). */

import { NAME_PATTERN } from '../helpers/names.js';

/** A daemon's name: letters, digits, `_`, `.`, `-` (so a trailing comma is never part of it). */
export const NAME = `(${NAME_PATTERN})`;
/** Either wording is accepted wherever a step names a daemon. */
export const DAEMON = '(?:daemon|background process)';
/** A double-quoted argument, in which `\"` and `\\` are escapes. */
export const QUOTED = '"((?:[^"\\\\]|\\\\.)*)"';
/** `, within N seconds` at the end of a waiting step. */
export const WITHIN = '(?:, within (\\S+) seconds?)?';

/** The clauses after a daemon's name, when the step has no environment table… */
export const CLAUSES = '((?:, .*)?)(?<!, with environment:)';
/** …and when it ends with `, with environment:` and a table follows. */
export const CLAUSES_WITH_TABLE = '((?:, .*)?, with environment:)';

export function anchored(pattern: string): RegExp {
  return new RegExp(`^${pattern}$`);
}

/**
 * A PATH written bare (`a file conf/app.ini with:`). One that starts with a double quote is Aruba's
 * way (`a file "x" with:`), left to `daemon-steps/aruba` so both vocabularies load without ambiguity.
 */
export const BARE_PATH = '([^\\s"]\\S*)';

import { ExpectationError } from '../../helpers/index.js';
import type { ArubaCommand } from './command.js';
import { sanitizeText, stripAnsi, unescapeText, type TextRules } from './text.js';

/** Text shown in a message: indented, so where it begins and ends is plain. */
function shown(text: string): string {
  return text === '' ? '  (nothing)' : text.replace(/^/gm, '  ');
}

function mismatch(headline: string, actual: string, expected: string, diffable: boolean): never {
  throw new ExpectationError(`${headline}:\n${shown(actual)}`, { actual, expected, diffable });
}

/** `… should [not] contain TEXT`: both sides as Aruba compares them (escapes, colour codes, final newline). */
export function expectIncludes(what: string, actual: string, expected: string, rules: TextRules, negated = false): void {
  const have = sanitizeText(actual, rules);
  const want = sanitizeText(expected, rules);
  if (have.includes(want) !== negated) return;
  mismatch(`${what} ${negated ? 'contains' : 'does not contain'} ${JSON.stringify(want)}${negated ? ', which it should not' : ''}; it was`, have, want, false);
}

/** `… should [not] contain exactly TEXT`. */
export function expectEquals(what: string, actual: string, expected: string, rules: TextRules, negated = false): void {
  const have = sanitizeText(actual, rules);
  const want = sanitizeText(expected, rules);
  if ((have === want) !== negated) return;
  mismatch(`${what} ${negated ? 'is exactly' : 'is not exactly'} ${JSON.stringify(want)}${negated ? ', which it should not be' : ''}; it was`, have, want, !negated);
}

/**
 * A pattern as Aruba writes it (Ruby's): `^` and `$` at every line, `.` across lines; `\A`, `\z`
 * and `\Z` become their JavaScript equivalents. A pattern JavaScript cannot read is an error saying so.
 */
export function rubyPattern(source: string): RegExp {
  const translated = unescapeText(source)
    .replace(/(?<!\\)((?:\\\\)*)\\A/g, '$1(?<![\\s\\S])')
    .replace(/(?<!\\)((?:\\\\)*)\\z/g, '$1(?![\\s\\S])')
    .replace(/(?<!\\)((?:\\\\)*)\\Z/g, '$1(?=\\n?(?![\\s\\S]))');
  try {
    return new RegExp(translated, 'ms');
  } catch (error) {
    throw new ExpectationError(`/${source}/ is not a regular expression JavaScript can read: ${(error as Error).message}`, {
      actual: source,
      expected: 'a regular expression',
      diffable: false,
    });
  }
}

/** `… should [not] match /PATTERN/`. */
export function expectMatches(what: string, actual: string, pattern: string, rules: TextRules, negated = false): void {
  const have = sanitizeText(actual, rules);
  if (rubyPattern(pattern).test(have) !== negated) return;
  mismatch(`${what} ${negated ? 'matches' : 'does not match'} /${pattern}/${negated ? ', which it should not' : ''}; it was`, have, pattern, false);
}

function describeEnd(command: ArubaCommand): string {
  const exit = command.daemon.exit;
  if (exit?.signal) return `none: it was ended by ${exit.signal}`;
  return `${command.exitStatus}`;
}

/** `the exit status should [not] be N`, of a stopped command. */
export function expectExitStatus(command: ArubaCommand, status: number, negated = false): void {
  if ((command.exitStatus === status) !== negated) return;
  const timedOut = command.timedOut ? ` (it did not end within the exit timeout of ${command.settings.exitTimeoutMs / 1000} s, so it was stopped)` : '';
  throw new ExpectationError(
    `the exit status of \`${command.commandLine}\` is ${describeEnd(command)}${negated ? `, which it should not be` : `, not ${status}`}${timedOut}; its output:\n${shown(stripAnsi(command.output()))}`,
    { actual: command.exitStatus, expected: status, diffable: !negated },
  );
}

/** `I successfully run …`, `it should pass`: it ended by itself in time, with status 0 — or, for `fail`, not. */
export function expectSucceeded(command: ArubaCommand, succeeded = true): void {
  const passed = command.exitStatus === 0;
  if (passed === succeeded) return;
  const how = succeeded ? 'did not succeed' : 'succeeded, but it should have failed';
  throw new ExpectationError(
    `\`${command.commandLine}\` ${how}: its exit status is ${describeEnd(command)}; its output:\n${shown(stripAnsi(command.output()))}`,
    { actual: command.exitStatus, expected: succeeded ? 0 : 'not 0', diffable: false },
  );
}

/** `I successfully run …`: it must have ended by itself within its exit timeout. */
export function expectFinishedInTime(command: ArubaCommand): void {
  if (!command.timedOut) return;
  throw new ExpectationError(
    `\`${command.commandLine}\` did not finish within ${command.settings.exitTimeoutMs / 1000} s (the exit timeout), so it was stopped; its output:\n${shown(stripAnsi(command.output()))}`,
    { actual: 'still running', expected: 'finished', diffable: false },
  );
}

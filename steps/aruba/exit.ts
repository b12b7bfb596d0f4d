import { Then } from '../../support/define.js';
import { asserting } from '../../support/assertion.js';
import { expectEquals, expectExitStatus, expectIncludes, expectMatches, expectSucceeded } from '../../support/aruba/expect.js';
import type { ArubaSession } from '../../support/aruba/session.js';
import { aruba } from '../../support/aruba/state.js';
import { STEP_TIMEOUT_MS } from '../../support/timeouts.js';

// Like Aruba, these first stop the command they look at, giving it its exit timeout to end by itself.
const timeout = STEP_TIMEOUT_MS;

Then(/^the exit status should( not)? be (\d+)$/, { timeout }, async function (negated: string | null, status: string) {
  const session = aruba(this);
  if (!session.lastStopped) await session.lastCommandStarted().stop();
  asserting(() => expectExitStatus(session.lastCommandStopped(), Number(status), negated !== null));
});

Then('the exit status of {aruba-command} should be {int}', { timeout }, async function (commandLine: string, status: number) {
  const command = aruba(this).find(commandLine);
  await command.stop();
  asserting(() => expectExitStatus(command, status));
});

Then('the exit status of {aruba-command} should not be {int}', { timeout }, async function (commandLine: string, status: number) {
  const command = aruba(this).find(commandLine);
  await command.stop();
  asserting(() => expectExitStatus(command, status, true));
});

/** Stops the command started last; the checks are on the command stopped last (Aruba's order). */
async function stoppedLast(session: ArubaSession, passFail: string) {
  await session.lastCommandStarted().stop();
  const command = session.lastCommandStopped();
  asserting(() => expectSucceeded(command, passFail === 'pass'));
  return command;
}

Then(/^it should (pass|fail)$/, { timeout }, async function (passFail: string) {
  await stoppedLast(aruba(this), passFail);
});

Then(/^it should (pass|fail) with "(.*?)"$/, { timeout }, async function (passFail: string, expected: string) {
  const session = aruba(this);
  const command = await stoppedLast(session, passFail);
  asserting(() => expectIncludes(`the output of \`${command.commandLine}\``, command.output(), expected, session.text));
});

Then(/^it should (pass|fail) with:$/, { timeout }, async function (passFail: string, expected: string) {
  const session = aruba(this);
  const command = await stoppedLast(session, passFail);
  asserting(() => expectIncludes(`the output of \`${command.commandLine}\``, command.output(), expected, session.text));
});

Then(/^it should (pass|fail) with exactly:$/, { timeout }, async function (passFail: string, expected: string) {
  const session = aruba(this);
  const command = await stoppedLast(session, passFail);
  asserting(() => expectEquals(`the output of \`${command.commandLine}\``, command.output(), expected, session.text));
});

Then(/^it should (pass|fail) (?:with regexp?|matching):$/, { timeout }, async function (passFail: string, pattern: string) {
  const session = aruba(this);
  const command = await stoppedLast(session, passFail);
  asserting(() => expectMatches(`the output of \`${command.commandLine}\``, command.output(), pattern, session.text));
});

/**
 * Aruba's checks on a run of a test framework (cucumber, rspec, minitest): what its summary line
 * says, and the exit status of the command stopped last.
 */
interface FrameworkCheck {
  pattern: RegExp;
  /** Text the output must hold, or must not (`!text`). */
  says: (count?: string) => string[];
  status: number;
}

const FRAMEWORKS: FrameworkCheck[] = [
  { pattern: /^the features? should fail$/, says: () => [' failed)'], status: 1 },
  { pattern: /^the features? should not(?: all)? pass$/, says: () => [' failed)'], status: 1 },
  { pattern: /^the features? should(?: all)? pass$/, says: () => ['! failed)', '! undefined)'], status: 0 },
  { pattern: /^the features? should fail with( regex)?:$/, says: () => [' failed)'], status: 1 },
  { pattern: /^the features? should(?: all)? pass with( regex)?:$/, says: () => ['! failed)', '! undefined)'], status: 0 },
  { pattern: /^the specs? should fail$/, says: () => ['!0 failures'], status: 1 },
  { pattern: /^the specs? should not(?: all)? pass$/, says: () => ['!0 failures'], status: 1 },
  { pattern: /^the specs? should(?: all)? pass$/, says: () => ['0 failures'], status: 0 },
  { pattern: /^the specs? should fail with (\d+) failures?$/, says: (count) => [`${count} failures`], status: 1 },
  { pattern: /^the specs? should fail with( regex)?:$/, says: () => ['!0 failures'], status: 1 },
  { pattern: /^the specs? should(?: all)? pass with( regex)?:$/, says: () => ['0 failures'], status: 0 },
  { pattern: /^the tests? should fail$/, says: () => ['!0 errors'], status: 1 },
  { pattern: /^the tests(?:s)? should not(?: all)? pass$/, says: () => ['!0 errors'], status: 1 },
  { pattern: /^the tests(?:s)? should(?: all)? pass$/, says: () => ['0 errors'], status: 0 },
  { pattern: /^the tests? should fail with (\d+) errors?$/, says: (count) => [`${count} errors`], status: 1 },
  { pattern: /^the tests? should fail with( regex)?:$/, says: () => ['!0 errors'], status: 1 },
  { pattern: /^the tests? should(?: all)? pass with( regex)?:$/, says: () => ['0 errors'], status: 0 },
];

async function checkFramework(world: object, check: FrameworkCheck, count?: string, text?: { regex: boolean; expected: string }): Promise<void> {
  const session = aruba(world);
  const output = await session.all('output');
  for (const said of check.says(count)) {
    const negated = said.startsWith('!');
    asserting(() => expectIncludes('the output of all commands', output, negated ? said.slice(1) : said, session.text, negated));
  }
  asserting(() => expectExitStatus(session.lastCommandStopped(), check.status));
  if (!text) return;
  const what = 'the output of all commands';
  asserting(() => (text.regex ? expectMatches(what, output, text.expected, session.text) : expectIncludes(what, output, text.expected, session.text)));
}

// cucumber-js holds a step's function to as many parameters as the step has arguments.
for (const check of FRAMEWORKS) {
  if (check.pattern.source.endsWith(':$')) {
    Then(check.pattern, { timeout }, function (regex: string | null, expected: string) {
      return checkFramework(this, check, undefined, { regex: regex !== null, expected });
    });
  } else if (check.pattern.source.includes('(\\d+)')) {
    Then(check.pattern, { timeout }, function (count: string) {
      return checkFramework(this, check, count);
    });
  } else {
    Then(check.pattern, { timeout }, function () {
      return checkFramework(this, check);
    });
  }
}

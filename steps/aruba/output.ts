import { type DataTable } from '@cucumber/cucumber';
import { Then } from '../../support/define.js';
import { asserting } from '../../support/assertion.js';
import { ExpectationError } from '../../helpers/index.js';
import { expectEquals, expectIncludes, expectMatches } from '../../support/aruba/expect.js';
import { channelOf, type Channel } from '../../support/aruba/session.js';
import { aruba } from '../../support/aruba/state.js';
import { sanitizeText } from '../../support/aruba/text.js';
import { STEP_TIMEOUT_MS } from '../../support/timeouts.js';

// Like Aruba, these first stop the commands they look at: each gets its exit timeout to end by itself.
const timeout = STEP_TIMEOUT_MS;

function describeAll(channel: Channel): string {
  return channel === 'output' ? 'the output of all commands' : `the ${channel} of all commands`;
}

for (const negated of [false, true]) {
  for (const exactly of [false, true]) {
    const phrase = `should${negated ? ' not' : ''} contain${exactly ? ' exactly' : ''}`;
    const expect = exactly ? expectEquals : expectIncludes;

    const all = async function (this: object, channel: Channel, expected: string) {
      const session = aruba(this);
      const actual = await session.all(channel);
      asserting(() => expect(describeAll(channel), actual, expected, session.text, negated));
    };
    Then(`(the ){aruba-channel} ${phrase} {string}`, { timeout }, all);
    Then(`(the ){aruba-channel} ${phrase}:`, { timeout }, all);

    const from = async function (this: object, channel: Channel, commandLine: string, expected: string) {
      const session = aruba(this);
      const actual = await channelOf(session.find(commandLine), channel);
      asserting(() => expect(`the ${channel} of \`${commandLine}\``, actual, expected, session.text, negated));
    };
    Then(`(the ){aruba-channel} from {string} ${phrase} {string}`, { timeout }, from);
    Then(`(the ){aruba-channel} from {string} ${phrase}:`, { timeout }, from);
  }
}

Then('(the ){aruba-channel} should not contain anything', { timeout }, async function (channel: Channel) {
  const session = aruba(this);
  const actual = await session.all(channel);
  asserting(() => expectEquals(describeAll(channel), actual, '', session.text));
});

async function matchAll(world: object, negated: string | null, pattern: string): Promise<void> {
  const session = aruba(world);
  const actual = await session.all('output');
  asserting(() => expectMatches(describeAll('output'), actual, pattern, session.text, negated !== null));
}

Then(/^the output should( not)? match \/([^/]*)\/$/, { timeout }, function (negated: string | null, pattern: string) {
  return matchAll(this, negated, pattern);
});

Then(/^the output should( not)? match %r<([^>]*)>$/, { timeout }, function (negated: string | null, pattern: string) {
  return matchAll(this, negated, pattern);
});

Then(/^the output should( not)? match:$/, { timeout }, function (negated: string | null, pattern: string) {
  return matchAll(this, negated, pattern);
});

Then('the output should be {int} bytes long', { timeout }, async function (size: number) {
  const command = aruba(this).lastCommandStarted();
  // Aruba counts characters, as Ruby's String#size does.
  const length = [...(await command.outputNow())].length;
  if (length === size) return;
  asserting(() => {
    throw new ExpectationError(`the output of \`${command.commandLine}\` is ${length} characters long, not ${size}`, { actual: length, expected: size, diffable: true });
  });
});

Then(/^(?:the )?(output|stdout|stderr) should( not)? contain all of these lines:$/, { timeout }, async function (channel: Channel, negated: string | null, table: DataTable) {
  const session = aruba(this);
  await session.stopAll();
  const outputs = await Promise.all(session.commands.map((command) => channelOf(command, channel)));
  for (const line of table.raw().flat()) {
    const want = sanitizeText(line, session.text);
    const found = outputs.some((output) => sanitizeText(output, session.text).includes(want));
    if (found === (negated === null)) continue;
    asserting(() => {
      throw new ExpectationError(`${negated === null ? 'no' : 'a'} command's ${channel} contains ${JSON.stringify(want)}${negated === null ? '' : ', which none should'}; the commands: ${session.commands.map((c) => `\`${c.commandLine}\``).join(', ')}`, {
        actual: outputs.join(''),
        expected: want,
        diffable: false,
      });
    });
  }
});

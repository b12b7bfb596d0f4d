import { type DataTable } from '@cucumber/cucumber';
import { Given, Then, When } from '../../support/define.js';
import { ExpectationError } from '../../helpers/index.js';
import { asserting } from '../../support/assertion.js';
import { expectIncludes, expectMatches } from '../../support/aruba/expect.js';
import { arubaFiles, aruba } from '../../support/aruba/state.js';
import { chomp, unescapeText } from '../../support/aruba/text.js';
import { STEP_TIMEOUT_MS } from '../../support/timeouts.js';

// Checks on files first stop every command, as Aruba's do: a command may still be writing them.
const timeout = STEP_TIMEOUT_MS;

function fail(headline: string, actual: unknown, expected: unknown): never {
  throw new ExpectationError(headline, { actual, expected, diffable: false });
}

Given(/^I use (?:a|the) fixture(?: named)? "([^"]*)"$/, function (name: string) {
  arubaFiles(this).useFixture(name);
});

Given(/^I copy (?:a|the) (?:file|directory)(?: (?:named|from))? "([^"]*)" to "([^"]*)"$/, function (from: string, to: string) {
  arubaFiles(this).copy(from, to);
});

Given(/^I move (?:a|the) (?:file|directory)(?: (?:named|from))? "([^"]*)" to "([^"]*)"$/, function (from: string, to: string) {
  arubaFiles(this).move(from, to);
});

Given(/^(?:a|the|(?:an empty)) directory(?: named)? "([^"]*)"$/, function (name: string) {
  arubaFiles(this).mkdir(name);
});

Given(/^(?:a|the) directory(?: named)? "([^"]*)" with mode "([^"]*)"$/, function (name: string, mode: string) {
  arubaFiles(this).mkdir(name, mode);
});

Given(/^(?:a|the) file(?: named)? "([^"]*)" with:$/, function (name: string, content: string) {
  arubaFiles(this).write(name, content);
});

Given(/^(?:an|the) executable(?: named)? "([^"]*)" with:$/, function (name: string, content: string) {
  arubaFiles(this).write(name, unescapeText(content), '755');
});

Given(/^(?:a|the) file(?: named)? "([^"]*)" with "([^"]*)"$/, function (name: string, content: string) {
  arubaFiles(this).write(name, unescapeText(content));
});

Given(/^(?:a|the) file(?: named)? "([^"]*)" with mode "([^"]*)" and with:$/, function (name: string, mode: string, content: string) {
  arubaFiles(this).write(name, unescapeText(content), mode);
});

Given(/^(?:a|the) (\d+) byte file(?: named)? "([^"]*)"$/, function (size: string, name: string) {
  arubaFiles(this).write(name, Buffer.alloc(Number(size)));
});

Given(/^(?:an|the) empty file(?: named)? "([^"]*)"$/, function (name: string) {
  arubaFiles(this).write(name, '');
});

Given(/^(?:an|the) empty file(?: named)? "([^"]*)" with mode "([^"]*)"$/, function (name: string, mode: string) {
  arubaFiles(this).write(name, '', mode);
});

When(/^I write to "([^"]*)" with:$/, function (name: string, content: string) {
  arubaFiles(this).write(name, content);
});

When(/^I overwrite(?: (?:a|the) file(?: named)?)? "([^"]*)" with:$/, function (name: string, content: string) {
  arubaFiles(this).write(name, content);
});

When(/^I append to "([^"]*)" with:$/, function (name: string, content: string) {
  arubaFiles(this).append(name, content);
});

When(/^I append the following lines to "([^"]*)":$/, function (name: string, content: string) {
  const files = arubaFiles(this);
  const before = files.isFile(name) ? files.read(name) : '';
  files.append(name, `${before === '' || before.endsWith('\n') ? '' : '\n'}${content}`);
});

When(/^I append to "([^"]*)" with "([^"]*)"$/, function (name: string, content: string) {
  arubaFiles(this).append(name, content);
});

When(/^I remove (?:a|the) (?:file|directory)(?: named)? "([^"]*)"( with full force)?$/, function (name: string, force: string | null) {
  arubaFiles(this).remove(name, force !== null);
});

Given(/^(?:a|the) (?:file|directory)(?: named)? "([^"]*)" does not exist$/, function (name: string) {
  arubaFiles(this).remove(name, true);
});

When(/^I cd to "([^"]*)"$/, function (directory: string) {
  aruba(this).cd(directory);
});

async function stopped(world: object) {
  await aruba(world).stopAll();
  return arubaFiles(world);
}

function expectExistence(kind: 'file' | 'directory', name: string, exists: boolean, negated: boolean): void {
  if (exists !== negated) return;
  fail(`${kind} "${name}" ${exists ? 'exists, but it should not' : 'does not exist'}`, exists, !negated);
}

Then(/^the following files should (not )?exist:$/, { timeout }, async function (negated: string | null, table: DataTable) {
  const files = await stopped(this);
  for (const name of table.raw().flat()) asserting(() => expectExistence('file', name, files.isFile(name), negated !== null));
});

Then(/^(?:a|the) file(?: named)? "([^"]*)" should (not )?exist(?: anymore)?$/, { timeout }, async function (name: string, negated: string | null) {
  const files = await stopped(this);
  asserting(() => expectExistence('file', name, files.isFile(name), negated !== null));
});

Then(/^(?:a|the) directory(?: named)? "([^"]*)" should (not )?exist(?: anymore)?$/, { timeout }, async function (name: string, negated: string | null) {
  const files = await stopped(this);
  asserting(() => expectExistence('directory', name, files.isDirectory(name), negated !== null));
});

Then(/^the following directories should (not )?exist:$/, { timeout }, async function (negated: string | null, table: DataTable) {
  const files = await stopped(this);
  for (const name of table.raw().flat()) asserting(() => expectExistence('directory', name, files.isDirectory(name), negated !== null));
});

Then(/^(?:a|the) file matching %r<(.*?)> should (not )?exist$/, { timeout }, async function (pattern: string, negated: string | null) {
  const files = await stopped(this);
  const regex = new RegExp(pattern, 'ms');
  const found = files.allPaths().filter((file) => regex.test(file));
  if ((found.length > 0) === (negated === null)) return;
  asserting(() => fail(found.length > 0 ? `files match %r<${pattern}>, which none should: ${found.join(', ')}` : `no file matches %r<${pattern}>`, found, pattern));
});

Then(/^(?:a|the) (\d+) byte file(?: named)? "([^"]*)" should (not )?exist$/, { timeout }, async function (size: string, name: string, negated: string | null) {
  const actual = (await stopped(this)).size(name);
  if ((actual === Number(size)) === (negated === null)) return;
  asserting(() => fail(actual === undefined ? `there is no file "${name}"` : `file "${name}" has ${actual} bytes${negated ? ', which it should not' : `, not ${size}`}`, actual, Number(size)));
});

Then(/^(?:a|the) file(?: named)? "([^"]*)" should (not )?contain "([^"]*)"$/, { timeout }, async function (name: string, negated: string | null, text: string) {
  const files = await stopped(this);
  asserting(() => expectIncludes(`file "${name}"`, files.read(name), chomp(text), aruba(this).text, negated !== null));
});

Then(/^(?:a|the) file(?: named)? "([^"]*)" should (not )?contain:$/, { timeout }, async function (name: string, negated: string | null, text: string) {
  const files = await stopped(this);
  asserting(() => expectIncludes(`file "${name}"`, files.read(name), chomp(text), aruba(this).text, negated !== null));
});

Then(/^(?:a|the) file(?: named)? "([^"]*)" should (not )?contain exactly:$/, { timeout }, async function (name: string, negated: string | null, text: string) {
  const files = await stopped(this);
  // Aruba compares the content as it is here: no escapes, colour codes kept, one final newline aside.
  const actual = chomp(files.read(name));
  const expected = chomp(text);
  if ((actual === expected) === (negated === null)) return;
  const headline = negated ? `file "${name}" is exactly what it should not be` : `file "${name}" is not exactly as expected`;
  asserting(() => {
    throw new ExpectationError(`${headline}; it is:\n${actual.replace(/^/gm, '  ')}`, { actual, expected, diffable: negated === null });
  });
});

async function fileMatches(world: object, name: string, negated: string | null, pattern: string): Promise<void> {
  const files = await stopped(world);
  asserting(() => expectMatches(`file "${name}"`, files.read(name), pattern, aruba(world).text, negated !== null));
}

Then(/^(?:a|the) file(?: named)? "([^"]*)" should (not )?match %r<([^>]*)>$/, { timeout }, function (name: string, negated: string | null, pattern: string) {
  return fileMatches(this, name, negated, pattern);
});

Then(/^(?:a|the) file(?: named)? "([^"]*)" should (not )?match \/([^/]*)\/$/, { timeout }, function (name: string, negated: string | null, pattern: string) {
  return fileMatches(this, name, negated, pattern);
});

Then(/^(?:a|the) file(?: named)? "([^"]*)" should (not )?be equal to file "([^"]*)"/, { timeout }, async function (name: string, negated: string | null, reference: string) {
  const files = await stopped(this);
  const same = files.read(name) === files.read(reference);
  if (same === (negated === null)) return;
  asserting(() => fail(`file "${name}" is ${same ? 'equal to' : 'not equal to'} file "${reference}"${same ? ', which it should not be' : ''}`, same, negated === null));
});

async function expectPermissions(world: object, name: string, expected: string, negated: boolean): Promise<void> {
  const actual = (await stopped(world)).permissions(name);
  const wanted = expected.replace(/^0*/, '');
  if ((actual === wanted) !== negated) return;
  asserting(() => fail(`"${name}" has permissions "${actual}"${negated ? ', which it should not' : `, not "${wanted}"`}`, actual, wanted));
}

Then(/^(?:a|the) (?:file|directory)(?: named)? "([^"]*)" should have permissions "([^"]*)"$/, { timeout }, function (name: string, permissions: string) {
  return expectPermissions(this, name, permissions, false);
});

Then(/^(?:a|the) (?:file|directory)(?: named)? "([^"]*)" should not have permissions "([^"]*)"$/, { timeout }, function (name: string, permissions: string) {
  return expectPermissions(this, name, permissions, true);
});

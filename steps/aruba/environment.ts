import { type DataTable } from '@cucumber/cucumber';
import { Given } from '../../support/define.js';
import { DaemonStepsError } from '../../helpers/index.js';
import { aruba } from '../../support/aruba/state.js';

// The commands get these variables; the runner's own environment is never changed.

Given(/^I set the environment variable "(.*)" to "(.*)"/, function (name: string, value: string) {
  aruba(this).environment[name] = value;
});

Given(/^I append "(.*)" to the environment variable "(.*)"/, function (value: string, name: string) {
  const session = aruba(this);
  session.environment[name] = session.variable(name) + value;
});

Given(/^I prepend "(.*)" to the environment variable "(.*)"/, function (value: string, name: string) {
  const session = aruba(this);
  session.environment[name] = value + session.variable(name);
});

/** The rows of a `| variable | value |` table. */
function rows(table: DataTable): Array<{ variable: string; value: string }> {
  const [header] = table.raw();
  if (!header?.includes('variable') || !header.includes('value')) {
    throw new DaemonStepsError(`the table needs a header row | variable | value |; its first row is | ${(header ?? []).join(' | ')} |`);
  }
  return table.hashes().map((row) => ({ variable: row.variable ?? '', value: row.value ?? '' }));
}

Given(/^I set the environment variables? to:/, function (table: DataTable) {
  const session = aruba(this);
  for (const { variable, value } of rows(table)) session.environment[variable] = value;
});

Given(/^I append the values? to the environment variables?:/, function (table: DataTable) {
  const session = aruba(this);
  for (const { variable, value } of rows(table)) session.environment[variable] = session.variable(variable) + value;
});

Given(/^I prepend the values? to the environment variables?:/, function (table: DataTable) {
  const session = aruba(this);
  for (const { variable, value } of rows(table)) session.environment[variable] = value + session.variable(variable);
});

Given('I look for executables in {string} within the current directory', function (directory: string) {
  const session = aruba(this);
  session.environment.PATH = `${session.expandPath(directory)}:${session.variable('PATH')}`;
});

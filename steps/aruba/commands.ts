import { readFileSync } from 'node:fs';
import { When } from '../../support/define.js';
import { normalizeSignal, waitForOutput } from '../../helpers/index.js';
import { asserting } from '../../support/assertion.js';
import { expectFinishedInTime, expectSucceeded } from '../../support/aruba/expect.js';
import { arubaSeconds } from '../../support/aruba/settings.js';
import { aruba, arubaFiles } from '../../support/aruba/state.js';
import { sanitizeText, unescapeText } from '../../support/aruba/text.js';
import { STEP_TIMEOUT_MS } from '../../support/timeouts.js';

const timeout = STEP_TIMEOUT_MS;

When('I run {aruba-command}', { timeout }, async function (command: string) {
  const session = aruba(this);
  await session.run(sanitizeText(command, session.text));
});

async function runSuccessfully(world: object, command: string, exitTimeoutMs?: number): Promise<void> {
  const session = aruba(world);
  const ran = await session.run(sanitizeText(command, session.text), exitTimeoutMs === undefined ? {} : { exitTimeoutMs });
  asserting(() => {
    expectFinishedInTime(ran);
    expectSucceeded(ran);
  });
}

When('I successfully run {aruba-command}', { timeout }, function (command: string) {
  return runSuccessfully(this, command);
});

When('I successfully run {aruba-command} for up to {float} seconds', { timeout }, function (command: string, seconds: number) {
  return runSuccessfully(this, command, arubaSeconds(seconds, 'exit timeout of "for up to N seconds"'));
});

/** The docstring as an executable script `bin/myscript` of the current directory, then run (Aruba's place for it). */
async function runScript(world: object, interpreter: string, script: string): Promise<void> {
  const files = arubaFiles(world);
  const header = script.startsWith('#!') ? '' : interpreter.startsWith('/') ? `#!${interpreter}\n` : `#!/usr/bin/env ${interpreter}\n`;
  files.write('bin/myscript', `${header}${script}`, '755');
  await aruba(world).run(`'${files.path('bin/myscript').replaceAll("'", "'\\''")}'`);
}

When('I run the following commands:/script:', { timeout }, function (script: string) {
  return runScript(this, 'bash', script);
});

When('I run the following commands/script with/in {aruba-command}:', { timeout }, function (shell: string, script: string) {
  return runScript(this, shell, script);
});

When('I run {aruba-command} interactively', { timeout }, async function (command: string) {
  const session = aruba(this);
  await session.start(sanitizeText(command, session.text));
});

When('I run {aruba-command} in the background', { timeout }, async function (command: string) {
  const session = aruba(this);
  await session.start(sanitizeText(command, session.text));
});

When('I type {string}', { timeout }, async function (input: string) {
  const command = aruba(this).lastCommandStarted();
  const text = unescapeText(input);
  if (text === '\u0004') command.daemon.closeStdin();
  else await command.daemon.writeStdin(Buffer.from(`${text}\n`), { timeout: aruba(this).scope.config.outputTimeoutMs });
});

When('I close the stdin stream', function () {
  aruba(this).lastCommandStarted().daemon.closeStdin();
});

When('I pipe in a/the file( named) {string}', { timeout }, async function (file: string) {
  const session = aruba(this);
  const command = session.lastCommandStarted();
  await command.daemon.writeStdin(readFileSync(session.expandPath(file)), { timeout: session.scope.config.outputTimeoutMs });
  command.daemon.closeStdin();
});

When('I stop the command started last', { timeout }, async function () {
  await aruba(this).lastCommandStarted().stop();
});

When('I stop the command {string}', { timeout }, async function (command: string) {
  await aruba(this).find(command).stop();
});

When('I terminate the command started last', { timeout }, async function () {
  await aruba(this).lastCommandStarted().terminate();
});

When('I terminate the command {string}', { timeout }, async function (command: string) {
  await aruba(this).find(command).terminate();
});

When(/^I stop the command(?: started last)? if (output|stdout|stderr) contains:$/, { timeout }, async function (channel: string, expected: string) {
  const session = aruba(this);
  const command = session.lastCommandStarted();
  const text = Buffer.from(sanitizeText(expected, session.text));
  // Whether it printed the text in time or not, the command is terminated (Aruba's meaning).
  await waitForOutput(command.daemon, channel === 'output' ? 'output' : (channel as 'stdout' | 'stderr'), text, { timeout: session.settings.exitTimeoutMs }).catch(() => undefined);
  await command.terminate();
});

async function waitForStdout(world: object, expected: string): Promise<void> {
  const session = aruba(world);
  const command = session.lastCommandStarted();
  await waitForOutput(command.daemon, 'stdout', Buffer.from(sanitizeText(expected, session.text)), { timeout: session.settings.exitTimeoutMs });
}

When('I wait for (the )output/stdout to contain:', { timeout }, function (expected: string) {
  return waitForStdout(this, expected);
});

When('I wait for (the )output/stdout to contain {string}', { timeout }, function (expected: string) {
  return waitForStdout(this, expected);
});

When('I send the signal {string} to the command {string}', function (signal: string, command: string) {
  aruba(this).find(command).daemon.sendSignal(normalizeSignal(signal));
});

When('I send the signal {string} to the command started last', function (signal: string) {
  aruba(this).lastCommandStarted().daemon.sendSignal(normalizeSignal(signal));
});

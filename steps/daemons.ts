import { type DataTable } from '@cucumber/cucumber';
import { Given, Then, When } from '../support/define.js';
import { installFixture, writeWorkspaceFile } from '../helpers/workspace/files.js';
import { expectStartFailedWith, expectStartSucceeded } from '../helpers/process/expect-start.js';
import { DAEMON_STATES, DaemonStepsError, expectExitCode, expectNotRunning, expectRestarts, expectRunning, expectState, parseText, showBytes, type DaemonState } from '../helpers/index.js';
import { asserting } from '../support/assertion.js';
import { anchored, BARE_PATH, CLAUSES, CLAUSES_WITH_TABLE, DAEMON, NAME, QUOTED, WITHIN } from '../support/patterns.js';
import { withinOr } from '../support/arguments.js';
import { runWithClauses, startWithClauses } from '../support/clause-options.js';
import { adoptWithClauses } from '../support/clause-variants.js';
import { scenarioScope, scenarioState } from '../support/state.js';
import { STEP_TIMEOUT_MS } from '../support/timeouts.js';

const timeout = STEP_TIMEOUT_MS;

Given(anchored('a daemon helper shell script (\\S+)'), function (fixture: string) {
  const scope = scenarioScope(this);
  installFixture(scope.expand(fixture), scope.config.fixtures, scope.workspace);
});

Given(anchored('a daemon helper shell script (\\S+) with:'), function (file: string, script: string) {
  const scope = scenarioScope(this);
  writeWorkspaceFile(scope.workspace, scope.expand(file), `${script}\n`, true);
});

Given(anchored(`a file ${BARE_PATH} with:`), function (file: string, content: string) {
  const scope = scenarioScope(this);
  writeWorkspaceFile(scope.workspace, scope.expand(file), `${content}\n`, false);
});

const START = `I start ${QUOTED} as (?:a background process as )?${NAME}`;
const TRY_START = `I try to start ${QUOTED} as (?:a background process as )?${NAME}`;

async function start(world: object, command: string, name: string, clauses: string, table?: DataTable): Promise<void> {
  await startWithClauses(scenarioScope(world), { name, command, clauses, environmentTable: table?.raw() });
}

async function tryStart(world: object, command: string, name: string, clauses: string, table?: DataTable): Promise<void> {
  const state = scenarioState(world);
  try {
    await startWithClauses(state.scope, { name, command, clauses, environmentTable: table?.raw() });
    state.lastStart = { ok: true, name };
  } catch (error) {
    state.lastStart = { ok: false, name, error: error as Error };
  }
}

When(anchored(START + CLAUSES), { timeout }, function (command: string, name: string, clauses: string) {
  return start(this, command, name, clauses);
});

When(anchored(START + CLAUSES_WITH_TABLE), { timeout }, function (command: string, name: string, clauses: string, table: DataTable) {
  return start(this, command, name, clauses, table);
});

When(anchored(TRY_START + CLAUSES), { timeout }, function (command: string, name: string, clauses: string) {
  return tryStart(this, command, name, clauses);
});

When(anchored(TRY_START + CLAUSES_WITH_TABLE), { timeout }, function (command: string, name: string, clauses: string, table: DataTable) {
  return tryStart(this, command, name, clauses, table);
});

function lastStart(world: object) {
  const outcome = scenarioState(world).lastStart;
  if (!outcome) {
    throw new DaemonStepsError('no daemon was started with "When I try to start …" in this scenario, so there is no outcome to check');
  }
  return outcome;
}

Then(anchored('starting the daemon succeeds'), function () {
  const outcome = lastStart(this);
  asserting(() => expectStartSucceeded(outcome));
});

Then(anchored(`starting daemon fails with ${QUOTED}`), function (text: string) {
  const outcome = lastStart(this);
  const expected = showBytes(parseText(scenarioScope(this).expand(text)));
  asserting(() => expectStartFailedWith(outcome, expected, text));
});

When(anchored(`I run ${QUOTED} as ${NAME}${CLAUSES}`), { timeout }, async function (command: string, name: string, clauses: string) {
  await runWithClauses(scenarioScope(this), { name, command, clauses });
});

When(anchored(`I run ${QUOTED} as ${NAME}${CLAUSES_WITH_TABLE}`), { timeout }, async function (command: string, name: string, clauses: string, table: DataTable) {
  await runWithClauses(scenarioScope(this), { name, command, clauses, environmentTable: table.raw() });
});

When(anchored(`I adopt the process in pid file ${QUOTED} as ${NAME}${CLAUSES}`), { timeout }, async function (pidFile: string, name: string, clauses: string) {
  await adoptWithClauses(scenarioScope(this), { name, pidFile, clauses });
});

When(anchored(`I restart ${DAEMON} ${NAME}`), { timeout }, async function (name: string) {
  await scenarioScope(this).restart(name);
});

Then(anchored(`${DAEMON} ${NAME} is running`), function (name: string) {
  asserting(() => expectRunning(scenarioScope(this).entry(name)));
});

Then(anchored(`${DAEMON} ${NAME} is not running`), function (name: string) {
  asserting(() => expectNotRunning(scenarioScope(this).entry(name)));
});

Then(anchored(`${DAEMON} ${NAME} exited with code (\\d+)`), function (name: string, code: string) {
  asserting(() => expectExitCode(scenarioScope(this).entry(name), Number(code)));
});

const STATE = `(${DAEMON_STATES.join('|')})`;

Then(anchored(`${DAEMON} ${NAME} is in state ${STATE}`), function (name: string, state: DaemonState) {
  asserting(() => expectState(scenarioScope(this).entry(name), state));
});

When(anchored(`I wait for ${DAEMON} ${NAME} to be in state ${STATE}${WITHIN}`), { timeout }, async function (name: string, state: DaemonState, within: string | null) {
  const scope = scenarioScope(this);
  await scope.entry(name).waitForState(state, { timeout: withinOr(within, scope.config.startTimeoutMs) });
});

Then(anchored(`${DAEMON} ${NAME} has been restarted (\\d+) times?`), function (name: string, count: string) {
  asserting(() => expectRestarts(scenarioScope(this).get(name), Number(count)));
});

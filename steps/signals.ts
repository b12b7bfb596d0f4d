import { Then, When } from '@cucumber/cucumber';
import { DaemonStepsError, describeExit, normalizeSignal } from '../helpers/index.js';
import { anchored, DAEMON, NAME, WITHIN } from '../support/patterns.js';
import { withinOr } from '../support/arguments.js';
import { scenarioScope } from '../support/state.js';
import { STEP_TIMEOUT_MS } from '../support/timeouts.js';

const timeout = STEP_TIMEOUT_MS;

When(anchored(`I stop ${DAEMON} ${NAME}`), { timeout }, async function (name: string) {
  const scope = scenarioScope(this);
  await scope.get(name).stop({ graceMs: scope.config.stopGraceMs });
});

When(anchored(`I stop ${DAEMON} ${NAME} with signal (\\S+)`), { timeout }, async function (name: string, signal: string) {
  const scope = scenarioScope(this);
  const first = normalizeSignal(signal);
  await scope.get(name).stop({ signal: first, graceMs: scope.config.stopGraceMs });
});

When(anchored(`I kill ${DAEMON} ${NAME}`), { timeout }, async function (name: string) {
  await scenarioScope(this).get(name).kill();
});

When(anchored(`I send signal (\\S+) to ${DAEMON} ${NAME}`), function (signal: string, name: string) {
  scenarioScope(this).get(name).sendSignal(normalizeSignal(signal));
});

When(anchored(`I wait for ${DAEMON} ${NAME} to exit${WITHIN}`), { timeout }, async function (name: string, within: string | null) {
  const scope = scenarioScope(this);
  await scope.get(name).waitForExit(withinOr(within, scope.config.exitTimeoutMs));
});

Then(anchored(`${DAEMON} ${NAME} was killed by signal (\\S+)`), function (name: string, signal: string) {
  const expected = normalizeSignal(signal);
  const daemon = scenarioScope(this).get(name);
  const exit = daemon.requireExit();
  if (exit.signal !== expected) {
    throw new DaemonStepsError(`daemon '${name}' should have been killed by signal ${expected}, but it ${describeExit(exit)}`, {
      daemon: daemon.context,
      exit,
      output: daemon.tails(),
    });
  }
});

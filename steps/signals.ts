import { Then, When } from '../support/define.js';
import { expectKilledBySignal, normalizeSignal } from '../helpers/index.js';
import { asserting } from '../support/assertion.js';
import { anchored, DAEMON, NAME, WITHIN } from '../support/patterns.js';
import { withinOr } from '../support/arguments.js';
import { scenarioScope } from '../support/state.js';
import { STEP_TIMEOUT_MS } from '../support/timeouts.js';

const timeout = STEP_TIMEOUT_MS;

// `, within N seconds` on a stop is its grace.
When(anchored(`I stop ${DAEMON} ${NAME}${WITHIN}`), { timeout }, async function (name: string, within: string | null) {
  const scope = scenarioScope(this);
  await scope.entry(name).stop({ graceMs: withinOr(within, scope.config.stopGraceMs) });
});

When(anchored(`I stop ${DAEMON} ${NAME} with signal (\\S+?)${WITHIN}`), { timeout }, async function (name: string, signal: string, within: string | null) {
  const scope = scenarioScope(this);
  const first = normalizeSignal(signal);
  await scope.entry(name).stop({ signal: first, graceMs: withinOr(within, scope.config.stopGraceMs) });
});

When(anchored(`I kill ${DAEMON} ${NAME}`), { timeout }, async function (name: string) {
  await scenarioScope(this).entry(name).kill();
});

When(anchored(`I send signal (\\S+) to ${DAEMON} ${NAME}`), function (signal: string, name: string) {
  const chosen = normalizeSignal(signal);
  scenarioScope(this).entry(name).sendSignal(chosen);
});

When(anchored(`I wait for ${DAEMON} ${NAME} to exit${WITHIN}`), { timeout }, async function (name: string, within: string | null) {
  const scope = scenarioScope(this);
  await scope.entry(name).waitForExit({ timeout: withinOr(within, scope.config.exitTimeoutMs) });
});

Then(anchored(`${DAEMON} ${NAME} was killed by signal (\\S+)`), function (name: string, signal: string) {
  const expected = normalizeSignal(signal);
  asserting(() => expectKilledBySignal(scenarioScope(this).entry(name), expected));
});

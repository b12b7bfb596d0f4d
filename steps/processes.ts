import { Given, Then } from '@cucumber/cucumber';
import { DaemonStepsError } from '../helpers/index.js';
import { expectPortClosed, expectPortOpen } from '../helpers/ports/expect-ports.js';
import { expectNoProcess, expectProcessRunning } from '../helpers/containment/expect-processes.js';
import { asserting } from '../support/assertion.js';
import { anchored, QUOTED } from '../support/patterns.js';
import { scenarioScope } from '../support/state.js';
import { parsePortNumber } from '../helpers/ports/port-number.js';

Given(anchored(`there is no ${QUOTED} process`), async function (pattern: string) {
  const scope = scenarioScope(this);
  await asserting(() => expectNoProcess(scope.expand(pattern), scope.marker, pattern));
});

Then(anchored(`a process ${QUOTED} is running`), async function (pattern: string) {
  const scope = scenarioScope(this);
  await asserting(() => expectProcessRunning(scope.expand(pattern), scope.marker, pattern));
});

function parsePort(world: object, written: string): number {
  const text = scenarioScope(world).expand(written);
  const port = parsePortNumber(text);
  if (port === undefined) {
    throw new DaemonStepsError(`port ${written}: '${text}' is not a TCP port; write a number from 1 to 65535, or \${NAME.port} for a daemon's port`);
  }
  return port;
}

Then(anchored('port (\\S+) is open'), async function (written: string) {
  const port = parsePort(this, written);
  await asserting(() => expectPortOpen(port, scenarioScope(this).config.host));
});

Then(anchored('port (\\S+) is closed'), async function (written: string) {
  const port = parsePort(this, written);
  await asserting(() => expectPortClosed(port, scenarioScope(this).config.host));
});

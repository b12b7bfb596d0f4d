import { Given, Then } from '../support/define.js';
import { expectPortClosed, expectPortOpen } from '../helpers/ports/expect-ports.js';
import { expectNoProcess, expectProcessRunning } from '../helpers/containment/expect-processes.js';
import { asserting } from '../support/assertion.js';
import { parsePort } from '../support/arguments.js';
import { anchored, QUOTED } from '../support/patterns.js';
import { scenarioScope } from '../support/state.js';

Given(anchored(`there is no ${QUOTED} process`), async function (pattern: string) {
  const scope = scenarioScope(this);
  await asserting(() => expectNoProcess(scope.expand(pattern), scope.marker, pattern));
});

Then(anchored(`a process ${QUOTED} is running`), async function (pattern: string) {
  const scope = scenarioScope(this);
  await asserting(() => expectProcessRunning(scope.expand(pattern), scope.marker, pattern));
});

Then(anchored('port (\\S+) is open'), async function (written: string) {
  const port = parsePort(this, written);
  await asserting(() => expectPortOpen(port, scenarioScope(this).config.host));
});

Then(anchored('port (\\S+) is closed'), async function (written: string) {
  const port = parsePort(this, written);
  await asserting(() => expectPortClosed(port, scenarioScope(this).config.host));
});

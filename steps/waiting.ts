import { When } from '../support/define.js';
import { realClock } from '../helpers/index.js';
import { waitForPort, type PortCondition } from '../helpers/ports/wait-port.js';
import { parseSeconds } from '../helpers/seconds.js';
import { parsePort, withinOr } from '../support/arguments.js';
import { anchored, WITHIN } from '../support/patterns.js';
import { scenarioScope } from '../support/state.js';
import { STEP_TIMEOUT_MS } from '../support/timeouts.js';

const timeout = STEP_TIMEOUT_MS;

When(anchored(`I wait for port (\\S+) to be (open|closed)${WITHIN}`), { timeout }, async function (written: string, condition: PortCondition, within: string | null) {
  const scope = scenarioScope(this);
  const port = parsePort(this, written);
  await waitForPort(port, condition, { host: scope.config.host, timeout: withinOr(within, scope.config.startTimeoutMs) });
});

// The last resort: a pause that waits for nothing in particular. Waiting for what the pause stands
// for (output, a port, a state, an exit) is faster when it comes early and says what went wrong.
When(anchored('I wait (\\S+) seconds?'), { timeout }, async function (seconds: string) {
  await realClock.sleep(parseSeconds(seconds, 'wait') * 1000);
});

import { Then } from '../support/define.js';
import { DAEMON_STATES, type DaemonState } from '../helpers/index.js';
import { expectStaysInState } from '../helpers/supervision/expect-state.js';
import { parseSeconds } from '../helpers/seconds.js';
import { asserting } from '../support/assertion.js';
import { anchored, DAEMON, NAME } from '../support/patterns.js';
import { scenarioScope } from '../support/state.js';
import { STEP_TIMEOUT_MS } from '../support/timeouts.js';

const STATE = `(${DAEMON_STATES.join('|')})`;

// "Nothing happens" needs a stretch of time: e.g. a stopped daemon is not restarted a few back-offs later.
Then(anchored(`${DAEMON} ${NAME} stays in state ${STATE} for (\\S+) seconds?`), { timeout: STEP_TIMEOUT_MS }, async function (name: string, state: DaemonState, seconds: string) {
  await asserting(() => expectStaysInState(scenarioScope(this).get(name), state, { timeout: parseSeconds(seconds, 'for') * 1000 }));
});

import { Then, When } from '../support/define.js';
import { docStringBytes } from '../helpers/output/text.js';
import {
  expectOutputContains,
  expectOutputEmpty,
  expectOutputIs,
  expectOutputMatches,
  parseText,
  waitForAnyOutput,
  waitForOutput,
  type OutputStream,
} from '../helpers/index.js';
import { asserting } from '../support/assertion.js';
import { anchored, DAEMON, NAME, QUOTED, WITHIN } from '../support/patterns.js';
import { withinOr } from '../support/arguments.js';
import { scenarioScope } from '../support/state.js';
import { STEP_TIMEOUT_MS } from '../support/timeouts.js';

const timeout = STEP_TIMEOUT_MS;
const STREAM = '(stdout|stderr)';

function textArgument(world: object, text: string): Buffer {
  return parseText(scenarioScope(world).expand(text));
}

When(anchored(`${DAEMON} ${NAME} has produced output`), { timeout }, async function (name: string) {
  const scope = scenarioScope(this);
  await waitForAnyOutput(scope.get(name), { timeout: scope.config.outputTimeoutMs });
});

When(
  anchored(`I wait for ${DAEMON} ${NAME} (stdout|stderr|output) to contain ${QUOTED}${WITHIN}`),
  { timeout },
  async function (name: string, stream: OutputStream | 'output', text: string, within: string | null) {
    const scope = scenarioScope(this);
    await waitForOutput(scope.get(name), stream, textArgument(this, text), { timeout: withinOr(within, scope.config.outputTimeoutMs) });
  },
);

Then(anchored(`${DAEMON} ${NAME} ${STREAM} is ${QUOTED}`), { timeout }, async function (name: string, stream: OutputStream, text: string) {
  await asserting(() => expectOutputIs(scenarioScope(this).get(name), stream, textArgument(this, text)));
});

Then(anchored(`${DAEMON} ${NAME} ${STREAM} is:`), { timeout }, async function (name: string, stream: OutputStream, docString: string) {
  await asserting(() => expectOutputIs(scenarioScope(this).get(name), stream, docStringBytes(docString)));
});

Then(anchored(`${DAEMON} ${NAME} ${STREAM} contains ${QUOTED}`), { timeout }, async function (name: string, stream: OutputStream, text: string) {
  await asserting(() => expectOutputContains(scenarioScope(this).get(name), stream, textArgument(this, text)));
});

Then(anchored(`${DAEMON} ${NAME} ${STREAM} contains:`), { timeout }, async function (name: string, stream: OutputStream, docString: string) {
  await asserting(() => expectOutputContains(scenarioScope(this).get(name), stream, docStringBytes(docString)));
});

Then(
  anchored(`${DAEMON} ${NAME} ${STREAM} doesn't contain ${QUOTED}`),
  { timeout },
  async function (name: string, stream: OutputStream, text: string) {
    await asserting(() => expectOutputContains(scenarioScope(this).get(name), stream, textArgument(this, text), false));
  },
);

Then(anchored(`${DAEMON} ${NAME} ${STREAM} matches ${QUOTED}`), { timeout }, async function (name: string, stream: OutputStream, pattern: string) {
  const scope = scenarioScope(this);
  await asserting(() => expectOutputMatches(scope.get(name), stream, scope.expand(pattern)));
});

Then(anchored(`${DAEMON} ${NAME} ${STREAM} is empty`), { timeout }, async function (name: string, stream: OutputStream) {
  await asserting(() => expectOutputEmpty(scenarioScope(this).get(name), stream));
});

When(anchored(`I type ${QUOTED} into ${DAEMON} ${NAME}`), { timeout }, async function (text: string, name: string) {
  const scope = scenarioScope(this);
  await scope.get(name).writeStdin(Buffer.concat([textArgument(this, text), Buffer.from('\n')]), { timeout: scope.config.outputTimeoutMs });
});

When(anchored(`I close the stdin of ${DAEMON} ${NAME}`), function (name: string) {
  scenarioScope(this).get(name).closeStdin();
});

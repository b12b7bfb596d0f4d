import { Then } from '../support/define.js';
import { expectCombinedLogContains, expectFileAbsent, expectFileContains, expectFileExists } from '../helpers/workspace/expect-files.js';
import { parseText } from '../helpers/index.js';
import { asserting } from '../support/assertion.js';
import { anchored, BARE_PATH, QUOTED } from '../support/patterns.js';
import { scenarioScope } from '../support/state.js';

Then(anchored(`the file ${BARE_PATH} contains ${QUOTED}`), async function (written: string, text: string) {
  const scope = scenarioScope(this);
  await asserting(() => expectFileContains(scope.resolvePath(written), written, parseText(scope.expand(text))));
});

Then(anchored(`the file ${BARE_PATH} exists`), function (written: string) {
  asserting(() => expectFileExists(scenarioScope(this).resolvePath(written), written));
});

Then(anchored(`the file ${BARE_PATH} does not exist`), function (written: string) {
  asserting(() => expectFileAbsent(scenarioScope(this).resolvePath(written), written));
});

Then(anchored(`the combined log contains ${QUOTED}`), async function (text: string) {
  const scope = scenarioScope(this);
  await asserting(() => expectCombinedLogContains(scope.combinedLog.path, parseText(scope.expand(text))));
});

import { Then } from '@cucumber/cucumber';
import { existsSync } from 'node:fs';
import { DaemonStepsError, parseText, quoteBytes } from '../helpers/index.js';
import { fileContains, readFileTail } from '../helpers/output.js';
import { showBytes } from '../helpers/text.js';
import { anchored, QUOTED } from '../support/patterns.js';
import { scenarioScope } from '../support/state.js';

Then(anchored(`the file (\\S+) contains ${QUOTED}`), async function (written: string, text: string) {
  const scope = scenarioScope(this);
  const file = scope.resolvePath(written);
  const needle = parseText(scope.expand(text));
  if (!existsSync(file)) throw new DaemonStepsError(`the file ${written} does not exist (looked for ${file})`);
  if (!(await fileContains(file, needle))) {
    throw new DaemonStepsError(`the file ${written} does not contain ${quoteBytes(needle)}; it ends with:\n${showBytes(readFileTail(file, 2000))}`);
  }
});

Then(anchored('the file (\\S+) exists'), function (written: string) {
  const file = scenarioScope(this).resolvePath(written);
  if (!existsSync(file)) throw new DaemonStepsError(`the file ${written} does not exist (looked for ${file})`);
});

Then(anchored('the file (\\S+) does not exist'), function (written: string) {
  const file = scenarioScope(this).resolvePath(written);
  if (existsSync(file)) throw new DaemonStepsError(`the file ${written} exists (${file}), but it should not`);
});

Then(anchored(`the combined log contains ${QUOTED}`), async function (text: string) {
  const scope = scenarioScope(this);
  const needle = parseText(scope.expand(text));
  if (!(await fileContains(scope.combinedLog.path, needle))) {
    throw new DaemonStepsError(
      `the combined log does not contain ${quoteBytes(needle)}; it ends with:\n${showBytes(readFileTail(scope.combinedLog.path, 2000))}\n(all of it: ${scope.combinedLog.path})`,
    );
  }
});

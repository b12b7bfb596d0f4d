// Test-only step for this project's own suite (not part of the library): a scenario can run
// another cucumber-js, with daemon-steps loaded as a consumer loads it, on a feature it wrote into
// its workspace. That is how the suite watches a step fail, or a scenario end, from outside.
import { Given } from '@cucumber/cucumber';
import { chmodSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { scenarioScope } from 'daemon-steps';

const project = fileURLToPath(new URL('../..', import.meta.url));

Given(/^this project's cucumber-js as a helper script (\S+)$/, function (file) {
  const scope = scenarioScope(this);
  const target = scope.resolvePath(file);
  const cucumber = path.join(project, 'node_modules', '@cucumber', 'cucumber', 'bin', 'cucumber.js');
  const support = path.join(project, 'features', 'support', 'daemon-steps.mjs');
  writeFileSync(target, `#!/bin/sh\nexec node '${cucumber}' --import '${support}' --format progress "$@"\n`);
  chmodSync(target, 0o755);
});

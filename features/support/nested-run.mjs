// Test-only step for this project's own suite (not part of the library): a scenario can run
// another cucumber-js, with daemon-steps loaded as a consumer loads it, on a feature it wrote into
// its workspace. That is how the suite watches a step fail, or a scenario end, from outside.
import { Given } from '@cucumber/cucumber';
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
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

// The same with Aruba's dialect loaded too, as `bin/cucumber` of the scenario's workspace: Aruba's
// scenarios then run it the way Aruba's own do (``When I run `cucumber` ``), in the workspace,
// which is the inner run's project. Its workspaces go to ./tmp, and are never kept.
Given(/^this project's cucumber-js with Aruba's steps as the command cucumber$/, function () {
  const scope = scenarioScope(this);
  const cucumber = path.join(project, 'node_modules', '@cucumber', 'cucumber', 'bin', 'cucumber.js');
  const imports = ['daemon-steps.mjs', 'aruba.mjs'].map((file) => `--import '${path.join(project, 'features', 'support', file)}'`).join(' ');
  mkdirSync(scope.resolvePath('bin'), { recursive: true });
  mkdirSync(scope.resolvePath('tmp'), { recursive: true });
  writeFileSync(
    scope.resolvePath('bin/cucumber'),
    `#!/bin/sh\nTMPDIR='${scope.resolvePath('tmp')}' DAEMON_STEPS_KEEP_WORKSPACE=never exec node '${cucumber}' ${imports} --format progress "$@"\n`,
  );
  chmodSync(scope.resolvePath('bin/cucumber'), 0o755);
});

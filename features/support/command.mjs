// Test-only step for this project's own suite (not part of the library): a scenario gets this
// checkout's `daemon-steps` command as a script in its workspace, to run as `./daemon-steps …`.
import { Given } from '@cucumber/cucumber';
import { chmodSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { scenarioScope } from 'daemon-steps';

const command = fileURLToPath(new URL('../../dist/bin/daemon-steps.js', import.meta.url));

Given(/^this project's daemon-steps command as a helper script (\S+)$/, function (file) {
  const target = scenarioScope(this).resolvePath(file);
  writeFileSync(target, `#!/bin/sh\nexec node '${command}' "$@"\n`);
  chmodSync(target, 0o755);
});

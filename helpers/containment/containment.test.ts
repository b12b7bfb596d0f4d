import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { Cgroup } from './cgroup.js';
import { resolveConfig } from '../config.js';
import { containmentInUse } from './containment.js';
import { DaemonScope } from '../scope.js';

const withCgroups = containmentInUse('auto');
const noCgroups = withCgroups.kind !== 'cgroup' && `this runner may not create cgroups: ${withCgroups.reason}`;

/** The v2 line of a process's own /proc/self/cgroup, as the program printed it at its first instruction. */
async function cgroupSeenByProgram(scope: DaemonScope, name: string): Promise<string> {
  const daemon = await scope.run({ name, command: 'cat /proc/self/cgroup' });
  return daemon.stdout.read().toString().split('\n').find((line) => line.startsWith('0::'))!.slice(3);
}

describe('containment by cgroup', { skip: noCgroups }, () => {
  it('puts a daemon in <run>/<scope>/<name> before its first instruction, and removes the cgroups once empty', async () => {
    const scope = new DaemonScope({ label: 'containment test', config: resolveConfig({}, {}) });
    const run = (containmentInUse() as { directory: string }).directory;
    const scopeCgroup = new Cgroup(path.join(run, scope.marker.slice(scope.marker.indexOf(':') + 1)));
    const daemonCgroup = new Cgroup(path.join(scopeCgroup.directory, 'reader'));
    try {
      const seen = await cgroupSeenByProgram(scope, 'reader');
      assert.equal(seen.endsWith(`/${path.basename(run)}/${path.basename(scopeCgroup.directory)}/reader`), true, `the program saw ${seen}`);
      assert.equal(daemonCgroup.exists(), true, 'the daemon has exited; its cgroup waits for the stop');
      await scope.stopAll();
      assert.equal(daemonCgroup.exists(), false, 'stopped, its cgroup is removed');
    } finally {
      await scope.dispose();
    }
    assert.equal(scopeCgroup.exists(), false, "disposed, the scope's cgroup is removed");
  });

  it('with containment "process-group", leaves the daemon in the runner’s own cgroup', async () => {
    const scope = new DaemonScope({ label: 'containment test', config: resolveConfig({ containment: 'process-group' }, {}) });
    try {
      const seen = await cgroupSeenByProgram(scope, 'reader');
      const runners = readFileSync('/proc/self/cgroup', 'latin1').split('\n').find((line) => line.startsWith('0::'))!.slice(3);
      assert.equal(seen, runners);
    } finally {
      await scope.dispose();
    }
  });
});

describe('the containment setting', () => {
  it('is auto, cgroup or process-group, and says so when it is not', () => {
    assert.equal(resolveConfig({}, {}).containment, 'auto');
    assert.equal(resolveConfig({}, { DAEMON_STEPS_CONTAINMENT: 'process-group' }).containment, 'process-group');
    assert.throws(() => resolveConfig({ containment: 'cgroups' }, {}), {
      message: 'worldParameters.daemonSteps.containment = "cgroups": expected "auto", "cgroup", "process-group"',
    });
  });
});

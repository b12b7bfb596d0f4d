import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { Cgroup, cgroupOf } from './cgroup.js';
import { resolveConfig } from '../config.js';
import { containmentInUse, spawnInCgroup, thisRunCgroup, type MoveSelf } from './containment.js';
import { endCgroup } from './leftovers.js';
import { readCommandLine } from './proc.js';
import { ensureReaper } from './reaper.js';
import { pollUntil } from '../readiness/poll.js';
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

/** The real move, except that the first `failures` moves back to `home` fail as a full cgroup's write would. */
function movesHomeFailing(home: Cgroup, failures: number): MoveSelf {
  let left = failures;
  return (cgroup) => {
    if (cgroup.directory === home.directory && left > 0) {
      left -= 1;
      throw Object.assign(new Error(`EBUSY: resource busy or locked, write (injected)`), { code: 'EBUSY' });
    }
    writeFileSync(path.join(cgroup.directory, 'cgroup.procs'), '0');
  };
}

/** A cgroup of this run for one test, with the runner put back home and the cgroup removed afterwards. */
async function withTestCgroup(name: string, test: (cgroup: Cgroup, home: Cgroup) => Promise<void>): Promise<void> {
  // The watchdog removes the run's cgroup once this process is gone.
  ensureReaper();
  const home = cgroupOf('self')!;
  const cgroup = thisRunCgroup()!.child(`${name}-${process.pid}`);
  try {
    await test(cgroup, home);
  } finally {
    writeFileSync(path.join(home.directory, 'cgroup.procs'), '0');
    // The killed processes leave it as the kernel finishes them.
    assert.ok(await pollUntil(() => cgroup.remove() || undefined, { timeoutMs: 5000 }), `${cgroup.directory} did not empty`);
  }
}

const sleeper = () => spawn('sh', ['-c', 'sleep 300 & exec sleep 301'], { detached: true, stdio: 'ignore' });

describe('spawning into a cgroup when the runner cannot move back', { skip: noCgroups }, () => {
  it('tries the move back once more, and with that it is home and the child is in the cgroup', async () => {
    await withTestCgroup('retried', async (cgroup, home) => {
      const { child } = await spawnInCgroup(cgroup, sleeper, movesHomeFailing(home, 1));
      const exited = once(child, 'exit');
      try {
        assert.equal(cgroupOf('self')?.directory, home.directory);
        assert.equal(cgroupOf(child.pid!)?.directory, cgroup.directory);
      } finally {
        process.kill(-child.pid!, 'SIGKILL');
        await exited;
      }
    });
  });

  it('failing twice, ends and reaps the child, says so, and then refuses to end the cgroup that holds the runner', async () => {
    await withTestCgroup('stuck', async (cgroup, home) => {
      let child: ChildProcess | undefined;
      await assert.rejects(
        spawnInCgroup(cgroup, () => (child = sleeper()), movesHomeFailing(home, 2)),
        {
          name: 'ContainmentError',
          message:
            `this runner (pid ${process.pid}) spawned into cgroup ${cgroup.directory} but could not move back to its own, ${home.directory}, ` +
            `in two tries (EBUSY: resource busy or locked, write (injected)); the process it spawned (pid ${child?.pid ?? '?'}) was ended. ` +
            `While the runner is in it, that cgroup is not ended (that would end the run); move the runner out (echo ${process.pid} > ${home.directory}/cgroup.procs)`,
        },
      );
      assert.equal(child!.signalCode, 'SIGKILL', 'the child was ended and reaped before the error');
      assert.ok(cgroup.ownPids().includes(process.pid), 'the injected failure left the runner in the cgroup');
      const refusal = {
        name: 'ContainmentError',
        message:
          `refusing to end the processes of cgroup ${cgroup.directory}: it holds this runner (pid ${process.pid}), so ending it would end this run too; ` +
          'move that process out (write the pid to the cgroup.procs of a cgroup outside it), then stop again',
      };
      await assert.rejects(endCgroup(cgroup, { graceMs: 0 }), refusal);
      assert.throws(() => cgroup.kill(), refusal);
    });
  });

  it('refuses to end a cgroup that holds a process the runner runs under', async () => {
    const leftovers = path.join(path.dirname(fileURLToPath(import.meta.url)), 'leftovers.js');
    const cgroupModule = path.join(path.dirname(fileURLToPath(import.meta.url)), 'cgroup.js');
    // A runner of its own, started while this process is home: this process is its parent.
    const runner = spawn(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        `const { endCgroup } = await import(${JSON.stringify(leftovers)});
         const { Cgroup } = await import(${JSON.stringify(cgroupModule)});
         process.stdin.once('data', async (line) => {
           const outcome = await endCgroup(new Cgroup(line.toString().trim()), { graceMs: 0 }).then(() => 'ended', (error) => error.message);
           process.stdout.write(outcome + '\\n');
         });
         process.stdout.write('waiting\\n');`,
      ],
      { stdio: ['pipe', 'pipe', 'inherit'] },
    );
    const lines = createInterface({ input: runner.stdout! })[Symbol.asyncIterator]();
    try {
      assert.equal((await lines.next()).value, 'waiting');
      await withTestCgroup('ancestor', async (cgroup) => {
        writeFileSync(path.join(cgroup.directory, 'cgroup.procs'), '0');
        runner.stdin!.write(`${cgroup.directory}\n`);
        assert.equal(
          (await lines.next()).value,
          `refusing to end the processes of cgroup ${cgroup.directory}: it holds pid ${process.pid} (${readCommandLine(process.pid)}), which this runner runs under, ` +
            'so ending it would end this run too; move that process out (write the pid to the cgroup.procs of a cgroup outside it), then stop again',
        );
      });
    } finally {
      runner.stdin!.end();
      await once(runner, 'exit');
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

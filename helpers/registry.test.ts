import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Daemon } from './process/daemon.js';
import { StopFailuresError, stopTimeoutError } from './errors.js';
import type { CapturedProcess, ManagedProcess } from './process/managed-process.js';
import { thisRun } from './containment/marker.js';
import { DaemonRegistry } from './registry.js';
import type { StopOutcome } from './containment/terminate.js';

/** Only what the registry reads of a daemon (its name, its command and whether it runs), as a Daemon. */
function fakeDaemon(name: string, commandLine: string, isRunning: boolean): Daemon {
  const current = { pid: 1, exit: isRunning ? undefined : { code: 0, signal: null, cause: 'by-itself' as const } };
  return Object.assign(Object.create(Daemon.prototype) as Daemon, { name, spec: { commandLine }, current });
}

describe('DaemonRegistry', () => {
  it('finds daemons by name and lists them in the order they were added', () => {
    const registry = new DaemonRegistry('run:scope');
    const web = registry.add(fakeDaemon('web', 'sleep 30', true));
    registry.add(fakeDaemon('db', 'sleep 31', true));
    assert.equal(registry.get('web'), web);
    assert.equal(registry.has('db'), true);
    assert.equal(registry.has('cache'), false);
    assert.deepEqual(registry.names(), ['web', 'db']);
  });

  it('rejects an unknown name, listing the daemons there are', () => {
    const registry = new DaemonRegistry('run:scope');
    assert.throws(() => registry.get('web'), {
      name: 'UnknownDaemonError',
      message: "no daemon named 'web' in this scope; none has been started yet",
    });
    registry.add(fakeDaemon('web', 'sleep 30', true));
    registry.add(fakeDaemon('db', 'sleep 31', true));
    assert.throws(() => registry.get('cache'), { message: "no daemon named 'cache' in this scope; started: web, db" });
  });

  it('rejects a duplicate name, saying how to stop, restart or rename', () => {
    const registry = new DaemonRegistry('run:scope');
    registry.add(fakeDaemon('web', 'sleep 30', true));
    registry.add(fakeDaemon('done', 'true', false));
    assert.throws(() => registry.assertNameFree('web'), {
      name: 'DuplicateDaemonError',
      message:
        "a daemon named 'web' already exists in this scope (sleep 30, still running); " +
        'stop or restart it first, or choose another name',
    });
    assert.throws(() => registry.add(fakeDaemon('done', 'false', true)), {
      message:
        "a daemon named 'done' already exists in this scope (true, no longer running); " +
        'stop or restart it first, or choose another name',
    });
    assert.deepEqual(registry.names(), ['web', 'done']);
  });

  it('serves by name anything that captured its output, not only a Daemon; what did not is refused, saying why', () => {
    const registry = new DaemonRegistry('run:scope');
    // Another backend's process (a container, say): only the interface, no Daemon behind it.
    const container = { name: 'db', context: { name: 'db', command: 'postgres:16' }, isRunning: true, capturesOutput: true } as unknown as CapturedProcess;
    const adopted = { name: 'master', context: { name: 'master', command: 'adopted from pid file master.pid' }, isRunning: true, capturesOutput: false } as unknown as ManagedProcess;
    registry.add(container);
    registry.add(adopted);
    assert.equal(registry.get('db'), container);
    assert.deepEqual(registry.all(), [container]);
    assert.equal(registry.entry('master'), adopted);
    assert.throws(() => registry.get('master'), {
      name: 'AdoptedProcessError',
      message:
        "daemon 'master' (adopted from pid file master.pid) was not started by daemon-steps: it has no captured output or stdin and cannot be restarted; " +
        'read its log file, or stop, kill, signal or wait for it',
    });
  });

  it('stops every entry, and reports every stop that failed, each naming its daemon', async () => {
    const registry = new DaemonRegistry(`${thisRun.runId}:registry-test-${process.pid}`);
    const closed: string[] = [];
    const entry = (name: string, stop: () => Promise<StopOutcome>) =>
      ({ name, context: { name }, isRunning: true, stop, closeFiles: () => closed.push(name) }) as unknown as ManagedProcess;
    const stuck = (name: string) => () => Promise.reject(stopTimeoutError({ name, command: 'sleep 30' }, [4242], 3000));
    registry.add(entry('api', stuck('api')));
    registry.add(entry('web', async () => ({ forced: false, elapsedMs: 1, survivors: [] })));
    registry.add(entry('worker', stuck('worker')));
    await assert.rejects(registry.stopAll(0), (error: unknown) => {
      assert.ok(error instanceof StopFailuresError && error instanceof AggregateError, String(error));
      assert.equal(error.errors.length, 2);
      assert.equal(
        error.message,
        '2 stops failed:\n' +
          "- daemon 'api' (sleep 30): processes 4242 were still there 3 s after SIGKILL (uninterruptible sleep?); look at them with ps\n" +
          "- daemon 'worker' (sleep 30): processes 4242 were still there 3 s after SIGKILL (uninterruptible sleep?); look at them with ps",
      );
      return true;
    });
    assert.deepEqual(closed, ['api', 'web', 'worker'], 'every entry let go of its files all the same');
  });
});

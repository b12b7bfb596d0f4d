import { runWithClauses, startWithClauses } from '../support/clause-options.js';
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { resolveConfig } from './config.js';
import { isInScope } from './containment/marker.js';
import { waitForOutput } from './output/expect-output.js';
import { isAlive, processesWithMarker, sendSignal } from './containment/proc.js';
import { DaemonScope } from './scope.js';
import { removeRunDirectoryIfEmpty } from './workspace/workspace.js';

/** `, restarting on exit` through a scope, the way the steps use it. */
describe('DaemonScope: supervised daemons', { timeout: 10_000 }, () => {
  const newScope = (label: string) => new DaemonScope({ label, config: resolveConfig({ stopGrace: 1 }) });
  const alive = (scope: DaemonScope) => processesWithMarker((marker) => isInScope(marker, scope.marker));

  it('tears down a supervised daemon whose restart is pending: it is not restarted, nothing is left', async () => {
    const scope = newScope('teardown with a pending restart');
    const daemon = await startWithClauses(scope,{ name: 'crashy', command: "sh -c 'sleep 0.05; exit 1'", clauses: ', restarting on exit with back-off from 5 to 5 seconds forever' });
    await daemon.waitForState('BACKOFF', { timeout: 5000 });
    await scope.dispose();
    assert.deepEqual(scope.supervisor.list().map((p) => [p.name, p.state]), [['crashy', 'STOPPED']]);
    assert.equal(daemon.state, 'STOPPED');
    assert.deepEqual(alive(scope), []);
    removeRunDirectoryIfEmpty();
  });

  it('tears down a running supervised daemon and a plain one together', async () => {
    const scope = newScope('teardown of two');
    const supervised = await startWithClauses(scope,{ name: 'kept', command: 'sleep 30', clauses: ', restarting on exit' });
    const plain = await startWithClauses(scope,{ name: 'plain', command: 'sleep 31' });
    assert.equal(alive(scope).length, 2);
    await scope.dispose();
    assert.equal(supervised.state, 'STOPPED');
    assert.equal(plain.state, 'STOPPED');
    assert.deepEqual(alive(scope), []);
    removeRunDirectoryIfEmpty();
  });

  it('teardown signals a supervised daemon once: a second SIGTERM often means "quit now"', async () => {
    const scope = newScope('one SIGTERM');
    const script = `trap 'echo TERM >> terms.log; sleep 0.2; exit 0' TERM; echo ready; while :; do sleep 0.01; done`;
    await startWithClauses(scope,{ name: 'graceful', command: `sh -c "${script}"`, clauses: ', restarting on exit, waiting for stdout to contain "ready"' });
    const terms = path.join(scope.workspace, 'terms.log');
    await scope.stopAll();
    assert.equal(readFileSync(terms, 'utf8'), 'TERM\n');
    await scope.dispose();
    removeRunDirectoryIfEmpty();
  });

  it('lets go of the pipes of an earlier process too, when an escaped descendant of it holds them', { skip: process.platform !== 'linux' }, async () => {
    // Contained by process group, as without cgroups: a cgroup would end the escaped process too.
    const scope = new DaemonScope({ label: 'pipes of an earlier process', config: resolveConfig({ stopGrace: 1, containment: 'process-group' }) });
    const escapedPidFile = path.join(scope.workspace, 'escaped.pid');
    try {
      // The first process leaves behind a descendant that nothing can find (its own session, no
      // marker, orphaned) but that holds the first process's stdout and stderr, then exits; the
      // second one runs.
      writeFileSync(
        path.join(scope.workspace, 'escaper.sh'),
        [
          'if [ -e escaped.pid ]; then echo second; exec sleep 30; fi',
          `(setsid env -u DAEMON_STEPS_RUN sh -c 'echo $$ > escaped.tmp; mv escaped.tmp escaped.pid; exec sleep 30' &)`,
          'while [ ! -e escaped.pid ]; do sleep 0.01; done',
          'exit 1',
        ].join('\n'),
      );
      const daemon = await startWithClauses(scope,{ name: 'escaper', command: 'sh escaper.sh', clauses: ', restarting on exit with back-off from 0.01 to 0.01 seconds' });
      await once(daemon, 'restarted');
      await waitForOutput(daemon, 'stdout', Buffer.from('second\n'), { timeout: 5000 });
      await scope.stopAll();
      assert.equal(isAlive(Number(readFileSync(escapedPidFile, 'utf8'))), true, 'the escaped process should have survived the stop');
      assert.equal(daemon.stdout.idle, true, "the first process's stdout pipe is still open");
      assert.equal(daemon.stderr.idle, true, "the first process's stderr pipe is still open");
    } finally {
      if (existsSync(escapedPidFile)) sendSignal(Number(readFileSync(escapedPidFile, 'utf8')), 'SIGKILL');
      await scope.dispose();
      removeRunDirectoryIfEmpty();
    }
  });

  it('refuses `, restarting on exit` on a command that is run to its end, saying how to use it', async () => {
    const scope = newScope('run with restart');
    try {
      await assert.rejects(runWithClauses(scope,{ name: 'once', command: 'true', clauses: ', restarting on exit' }), {
        name: 'InvalidArgumentError',
        message: `', restarting on exit' keeps a daemon running: start it with "I start …" or "I try to start …"`,
      });
    } finally {
      await scope.dispose();
      removeRunDirectoryIfEmpty();
    }
  });
});

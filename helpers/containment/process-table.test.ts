import { startWithClauses } from '../../support/clause-options.js';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { after, describe, it } from 'node:test';
import { MARKER_VARIABLE } from './marker.js';
import { findProcesses } from './process-table.js';
import { DaemonScope } from '../scope.js';
import { removeRunDirectoryIfEmpty } from '../workspace/workspace.js';

after(() => removeRunDirectoryIfEmpty());

describe('findProcesses', () => {
  it('shows a scope its own daemons and hides those of scopes running at the same time', async () => {
    await using mine = new DaemonScope({ label: 'mine' });
    await using theirs = new DaemonScope({ label: 'theirs' });
    const daemon = await startWithClauses(mine,{ name: 'sleeper', command: 'sleep 31861' });
    assert.deepEqual(await findProcesses('sleep 31861', mine.marker), [{ pid: daemon.pid, commandLine: 'sleep 31861' }]);
    assert.deepEqual(await findProcesses('sleep 31861', theirs.marker), []);
  });

  it('sees its daemons’ descendants, which inherit the marker', async () => {
    await using mine = new DaemonScope({ label: 'parent' });
    await using theirs = new DaemonScope({ label: 'other' });
    const parent = await startWithClauses(mine,{ name: 'parent', command: "sh -c 'sleep 31862 & echo started; wait'", clauses: ', waiting for stdout to contain "started"' });
    const seen = await findProcesses('sleep 31862', mine.marker);
    // The child may not have exec'd sleep yet, but it is there, and it is not the daemon itself.
    assert.ok(seen.some((p) => p.pid !== parent.pid), JSON.stringify(seen));
    assert.deepEqual(await findProcesses('sleep 31862', theirs.marker), []);
  });

  it('sees processes that no run started, and never the runner itself', async () => {
    await using scope = new DaemonScope({ label: 'unmarked' });
    const env = { ...process.env };
    delete env[MARKER_VARIABLE];
    const stranger = spawn('sleep', ['31863'], { env, stdio: 'ignore' });
    try {
      await once(stranger, 'spawn');
      assert.deepEqual(await findProcesses('sleep 31863', scope.marker), [{ pid: stranger.pid, commandLine: 'sleep 31863' }]);
      assert.deepEqual(await findProcesses(process.argv[1]!, scope.marker), []);
    } finally {
      const exited = once(stranger, 'exit');
      stranger.kill();
      await exited;
    }
  });

  it('looks again at a process caught in the middle of an exec, before its command line can be read', async () => {
    // Between an exec's start (when a parent that waits for it is told the child runs) and the new
    // program's arguments being in place, /proc shows an empty command line. A shell started with
    // an empty argument list has one too, until it execs what its stdin tells it: 30 ms later here.
    const emptyArgvShell = [
      'import ctypes, os',
      'env = [f"{k}={v}".encode() for k, v in os.environ.items()]',
      'ctypes.CDLL(None).execve(b"/bin/sh", (ctypes.c_char_p * 1)(None), (ctypes.c_char_p * (len(env) + 1))(*env, None))',
    ].join('\n');
    const shell = spawn('python3', ['-c', emptyArgvShell], { stdio: ['pipe', 'pipe', 'inherit'] });
    try {
      shell.stdin!.write('echo ready; sleep 0.03; exec sleep 31864\n');
      await once(shell.stdout!, 'data');
      assert.deepEqual(await findProcesses('sleep 31864', 'no scope'), [{ pid: shell.pid, commandLine: 'sleep 31864' }]);
    } finally {
      const exited = once(shell, 'exit');
      shell.kill();
      await exited;
    }
  });
});

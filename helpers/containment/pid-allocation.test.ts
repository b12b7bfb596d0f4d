import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { after, describe, it } from 'node:test';
import { handedOutBetween, markPids, pidsSince, type PidMark } from './pid-allocation.js';

const mark = (lastPid: number, forks: number, tasks = 100): PidMark => ({ lastPid, forks, tasks });

describe('which pids may have been handed out between two marks', () => {
  it('is the range after the first mark up to the last pid now', () => {
    const since = handedOutBetween(mark(1000, 50_000), mark(1010, 50_012), 32768)!;
    assert.deepEqual([999, 1000, 1001, 1005, 1010, 1011, 20_000].map(since), [false, false, true, true, true, false, false]);
  });

  it('follows the allocation round the end of the cycle', () => {
    const since = handedOutBetween(mark(32_700, 50_000), mark(400, 50_500), 32768)!;
    assert.deepEqual([32_700, 32_701, 32_767, 300, 400, 401, 5000].map(since), [false, true, true, true, true, false, false]);
  });

  it('cannot tell once the allocation may have gone round the whole cycle', () => {
    // Every number passed over was handed out, in use by a task that existed then, or reserved.
    // Or in use as the group or session of a task whose leader is gone: three numbers a task.
    assert.equal(handedOutBetween(mark(1000, 0, 100), mark(1010, 32_768 - 600), 32768), undefined);
    assert.notEqual(handedOutBetween(mark(1000, 0, 100), mark(1010, 32_768 - 601), 32768), undefined);
  });
});

describe('the pids handed out since a mark, on this machine', () => {
  const children: ChildProcess[] = [];
  after(async () => {
    await Promise.all(children.map(async (child) => {
      if (child.exitCode === null && child.signalCode === null) {
        const exited = once(child, 'exit');
        child.kill('SIGKILL');
        await exited;
      }
    }));
  });
  const sleeper = async () => {
    const child = spawn('sleep', ['300'], { stdio: 'ignore' });
    children.push(child);
    await once(child, 'spawn');
    return child.pid!;
  };

  it('include a process spawned after the mark and not one spawned before it', async () => {
    const before = await sleeper();
    const taken = markPids();
    assert.ok(taken, '/proc/loadavg and /proc/stat are readable here');
    const afterwards = await sleeper();
    const pids = pidsSince(taken);
    assert.ok(pids, 'a few forks cannot have gone round the pid cycle');
    assert.ok(pids.includes(afterwards), `${afterwards} is among ${pids.join(' ')}`);
    assert.ok(!pids.includes(before), `${before} is not among ${pids.join(' ')}`);
  });

  it('are not told when the counters say the cycle may have been gone round', () => {
    const now = markPids()!;
    assert.equal(pidsSince({ ...now, forks: now.forks - 5_000_000 }), undefined);
  });
});

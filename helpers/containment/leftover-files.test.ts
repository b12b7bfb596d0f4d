import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { cleanLeftoverFiles, describeClean } from './leftover-files.js';
import { thisRun } from './marker.js';
import { readProcStat } from './proc.js';

const base = mkdtempSync(path.join(os.tmpdir(), 'leftover-files-test-'));
after(() => rmSync(base, { recursive: true, force: true }));

/** A process that has ended, with the start time it had: its run is gone. */
function endedProcess(): { pid: number; startTime: number } {
  const child = spawnSync('sh', ['-c', 'cat /proc/$$/stat']);
  const stat = child.stdout.toString();
  return { pid: child.pid!, startTime: Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19]) };
}

function runDirectory(temporary: string, runId: string, workspaces: string[]): string {
  const directory = path.join(temporary, `daemon-steps-${runId}`);
  for (const workspace of workspaces) mkdirSync(path.join(directory, workspace), { recursive: true });
  return directory;
}

describe('daemon-steps clean', () => {
  it('removes the directories of runs that are gone and stale port locks, and leaves a live run alone', () => {
    const temporary = mkdtempSync(path.join(base, 'tmp-'));
    const locks = mkdtempSync(path.join(base, 'ports-'));
    const dead = endedProcess();
    const gone = runDirectory(temporary, `${dead.pid}.${dead.startTime}.abc123`, ['002-b', '001-a']);
    // This test's parent (node --test) is a live runner.
    const parent = readProcStat(process.ppid)!;
    const live = runDirectory(temporary, `${parent.pid}.${parent.startTime}.def456`, ['001-running']);
    const own = runDirectory(temporary, thisRun.runId, ['001-mine']);
    const unrelated = path.join(temporary, 'daemon-steps-0');
    mkdirSync(unrelated);
    writeFileSync(path.join(locks, '41000.lock'), `${dead.pid} ${dead.startTime}\n`);
    writeFileSync(path.join(locks, '41001.lock'), `${thisRun.pid} ${thisRun.startTime}\n`);
    writeFileSync(path.join(locks, 'notes.txt'), 'not a lock\n');

    const report = cleanLeftoverFiles({ temporaryDirectory: temporary, lockDirectory: locks });

    assert.equal(existsSync(gone), false);
    assert.equal(existsSync(live), true);
    assert.equal(existsSync(own), true);
    assert.equal(existsSync(unrelated), true);
    assert.deepEqual(readdirSync(locks).sort(), ['41001.lock', 'notes.txt']);
    assert.deepEqual(describeClean(report), [
      `removed ${gone} (a run whose runner, pid ${dead.pid}, is gone; 2 workspaces: 001-a, 002-b)`,
      'removed the lock of port 41000 (its owner is gone)',
      `left ${live} alone: its runner (pid ${parent.pid}) is running`,
    ]);

    assert.deepEqual(describeClean(cleanLeftoverFiles({ temporaryDirectory: temporary, lockDirectory: locks })), [
      'nothing to clean',
      `left ${live} alone: its runner (pid ${parent.pid}) is running`,
    ]);
  });

  it('leaves a run whose runner is gone alone while a process it started still runs', async () => {
    const temporary = mkdtempSync(path.join(base, 'tmp-'));
    const dead = endedProcess();
    const runId = `${dead.pid}.${dead.startTime}.0a0a0a`;
    const directory = runDirectory(temporary, runId, ['001-walked-away']);
    const { spawn } = await import('node:child_process');
    const orphan = spawn('sleep', ['30'], { env: { ...process.env, DAEMON_STEPS_RUN: `${runId}:scope-1/web` }, stdio: 'ignore' });
    await new Promise((resolve) => orphan.once('spawn', resolve));
    try {
      assert.deepEqual(describeClean(cleanLeftoverFiles({ temporaryDirectory: temporary })), [
        'nothing to clean',
        `left ${directory} alone: processes it started are still running (the next test run's sweep ends them)`,
      ]);
      assert.equal(existsSync(directory), true);
    } finally {
      orphan.kill('SIGKILL');
    }
  });
});

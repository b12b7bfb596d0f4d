import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { after, describe, it } from 'node:test';
import type { Clock } from './clock.js';
import { MARKER_VARIABLE, newScopeMarker } from './marker.js';
import { isAlive, readProcStat } from './proc.js';
import { terminate, terminateAll, type TerminationTarget } from './terminate.js';

const started: ChildProcess[] = [];
const pidsToCheck: number[] = [];

after(() => {
  // Only if a test failed half-way: nothing of ours may outlive the suite.
  for (const child of started) if (child.exitCode === null && child.signalCode === null) process.kill(-child.pid!, 'SIGKILL');
  for (const pid of pidsToCheck) if (isAlive(pid)) process.kill(pid, 'SIGKILL');
});

/**
 * Runs `script` under `sh -c` in a process group of its own, carrying a marker, as daemons are
 * spawned; the script prints the pids it wants checked, one per line, before the test goes on.
 */
async function spawnGroup(script: string, pidLines: number): Promise<{ target: TerminationTarget; pids: number[]; child: ChildProcess }> {
  const marker = newScopeMarker('terminate-test');
  const child = spawn('sh', ['-c', script], { detached: true, stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, [MARKER_VARIABLE]: marker } });
  started.push(child);
  let exited = false;
  const exitedPromise = once(child, 'exit').then(() => {
    exited = true;
  });
  const pids: number[] = [];
  const lines = createInterface({ input: child.stdout! });
  for await (const line of lines) {
    pids.push(Number(line));
    if (pids.length === pidLines) break;
  }
  pidsToCheck.push(...pids);
  const target: TerminationTarget = {
    pid: child.pid!,
    startTime: readProcStat(child.pid!)!.startTime,
    pgid: child.pid!,
    exited: exitedPromise,
    hasExited: () => exited,
    marker,
  };
  return { target, pids: [child.pid!, ...pids], child };
}

function assertAllGone(pids: number[]): void {
  for (const pid of pids) assert.equal(isAlive(pid), false, `pid ${pid} is still alive`);
}

describe('terminate', { skip: process.platform !== 'linux' }, () => {
  it('ends a whole process group, grandchild included, with the first signal', async () => {
    const { target, pids, child } = await spawnGroup('sleep 30 & echo $!; wait', 1);
    const outcome = await terminate(target, { graceMs: 5000 });
    assert.equal(outcome.forced, false);
    assert.deepEqual(outcome.survivors, []);
    assert.equal(child.signalCode, 'SIGTERM');
    assertAllGone(pids);
  });

  it('sends another first signal when asked', async () => {
    const { target, pids, child } = await spawnGroup('echo $$; exec sleep 30', 1);
    const outcome = await terminate(target, { signal: 'SIGINT', graceMs: 5000 });
    assert.equal(outcome.forced, false);
    assert.equal(child.signalCode, 'SIGINT');
    assertAllGone(pids);
  });

  it('escalates to SIGKILL after the grace when SIGTERM is ignored', async () => {
    const { target, pids, child } = await spawnGroup(`trap '' TERM; sleep 30 & echo $!; wait`, 1);
    const outcome = await terminate(target, { graceMs: 200 });
    assert.equal(outcome.forced, true);
    assert.ok(outcome.elapsedMs >= 200, `gave up after ${outcome.elapsedMs} ms, before the grace was over`);
    assert.deepEqual(outcome.survivors, []);
    assert.equal(child.signalCode, 'SIGKILL');
    assertAllGone(pids);
  });

  it('also ends a marked descendant that left the group', async () => {
    const { target, pids } = await spawnGroup(`setsid sh -c 'echo $$; exec sleep 30' & wait`, 1);
    assert.notEqual(readProcStat(pids[1]!)!.pgrp, target.pgid, 'the descendant should have a group of its own');
    const outcome = await terminate(target, { graceMs: 5000 });
    assert.equal(outcome.forced, false);
    assertAllGone(pids);
  });

  it('counts a stop that starts with SIGKILL as forced, however fast the process goes', async () => {
    // On this clock no time ever passes: the process's exit always comes before the grace is over.
    const frozen: Clock = {
      now: () => 0,
      sleep: (_ms, signal) => new Promise<void>((_resolve, reject) => signal?.addEventListener('abort', () => reject(signal.reason))),
    };
    const { target, pids } = await spawnGroup('echo $$; exec sleep 30', 1);
    const outcome = await terminate(target, { signal: 'SIGKILL', graceMs: 0, clock: frozen });
    assert.equal(outcome.forced, true);
    assertAllGone(pids);
  });

  it('ends what is left of a group whose leader has already exited', async () => {
    const { target, pids, child } = await spawnGroup('sleep 30 & echo $!', 1);
    if (child.exitCode === null) await once(child, 'exit');
    assert.equal(isAlive(pids[1]!), true);
    await terminate(target, { graceMs: 5000 });
    assertAllGone(pids);
  });

  it('stops many at once', async () => {
    const groups = await Promise.all([1, 2, 3].map(() => spawnGroup(`trap '' TERM; echo $$; sleep 30`, 1)));
    const outcomes = await terminateAll(
      groups.map((g) => g.target),
      { graceMs: 200 },
    );
    assert.deepEqual(
      outcomes.map((o) => o.forced),
      [true, true, true],
    );
    for (const group of groups) assertAllGone(group.pids);
  });
});

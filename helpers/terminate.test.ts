import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { Clock } from './clock.js';
import { endRun } from './leftovers.js';
import { MARKER_VARIABLE, newScopeMarker, thisRun } from './marker.js';
import { isAlive, readProcStat } from './proc.js';
import { ProcessFamily, terminate, terminateAll, type TerminationTarget } from './terminate.js';

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

describe('terminate: a process group', { skip: process.platform !== 'linux' }, () => {
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

const fixtures = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../features/fixtures');
// Whatever a failed test leaves behind carries this run's marker and is ended here.
after(() => endRun(thisRun.runId, { graceMs: 0 }));

let counter = 0;

/** Spawns a daemon as the engine does (its own group, a marker) and returns it as a stop target once it printed a line. */
async function startDaemon(argv: string[]): Promise<{ target: TerminationTarget; family: ProcessFamily; ended: Promise<NodeJS.Signals | null> }> {
  counter += 1;
  const marker = `${thisRun.runId}:terminate-test-${counter}/daemon`;
  const child = spawn(argv[0]!, argv.slice(1), { detached: true, stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, [MARKER_VARIABLE]: marker } });
  const ended = new Promise<NodeJS.Signals | null>((resolve) => child.once('exit', (_code, signal) => resolve(signal)));
  let exited = false;
  void ended.then(() => (exited = true));
  await once(createInterface({ input: child.stdout! }), 'line');
  const target: TerminationTarget = { pid: child.pid!, startTime: readProcStat(child.pid!)!.startTime, pgid: child.pid!, exited: ended, hasExited: () => exited, marker };
  return { target, family: new ProcessFamily({ leader: target, acceptsMarker: (m) => m.startsWith(marker) }), ended };
}

describe('terminate: a family', () => {
  it('a daemon that exits on SIGTERM is not SIGKILLed', async () => {
    const { target, ended } = await startDaemon(['sh', '-c', 'echo up; exec sleep 30']);
    const outcome = await terminate(target, { graceMs: 5000 });
    assert.equal(outcome.forced, false);
    assert.equal(await ended, 'SIGTERM');
  });

  it('a family that ignores SIGTERM is SIGKILLed after the grace: children, grandchildren and an orphan in its own session', async () => {
    const { target, family, ended } = await startDaemon([path.join(fixtures, 'stubborn-tree.py')]);
    const members = family.members();
    const commands = family.everSeen.map((m) => m.commandLine).sort();
    assert.equal(commands.length, 3, `its child, grandchild and the orphan, and nothing else: ${commands.join(' | ')}`);
    assert.ok(commands.includes('sleep 1001') && commands.includes('sleep 1002'));
    const orphan = members.find((m) => family.everSeen.find((s) => s.pid === m.pid)?.commandLine === 'sleep 1002')!;
    assert.notEqual(orphan.pgrp, target.pgid, 'the orphan left the group');
    const outcome = await terminate(target, { graceMs: 100 });
    assert.equal(outcome.forced, true);
    assert.deepEqual(outcome.survivors, []);
    assert.equal(await ended, 'SIGKILL');
    for (const member of members) assert.equal(isAlive(member.pid, member.startTime), false, `pid ${member.pid} is gone`);
  });

  it('a process that escapes the group during the grace is SIGKILLed with the rest', async () => {
    const { target, family } = await startDaemon(['sh', '-c', "trap 'setsid sleep 1003 & echo escaped' TERM; echo up; while :; do sleep 0.02; done"]);
    const outcome = await terminate(target, { graceMs: 300 });
    assert.equal(outcome.forced, true);
    const escaped = family.members();
    assert.deepEqual(escaped, [], 'nothing of the family is left');
  });

  it('stopping a daemon that has already exited ends what it left behind', async () => {
    const { target, ended } = await startDaemon(['sh', '-c', 'sleep 1004 & echo up']);
    await ended;
    const family = new ProcessFamily({ leader: target, acceptsMarker: (m) => m === target.marker });
    const [left] = family.members();
    assert.ok(left, 'sleep 1004 outlived its parent');
    const outcome = await terminate(target, { graceMs: 1000 });
    assert.equal(outcome.forced, false);
    assert.equal(isAlive(left.pid, left.startTime), false);
  });

  it('stops many at once, in about one grace', async () => {
    const daemons = await Promise.all([1, 2, 3, 4].map(() => startDaemon(['sh', '-c', "trap '' TERM; echo up; exec sleep 30"])));
    const outcomes = await terminateAll(
      daemons.map((d) => d.target),
      { graceMs: 200 },
    );
    assert.deepEqual(outcomes.map((o) => o.forced), [true, true, true, true]);
    assert.deepEqual(await Promise.all(daemons.map((d) => d.ended)), ['SIGKILL', 'SIGKILL', 'SIGKILL', 'SIGKILL']);
  });
});

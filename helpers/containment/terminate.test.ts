import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { endRun } from './leftovers.js';
import { MARKER_VARIABLE, thisRun } from './marker.js';
import type { Clock } from '../supervision/clock.js';
import { isAlive, readProcStat } from './proc.js';
import { ProcessFamily, type TerminationTarget } from './family.js';
import { terminate, terminateAll } from './terminate.js';

const fixtures = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../features/fixtures');
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

describe('terminate', () => {
  it('a daemon that exits on SIGTERM is not SIGKILLed, and its children get the SIGTERM with it', async () => {
    const { target, family, ended } = await startDaemon(['sh', '-c', 'sleep 30 & echo up; wait']);
    const [child] = family.members();
    assert.ok(child, 'sleep 30 runs');
    const outcome = await terminate(target, { graceMs: 5000 });
    assert.deepEqual(outcome.survivors, []);
    assert.equal(outcome.forced, false);
    assert.equal(await ended, 'SIGTERM');
    assert.equal(isAlive(child.pid, child.startTime), false);
  });

  it('sends another first signal when asked', async () => {
    const { target, ended } = await startDaemon(['sh', '-c', 'echo up; exec sleep 30']);
    const outcome = await terminate(target, { signal: 'SIGINT', graceMs: 5000 });
    assert.equal(outcome.forced, false);
    assert.equal(await ended, 'SIGINT');
  });

  it('counts a stop that starts with SIGKILL as forced, however fast the process goes', async () => {
    // On this clock no time ever passes: the process's exit always comes before the grace is over.
    const frozen: Clock = {
      now: () => 0,
      sleep: (_ms, signal) => new Promise<void>((_resolve, reject) => signal?.addEventListener('abort', () => reject(signal.reason))),
    };
    const { target, ended } = await startDaemon(['sh', '-c', 'echo up; exec sleep 30']);
    const outcome = await terminate(target, { signal: 'SIGKILL', graceMs: 0, clock: frozen });
    assert.equal(outcome.forced, true);
    assert.equal(await ended, 'SIGKILL');
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
    assert.ok(outcome.elapsedMs >= 100, `SIGKILL after ${outcome.elapsedMs} ms, before the grace was over`);
    assert.deepEqual(outcome.survivors, []);
    assert.equal(await ended, 'SIGKILL');
    for (const member of members) assert.equal(isAlive(member.pid, member.startTime), false, `pid ${member.pid} is gone`);
  });

  it('tells which signals it sent: only the first to a process that obeys it', async () => {
    const { target, ended } = await startDaemon(['sh', '-c', 'echo up; exec sleep 30']);
    const sent: string[] = [];
    const seenAtExit = ended.then(() => [...sent]);
    await terminate(target, { graceMs: 5000, onSignal: (signal, step) => sent.push(`${step} ${signal}`) });
    assert.deepEqual(sent, ['first SIGTERM']);
    assert.deepEqual(await seenAtExit, ['first SIGTERM'], 'told before the exit it caused was seen');
  });

  it('tells which signals it sent: the first, then the SIGKILL of the escalation once the grace ran out', async () => {
    const { target, ended } = await startDaemon(['sh', '-c', 'trap "" TERM; echo up; exec sleep 30']);
    const sent: string[] = [];
    const seenAtExit = ended.then(() => [...sent]);
    const outcome = await terminate(target, { graceMs: 100, onSignal: (signal, step) => sent.push(`${step} ${signal}`) });
    assert.equal(outcome.forced, true);
    assert.deepEqual(await seenAtExit, ['first SIGTERM', 'escalation SIGKILL']);
  });

  it('tells of no signal when nothing was left to signal', async () => {
    const { target, ended } = await startDaemon(['sh', '-c', 'echo up']);
    await ended;
    const sent: string[] = [];
    await terminate(target, { graceMs: 100, onSignal: (signal) => sent.push(signal) });
    assert.deepEqual(sent, []);
  });

  it('a marked descendant that left the group gets the first signal too', async () => {
    const { target, family } = await startDaemon(['sh', '-c', `setsid sh -c 'echo up; exec sleep 30' & wait`]);
    const [descendant] = family.members();
    assert.ok(descendant, 'the descendant runs');
    assert.notEqual(descendant.pgrp, target.pgid, 'the descendant has a group of its own');
    const outcome = await terminate(target, { graceMs: 5000 });
    assert.equal(outcome.forced, false);
    assert.equal(isAlive(descendant.pid, descendant.startTime), false);
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

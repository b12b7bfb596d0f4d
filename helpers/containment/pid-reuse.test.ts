/**
 * Never hit a stranger: every path that signals a process which is not our own unreaped child
 * first proves, from its start time, that the pid still names the process it recorded. Here each
 * path is given the identity of a live process with a wrong start time (what a reused pid looks
 * like) and must send it nothing; with the right start time, the same call does signal it.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { AdoptedProcess } from '../process/adopted.js';
import { endRun } from './leftovers.js';
import { MARKER_VARIABLE, thisRun } from './marker.js';
import { readProcStat, signalIfSame } from './proc.js';
import { terminate } from './terminate.js';

const fixtures = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../features/fixtures');
// What this file spawns carries this run's marker, so whatever a failed test leaves behind is ended here.
process.env[MARKER_VARIABLE] = `${thisRun.runId}:${path.basename(fileURLToPath(import.meta.url))}`;
after(async () => {
  await endRun(thisRun.runId, { graceMs: 0 });
});

/** A live signal recorder (features/fixtures/signal-recorder.py), leading its own process group. */
class Recorder {
  private readonly lines: string[] = [];
  private readonly waiters: Array<() => void> = [];
  readonly exited: Promise<NodeJS.Signals | null>;
  private constructor(private readonly child: ChildProcess, readonly pid: number, readonly startTime: number, private readonly rtmin: number) {
    this.exited = new Promise((resolve) => child.once('exit', (_code, signal) => resolve(signal)));
  }

  static async start(): Promise<Recorder> {
    const child = spawn(path.join(fixtures, 'signal-recorder.py'), [], { detached: true, stdio: ['ignore', 'pipe', 'inherit'] });
    const lines = createInterface({ input: child.stdout! });
    const [first] = (await once(lines, 'line')) as [string];
    const recorder = new Recorder(child, child.pid!, readProcStat(child.pid!)!.startTime, Number(first.split(' ')[1]));
    lines.on('line', (line) => {
      recorder.lines.push(line);
      for (const wake of recorder.waiters.splice(0)) wake();
    });
    child.once('exit', () => {
      for (const wake of recorder.waiters.splice(0)) wake();
    });
    return recorder;
  }

  get wrongStartTime(): number {
    return this.startTime + 1;
  }

  /** The signals it has received so far, in order, or 'killed' when something sent it SIGKILL. */
  async received(): Promise<number[] | 'killed'> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return 'killed';
    this.lines.length = 0;
    process.kill(this.pid, this.rtmin);
    while (!this.lines.includes(String(this.rtmin))) {
      if (this.child.signalCode !== null) return 'killed';
      await new Promise<void>((resolve) => this.waiters.push(resolve));
    }
    return this.lines.slice(0, this.lines.indexOf(String(this.rtmin))).map(Number);
  }
}

describe('a reused pid is never signalled', () => {
  it('signalIfSame', async () => {
    const recorder = await Recorder.start();
    assert.equal(signalIfSame(recorder.pid, recorder.wrongStartTime, 'SIGTERM'), false);
    assert.equal(signalIfSame(recorder.pid, recorder.wrongStartTime, 'SIGKILL'), false);
    assert.deepEqual(await recorder.received(), []);
    assert.equal(signalIfSame(recorder.pid, recorder.startTime, 'SIGTERM'), true);
    assert.deepEqual(await recorder.received(), [15]);
  });

  it('terminate: the process and the group it leads', async () => {
    const recorder = await Recorder.start();
    const stranger = { pid: recorder.pid, startTime: recorder.wrongStartTime, pgid: recorder.pid };
    const outcome = await terminate(stranger, { graceMs: 50 });
    assert.deepEqual(outcome.survivors, []);
    assert.deepEqual(await recorder.received(), []);
    const forced = await terminate({ ...stranger, startTime: recorder.startTime }, { graceMs: 50 });
    assert.equal(forced.forced, true);
    assert.equal(await recorder.exited, 'SIGKILL');
  });

  it('an adopted process: send signal, stop and kill', async () => {
    const recorder = await Recorder.start();
    const identity = { name: 'master', pid: recorder.pid, source: 'var/master.pid', leadsGroup: true };
    const stranger = new AdoptedProcess({ ...identity, startTime: recorder.wrongStartTime });
    assert.throws(() => stranger.sendSignal('SIGUSR1'), {
      name: 'DaemonStepsError',
      message: `cannot send SIGUSR1 to daemon 'master' (adopted from pid file var/master.pid): it is not running`,
    });
    assert.equal(stranger.isRunning, false);
    await stranger.stop({ graceMs: 50 });
    await stranger.kill();
    assert.deepEqual(await recorder.received(), []);
    const adopted = new AdoptedProcess({ ...identity, startTime: recorder.startTime });
    adopted.sendSignal('SIGUSR1');
    assert.deepEqual(await recorder.received(), [10]);
    await adopted.kill();
    assert.equal(await recorder.exited, 'SIGKILL');
  });

  it("the reaper's end of a run: the process groups it was told about", async () => {
    const recorder = await Recorder.start();
    const runId = `${process.pid}.1.abc123`;
    await endRun(runId, { graceMs: 50, groups: new Map([[recorder.pid, recorder.wrongStartTime]]) });
    assert.deepEqual(await recorder.received(), []);
    await endRun(runId, { graceMs: 50, groups: new Map([[recorder.pid, recorder.startTime]]) });
    assert.equal(await recorder.exited, 'SIGKILL');
  });
});

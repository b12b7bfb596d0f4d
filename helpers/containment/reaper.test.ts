import { pollUntil } from '../readiness/poll.js';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { Cgroup, cgroupOf } from './cgroup.js';
import { resolveConfig } from '../config.js';
import { describeSweep, endRun, sweepAbandonedRuns } from './leftovers.js';
import { MARKER_VARIABLE, thisRun } from './marker.js';
import { isAlive, listPids, readEnvironmentVariable } from './proc.js';

const fixtures = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../features/fixtures');
const runners: string[] = [];
// Whatever a failed test leaves behind is ended here, run by run, with the directories of runners that could not remove them.
after(async () => {
  await Promise.all(runners.map((runId) => endRun(runId, { graceMs: 0 })));
  for (const runId of runners) rmSync(path.join(os.tmpdir(), `daemon-steps-${runId}`), { recursive: true, force: true });
});

interface Runner {
  child: ChildProcess;
  runId: string;
  reaper: number;
  stderr: Promise<string>;
  exited: Promise<unknown>;
}

async function startRunner(mode: string, env: NodeJS.ProcessEnv = process.env): Promise<Runner> {
  const child = spawn(process.execPath, [path.join(fixtures, 'engine-runner.mjs'), mode], { stdio: ['ignore', 'pipe', 'pipe'], env });
  const exited = once(child, 'exit');
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const stderrClosed = once(child.stderr!, 'close').then(() => stderr);
  // A runner that dies before it says who it is fails the test at once, with what it printed.
  const line = await Promise.race([
    once(createInterface({ input: child.stdout! }), 'line').then(([first]) => first as string),
    exited.then(([code, signal]) => assert.fail(`the runner (${mode}) ended (${code ?? signal}) before it started its daemons:\n${stderr}`)),
  ]);
  const { runId, reaper } = JSON.parse(line) as { runId: string; reaper: number };
  runners.push(runId);
  return { child, runId, reaper, stderr: stderrClosed, exited };
}

/** The runner's exit, which must come by itself: nothing of ours may keep its event loop alive. */
async function exitOf(runner: Runner): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`runner ${runner.child.pid} did not exit by itself within 10 s`)), 10_000);
  });
  try {
    await Promise.race([runner.exited, late]);
  } finally {
    clearTimeout(timer);
  }
}

/** Live processes carrying the run's marker, read straight from /proc. */
function processesOf(runId: string): number[] {
  return listPids().filter((pid) => readEnvironmentVariable(pid, MARKER_VARIABLE)?.startsWith(`${runId}:`) && isAlive(pid));
}

/** Polls the real condition until the deadline: nothing of the run, nor its watchdog, is left. */
async function untilNothingLeft(runner: Runner, withinMs: number): Promise<void> {
  const deadline = Date.now() + withinMs;
  for (;;) {
    const left = processesOf(runner.runId);
    const watchdog = isAlive(runner.reaper);
    if (left.length === 0 && !watchdog) return;
    if (Date.now() > deadline) {
      assert.fail(`${withinMs} ms later, still there: ${left.join(', ') || 'no process of the run'}${watchdog ? `, and the watchdog (pid ${runner.reaper})` : ''}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Polls a real condition, within a deadline. */
async function untilTrue(condition: () => boolean, what: string): Promise<void> {
  if (!(await pollUntil(() => condition() || undefined, { timeoutMs: 5000 }))) assert.fail(`within 5 s: ${what}`);
}

/** Polls the real condition, within a deadline: the process has ended (a zombie has). */
async function untilGone(pid: number): Promise<void> {
  await untilTrue(() => !isAlive(pid), `pid ${pid} ends after its SIGKILL`);
}

describe('the reaper', () => {
  it('does not carry the marker of an outer run the runner belongs to, so ending that run cannot end it too', async () => {
    // As when a test starts `daemon-steps run`: the runner is a daemon of another run. That run is
    // this test's own, alive: a made-up one whose runner is gone could be taken for abandoned by
    // the sweep of another suite running on the machine, which would end this runner.
    const runner = await startRunner('idle', { ...process.env, [MARKER_VARIABLE]: `${thisRun.runId}:outer-1/services` });
    assert.equal(readEnvironmentVariable(runner.reaper, MARKER_VARIABLE), undefined);
    runner.child.kill('SIGKILL');
    await untilNothingLeft(runner, 3000);
  });

  it('ends every process of a runner killed with SIGKILL, grandchildren and setsid orphans included', async () => {
    const runner = await startRunner('idle');
    assert.equal(processesOf(runner.runId).length, 4, 'the daemon, its child, its grandchild and the orphan');
    assert.ok(isAlive(runner.reaper));
    runner.child.kill('SIGKILL');
    await untilNothingLeft(runner, 3000);
    assert.match(
      await runner.stderr,
      new RegExp(`^daemon-steps: the test runner \\(pid ${runner.child.pid}\\) is gone; ended 4 processes: \\d+ \\(.*stubborn-tree.py\\), .*sleep 1002.*\\)\\n$`),
    );
  });

  it('lets a runner that ends normally exit, and exits with it', async () => {
    const runner = await startRunner('finish');
    await exitOf(runner);
    await untilNothingLeft(runner, 3000);
    assert.equal(await runner.stderr, '', 'nothing was left for the watchdog to end');
  });

  it('ends what a runner that exits without stopping its daemons left behind', async () => {
    const runner = await startRunner('exit');
    await runner.exited;
    await untilNothingLeft(runner, 3000);
    assert.match(await runner.stderr, /^daemon-steps: the test runner \(pid \d+\) is gone; ended 4 processes: /);
  });

  it('on release, ends what is left of the run and exits, while the runner goes on', async () => {
    const runner = await startRunner('release');
    await exitOf(runner);
    assert.match(await runner.stderr, /^daemon-steps: the run was released by its runner \(pid \d+\); ended 4 processes: /);
    await untilNothingLeft(runner, 0);
  });
});

describe('the sweep of leftovers of earlier runs', () => {
  it('ends the processes of a run whose runner and watchdog are gone, and leaves live runs alone', async () => {
    const live = await startRunner('idle');
    try {
      await sweepLeavesTheLiveRun(live);
    } finally {
      // Also when an assertion failed: a live runner left behind would hold this file open until its timeout.
      live.child.kill('SIGKILL');
      await untilNothingLeft(live, 3000);
    }
  });

  async function sweepLeavesTheLiveRun(live: Runner): Promise<void> {
    const abandoned = await startRunner('idle');
    process.kill(abandoned.reaper, 'SIGKILL');
    abandoned.child.kill('SIGKILL');
    await abandoned.exited;
    // A watchdog not yet dead of its SIGKILL still looks after the run: the sweep would rightly leave it.
    await untilGone(abandoned.reaper);
    const left = processesOf(abandoned.runId);
    assert.equal(left.length, 4);
    const report = await sweepAbandonedRuns({ graceMs: 100 });
    assert.deepEqual(processesOf(abandoned.runId), []);
    assert.equal(processesOf(live.runId).length, 4, 'the live run keeps its processes');
    assert.equal(report.runs.some((run) => run.runId === live.runId || run.runId === thisRun.runId), false);
    // Another suite's sweep on this machine may have ended it first: then this sweep found nothing of it.
    const mine = { runs: report.runs.filter((run) => run.runId === abandoned.runId), ended: report.ended.filter((m) => left.includes(m.pid)) };
    if (mine.runs.length > 0) {
      assert.equal(mine.runs[0]!.runnerPid, abandoned.child.pid);
      assert.match(
        describeSweep(mine)!,
        new RegExp(`^daemon-steps: ended 4 processes: .* left behind by an earlier run whose runner \\(pid ${abandoned.child.pid}\\) is gone$`),
      );
    }
    // Removed by this sweep at once, or a moment later by another suite's sweep that took the run first.
    await untilTrue(() => !(cgroupOfRun(abandoned.runId)?.exists() ?? false), "the run's cgroup is removed");
  }

  it('leaves alone a run whose runner is gone while its watchdog lives (it is ending the run itself)', async () => {
    const runner = await startRunner('idle');
    // Stopped, the watchdog cannot end the run: only the sweep could, and it must not.
    process.kill(runner.reaper, 'SIGSTOP');
    try {
      runner.child.kill('SIGKILL');
      await runner.exited;
      const report = await sweepAbandonedRuns({ graceMs: 100 });
      assert.equal(report.runs.some((run) => run.runId === runner.runId), false);
      assert.equal(processesOf(runner.runId).length, 4, 'the run keeps its processes while its watchdog lives');
    } finally {
      process.kill(runner.reaper, 'SIGCONT');
    }
    await untilNothingLeft(runner, 3000);
  });

  it('is switched off by DAEMON_STEPS_SWEEP=off', () => {
    assert.equal(resolveConfig({}, { DAEMON_STEPS_SWEEP: 'off' }).sweep, false);
    assert.equal(resolveConfig({ sweep: 'off' }, {}).sweep, false);
    assert.equal(resolveConfig({}, {}).sweep, true);
    assert.throws(() => resolveConfig({}, { DAEMON_STEPS_SWEEP: 'no' }), { message: 'DAEMON_STEPS_SWEEP = "no": expected "on" or "off"' });
  });

  it('says nothing when there is nothing to sweep', () => {
    assert.equal(describeSweep({ runs: [], ended: [] }), undefined);
  });
});

/** The cgroup a run made below this test's own, if the machine allows cgroups. */
function cgroupOfRun(runId: string): Cgroup | undefined {
  const home = cgroupOf('self');
  return home && new Cgroup(path.join(home.directory, `daemon-steps-${runId}`));
}

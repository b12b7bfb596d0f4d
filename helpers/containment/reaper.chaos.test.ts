/**
 * Proof by chaos: cucumber-js runs scenarios whose daemons have grandchildren and ignore SIGTERM,
 * and is killed at varied moments with SIGINT (to its whole process group, as Ctrl-C does),
 * SIGTERM and SIGKILL, or lets a step time out under --fail-fast; under --parallel 2 only the
 * coordinator is killed. Each time, soon after the runner died nothing carrying its run's marker
 * may remain, nor its watchdog, nor (under --parallel) its workers.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { MARKER_VARIABLE } from './marker.js';
import { isAlive, listPids, readCommandLine, readEnvironmentVariables, readProcStat, signalIfSame } from './proc.js';

const project = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const cucumber = path.join(project, 'node_modules/@cucumber/cucumber/bin/cucumber.js');
const directory = mkdtempSync(path.join(os.tmpdir(), 'chaos-'));

const RUN_UNDER_FIRE = `Feature: A run under fire
  Scenario: two families that ignore SIGTERM
    Given a daemon helper shell script stubborn-tree.py
    When I start "./stubborn-tree.py" as a background process as first, waiting for stdout to contain "family ready"
    And I start "./stubborn-tree.py" as a background process as second, waiting for stdout to contain "family ready"
    And I stop background process first
    And I wait for background process second to exit, within 2 seconds
`;
const STEP_TIMES_OUT = `Feature: A step times out
  Scenario: a family is left starting when the step times out
    Given a daemon helper shell script stubborn-tree.py
    When I start "./stubborn-tree.py" as a background process as first, waiting for stdout to contain "family ready"
    And a family is started by a step that times out

  Scenario: never reached under --fail-fast
    When I start "sleep 12799" as a background process as never
`;
const TWO_AT_ONCE = `Feature: Two workers under fire
  Scenario: one family that ignores SIGTERM, in one worker
    Given a daemon helper shell script stubborn-tree.py
    When I start "./stubborn-tree.py" as a background process as first, waiting for stdout to contain "family ready"
    And I wait for background process first to exit, within 60 seconds

  Scenario: another, in the other worker
    Given a daemon helper shell script stubborn-tree.py
    When I start "./stubborn-tree.py" as a background process as second, waiting for stdout to contain "family ready"
    And I wait for background process second to exit, within 60 seconds
`;
writeFileSync(path.join(directory, 'run-under-fire.feature'), RUN_UNDER_FIRE);
writeFileSync(path.join(directory, 'two-at-once.feature'), TWO_AT_ONCE);
writeFileSync(path.join(directory, 'step-times-out.feature'), STEP_TIMES_OUT);

/** Each family is 4 processes: the daemon, its child, its grandchild and the orphan. */
const BOTH_FAMILIES = 8;
const NOTHING_LEFT_WITHIN_MS = 3000;

/** Every process of a run under test inherits it (unless it clears its environment): workers included. */
const TOKEN_VARIABLE = 'DAEMON_STEPS_CHAOS_TOKEN';

class Run {
  readonly child: ChildProcess;
  readonly prefix: string;
  readonly token = randomBytes(6).toString('hex');
  private output = '';
  readonly exited: Promise<unknown>;

  constructor(feature: string, extra: string[] = []) {
    this.child = spawn(process.execPath, [cucumber, path.join(directory, feature), '--import', 'features/fixtures/chaos-steps.mjs', ...extra], {
      cwd: project,
      // Its own process group, as a shell gives a foreground job: SIGINT to the group is Ctrl-C.
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, DAEMON_STEPS_STOP_GRACE: '1', FORCE_COLOR: '0', [TOKEN_VARIABLE]: this.token },
    });
    this.exited = once(this.child, 'exit');
    for (const stream of [this.child.stdout!, this.child.stderr!]) stream.on('data', (chunk: Buffer) => (this.output += chunk.toString()));
    // The run id starts with the runner's pid and start time.
    this.prefix = `${this.child.pid}.${readProcStat(this.child.pid!)?.startTime}.`;
    runs.push(this);
  }

  /** Live processes of this run: those carrying its marker or its token (workers, watchdogs), and its watchdog. */
  leftovers(): string[] {
    const found: string[] = [];
    for (const pid of listPids()) {
      if (pid === this.child.pid || !isAlive(pid)) continue;
      if (this.owns(pid)) found.push(`${pid} (${readCommandLine(pid)})`);
    }
    return found;
  }

  owns(pid: number): boolean {
    const [marker, token] = readEnvironmentVariables(pid, [MARKER_VARIABLE, TOKEN_VARIABLE]);
    return marker?.startsWith(this.prefix) || token === this.token || readCommandLine(pid).includes(`--run ${this.prefix}`);
  }

  /** Polls the real condition: at least `count` processes carry the run's marker. */
  async untilRunning(count: number): Promise<void> {
    const deadline = Date.now() + 20_000;
    while (this.leftovers().filter((p) => !p.includes('reaper-main')).length < count) {
      if (Date.now() > deadline) assert.fail(`${count} processes of the run never ran:\n${this.output}`);
      await pause(2);
    }
  }

  /** Polls the real condition: at least `count` processes of the run have `text` in their command line. */
  async untilRunningWith(text: string, count: number, what: string): Promise<void> {
    const deadline = Date.now() + 20_000;
    while (this.leftovers().filter((found) => found.includes(text)).length < count) {
      if (Date.now() > deadline) assert.fail(`${what} never ran:\n${this.leftovers().join('\n')}\n${this.output}`);
      await pause(2);
    }
  }

  /** The run ids of the workers (their pid and start time), whose workspaces a killed run may leave. */
  readonly workerPrefixes: string[] = [];
  rememberWorkers(): void {
    for (const pid of listPids()) {
      const stat = readProcStat(pid);
      if (stat && stat.ppid === this.child.pid) this.workerPrefixes.push(`${pid}.${stat.startTime}.`);
    }
  }

  /** Polls the real condition until the deadline: nothing of the run is left. */
  async assertNothingLeftWithin(ms: number, what: string): Promise<void> {
    const deadline = Date.now() + ms;
    for (;;) {
      const left = this.leftovers();
      if (left.length === 0) return;
      if (Date.now() > deadline) assert.fail(`${what}: ${ms} ms later still running:\n  ${left.join('\n  ')}\nrunner output:\n${this.output.slice(-2000)}`);
      await pause(20);
    }
  }
}

const runs: Run[] = [];
after(() => {
  // Whatever a failed case left is ended here, start time checked.
  for (const run of runs) {
    for (const pid of listPids()) {
      const stat = readProcStat(pid);
      if (stat && pid !== process.pid && run.owns(pid)) signalIfSame(pid, stat.startTime, 'SIGKILL');
    }
    if (run.child.exitCode === null && run.child.signalCode === null) run.child.kill('SIGKILL');
  }
  // A killed runner cannot remove its workspaces: its run directory is daemon-steps-<run id>.
  for (const entry of readdirSync(os.tmpdir())) {
    if (runs.some((run) => entry.startsWith(`daemon-steps-${run.prefix}`) || run.workerPrefixes.some((prefix) => entry.startsWith(`daemon-steps-${prefix}`)))) rmSync(path.join(os.tmpdir(), entry), { recursive: true, force: true });
  }
  rmSync(directory, { recursive: true, force: true });
});

function pause(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * When: as soon as the first daemon exists (its family half built), or so long after both families
 * run: at once, while the first is being stopped, during the failing wait, during the teardown.
 */
type Moment = 'first daemon' | { afterReady: number };
const MOMENTS: Moment[] = ['first daemon', { afterReady: 0 }, { afterReady: 500 }, { afterReady: 1500 }, { afterReady: 3300 }];
const SIGNALS: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGKILL'];

async function killAtMoment(signal: NodeJS.Signals, moment: Moment): Promise<void> {
  const run = new Run('run-under-fire.feature');
  const jitter = Math.floor(Math.random() * 50);
  if (moment === 'first daemon') await run.untilRunning(1);
  else {
    await run.untilRunning(BOTH_FAMILIES);
    await pause(moment.afterReady + jitter);
  }
  if (signal === 'SIGINT') process.kill(-run.child.pid!, 'SIGINT');
  else run.child.kill(signal);
  await run.exited;
  await run.assertNothingLeftWithin(NOTHING_LEFT_WITHIN_MS, `runner killed by ${signal} ${JSON.stringify(moment)} (+${jitter} ms)`);
}

/** Runs the cases a few at a time: quicker, and the machine is busier, which is when races show. */
async function inBatches(cases: Array<() => Promise<void>>, size: number): Promise<void> {
  const failures: unknown[] = [];
  for (let i = 0; i < cases.length; i += size) {
    const results = await Promise.allSettled(cases.slice(i, i + size).map((run) => run()));
    for (const result of results) if (result.status === 'rejected') failures.push(result.reason);
  }
  if (failures.length > 0) throw failures.length === 1 ? failures[0] : new AggregateError(failures, failures.map(String).join('\n\n'));
}

describe('nothing outlives a runner that dies', { skip: process.platform !== 'linux' && 'needs /proc' }, () => {
  it('killed by SIGINT, SIGTERM and SIGKILL at five moments each', { timeout: 120_000 }, async () => {
    await inBatches(
      SIGNALS.flatMap((signal) => MOMENTS.map((moment) => () => killAtMoment(signal, moment))),
      4,
    );
  });

  for (const signal of ['SIGKILL', 'SIGTERM'] as const) {
    it(`the coordinator of a --parallel 2 run killed alone by ${signal}`, { timeout: 60_000 }, async () => {
      const run = new Run('two-at-once.feature', ['--parallel', '2']);
      // The orphans are the last of each family: then both workers are in the step that waits.
      await run.untilRunningWith('sleep 1002', 2, 'two families, one in each worker');
      await pause(300);
      run.rememberWorkers();
      run.child.kill(signal);
      await run.exited;
      await run.assertNothingLeftWithin(2000, `the coordinator killed by ${signal}`);
    });
  }

  it('a step that times out under --fail-fast', { timeout: 60_000 }, async () => {
    const run = new Run('step-times-out.feature', ['--fail-fast']);
    const [code] = (await run.exited) as [number | null];
    assert.equal(code, 1, 'the run failed, as it should');
    await run.assertNothingLeftWithin(NOTHING_LEFT_WITHIN_MS, 'a step timed out');
  });
});

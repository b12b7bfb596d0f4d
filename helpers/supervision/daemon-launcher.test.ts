import { waitFor } from '../readiness/wait-for.js';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { CombinedLog } from '../output/combined-log.js';
import { DaemonLauncher } from './daemon-launcher.js';
import type { DaemonState } from '../process/daemon.js';
import { waitForOutput } from '../output/expect-output.js';
import { expectStaysInState } from './expect-state.js';
import { FakeClock } from './fake-clock.js';
import { Supervisor } from './supervisor.js';

const fixtures = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../features/fixtures');

/** Real processes under a supervisor on a fake clock: back-offs cost no time, exits are real. */
describe('DaemonLauncher: supervised daemons', { timeout: 10_000 }, () => {
  let directory: string;
  let clock: FakeClock;
  let launcher: DaemonLauncher;
  let supervisor: Supervisor;
  let log: CombinedLog;

  beforeEach(() => {
    directory = mkdtempSync(path.join(os.tmpdir(), 'daemon-launcher-test-'));
    clock = new FakeClock();
    launcher = new DaemonLauncher({ outputDirectory: directory, clock });
    log = new CombinedLog(path.join(directory, 'combined.log'));
    supervisor = new Supervisor({ launcher, clock, log, killTimeMs: 1000, restart: { minDelayMs: 1000, thresholdMs: 5000 } });
    launcher.mirrorStatesOf(supervisor);
  });

  afterEach(async () => {
    await supervisor.stopAll();
    launcher.closeFiles();
    log.close();
    rmSync(directory, { recursive: true, force: true });
  });

  const statesOf = (name: string) => {
    const seen: DaemonState[] = [];
    launcher.daemon(name)!.on('state', (state: DaemonState) => seen.push(state));
    return seen;
  };

  it('a killed daemon goes EXITED, BACKOFF, and comes back as the same daemon, one restart more', async () => {
    await supervisor.add('sleeper', { argv: ['sleep', '30'], cwd: directory });
    await supervisor.start('sleeper');
    const daemon = launcher.daemon('sleeper')!;
    const seen = statesOf('sleeper');
    const firstPid = daemon.pid;
    await daemon.kill();
    assert.equal(daemon.state, 'BACKOFF');
    await clock.advance(1000);
    await supervisor.waitForState('sleeper', 'RUNNING', { timeout: 5000 });
    assert.deepEqual(seen, ['EXITED', 'BACKOFF', 'STARTING', 'RUNNING']);
    assert.equal(daemon.restarts, 1);
    assert.notEqual(daemon.pid, firstPid);
    assert.equal(launcher.daemon('sleeper'), daemon);
  });

  it('writes each line of both streams to the log as [NAME] line, escaped, the last partial line too', async () => {
    await supervisor.add('talker', { argv: ['sh', '-c', String.raw`printf 'out\n'; printf 'err\n' >&2; printf '\377bad\nno newline'`], cwd: directory });
    await supervisor.start('talker');
    await supervisor.waitForState('talker', 'BACKOFF', { timeout: 5000 });
    await supervisor.stop('talker');
    await launcher.daemon('talker')!.settleOutput();
    const lines = readFileSync(log.path, 'utf8').split('\n').filter(Boolean).sort();
    assert.deepEqual(lines, ['[talker] \\xffbad', '[talker] err', '[talker] no newline', '[talker] out']);
  });

  it('a stop from outside (the step) cancels the pending restart, and the daemon stays STOPPED', async () => {
    await supervisor.add('crasher', { argv: ['sh', '-c', 'exit 1'], cwd: directory });
    await supervisor.start('crasher').catch(() => undefined);
    await supervisor.waitForState('crasher', 'BACKOFF', { timeout: 5000 });
    const daemon = launcher.daemon('crasher')!;
    await daemon.stop({ graceMs: 1000 });
    assert.equal(daemon.state, 'STOPPED');
    assert.equal(clock.pendingSleeps, 0, 'no restart pending');
    await clock.advance(60_000);
    assert.equal(daemon.state, 'STOPPED');
    assert.equal(daemon.restarts, 0);
  });

  it('a supervisor stop while someone else stops the daemon waits for that stop instead of signalling again', async () => {
    launcher.define('counter', { ready: [waitFor.output('ready\n', 'stdout')] });
    await supervisor.add('counter', { argv: [path.join(fixtures, 'sigterm-counter.sh')], cwd: directory });
    await supervisor.start('counter');
    const daemon = launcher.daemon('counter')!;
    const stepStop = daemon.stop({ graceMs: 1000 });
    await waitForOutput(daemon, 'stdout', Buffer.from('SIGTERM 1\n'), { timeout: 5000 });
    // The first SIGTERM has been handled: another one now would be counted.
    const supervisorStop = supervisor.stop('counter');
    await clock.advance(1000);
    await Promise.all([stepStop, supervisorStop]);
    assert.equal(daemon.stdout.read().toString(), 'ready\nSIGTERM 1\n');
    assert.deepEqual(daemon.exit, { code: null, signal: 'SIGKILL', cause: 'forced', stop: { signal: 'SIGTERM', graceMs: 1000 } });
    assert.equal(supervisor.state('counter'), 'STOPPED');
    assert.equal(daemon.isRunning, false);
  });

  it('a stop on the fake clock waits for a child that takes real time to exit, with no clock advanced', async () => {
    // The fake clock stands in for the grace; a process that is on its way out leaves on the kernel's time.
    launcher.define('slow', { ready: [waitFor.output('ready\n', 'stdout')] });
    await supervisor.add('slow', { argv: [path.join(fixtures, 'slow-exit-child.sh')], cwd: directory });
    await supervisor.start('slow');
    const daemon = launcher.daemon('slow')!;
    const outcome = await daemon.stop({ graceMs: 1000 });
    assert.equal(outcome.forced, false);
    assert.deepEqual(daemon.exit, { code: 0, signal: null, cause: 'stopped', stop: { signal: 'SIGTERM', graceMs: 1000 } });
    assert.equal(clock.now(), 0);
  });

  it('waiting for a daemon to be RUNNING fails at once, with its output, when the supervisor gives up', async () => {
    await supervisor.add('broken', { argv: ['sh', '-c', 'echo cannot read config.ini >&2; exit 3'], cwd: directory });
    await supervisor.start('broken');
    const daemon = launcher.daemon('broken')!;
    for (let death = 1; death < 3; death++) {
      await supervisor.waitForState('broken', 'BACKOFF', { timeout: 5000 });
      await clock.advance(clock.nextDueInMs!);
    }
    await supervisor.waitForState('broken', 'FATAL', { timeout: 5000 }).catch(() => undefined);
    assert.equal(daemon.state, 'FATAL');
    await daemon.settleOutput();
    await assert.rejects(daemon.waitForState('RUNNING', { timeout: 60_000 }), {
      name: 'GaveUpRestartingError',
      message:
        "daemon 'broken' (sh -c echo cannot read config.ini >&2; exit 3) is FATAL: its supervisor gave up restarting it " +
        '(the last time it exited with code 3), so it will not reach state RUNNING\n' +
        `last lines of stderr (${directory}/broken.stderr):\n` +
        '  | cannot read config.ini\n  | cannot read config.ini\n  | cannot read config.ini\n' +
        `stdout (${directory}/broken.stdout): empty`,
    });
  });

  it('stays in a state: resolves when nothing changed for the whole time, fails at the first change', async () => {
    await supervisor.add('sleeper', { argv: ['sleep', '30'], cwd: directory });
    await supervisor.start('sleeper');
    const daemon = launcher.daemon('sleeper')!;
    const staying = expectStaysInState(daemon, 'RUNNING', { timeout: 2000, clock });
    await clock.advance(2000);
    await staying;
    const leaving = expectStaysInState(daemon, 'RUNNING', { timeout: 2000, clock }).catch((error: Error) => error);
    await clock.advance(500);
    await daemon.kill();
    const error = await leaving;
    assert.ok(error instanceof Error);
    assert.match(error.message, /^daemon 'sleeper' \(sleep 30\) should have stayed in state RUNNING for 2 s, but after 0\.5 s it went to EXITED\n/);
    await assert.rejects(expectStaysInState(daemon, 'RUNNING', { timeout: 2000, clock }), {
      message: /^daemon 'sleeper' \(sleep 30\) should have stayed in state RUNNING for 2 s, but it is BACKOFF\n/,
    });
  });
});

import { waitFor } from '../readiness/wait-for.js';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { DaemonLauncher } from './daemon-launcher.js';
import type { OutputStream } from '../process/daemon.js';
import { ProgramNotFoundError, StopFailuresError, StopTimeoutError } from '../errors.js';
import type { ExitRecord } from '../process/exit.js';
import { FakeClock } from './fake-clock.js';
import { isAlive } from '../containment/proc.js';
import { Supervisor, type LaunchedProcess, type LaunchRequest, type OutputListener, type ProcessLauncher, type SupervisedState } from './supervisor.js';

/**
 * A process that exists only in the test, on the fake clock (Twisted's DummyProcess): after
 * SIGTERM it ends once its termination delay has passed, unless the grace runs out first (then
 * SIGKILL ends it at once).
 */
class FakeProcess implements LaunchedProcess {
  private static nextPid = 1000;
  readonly pid = FakeProcess.nextPid++;
  readonly ready: Promise<void>;
  readonly exited: Promise<ExitRecord>;
  readonly signals: string[] = [];
  terminationDelayMs = 1000;
  /** Set: its stop fails with this, as a stop whose SIGKILL leaves survivors does. */
  stopFailure: Error | undefined;
  exit: ExitRecord | undefined;
  private endExited!: (exit: ExitRecord) => void;
  private listener: OutputListener = () => undefined;
  private stopListener: () => void = () => undefined;

  constructor(
    readonly request: LaunchRequest,
    private readonly clock: FakeClock,
    ready: Promise<void> = Promise.resolve(),
  ) {
    this.ready = ready;
    this.exited = new Promise((resolve) => (this.endExited = resolve));
  }

  onOutput(listener: OutputListener): void {
    this.listener = listener;
  }

  onStopRequested(listener: () => void): void {
    this.stopListener = listener;
  }

  write(stream: OutputStream, bytes: string | Buffer): void {
    this.listener(stream, Buffer.from(bytes));
  }

  /** The process ends by itself (or is killed from outside): its streams close, then it is reaped. */
  end(exit: ExitRecord = { code: 0, signal: null, cause: 'by-itself' }): void {
    if (this.exit) return;
    this.exit = exit;
    this.listener('stdout', null);
    this.listener('stderr', null);
    this.endExited(exit);
  }

  /** Someone other than the supervisor stops it (a test step). */
  stopFromOutside(): void {
    this.stopListener();
    this.end({ code: null, signal: 'SIGTERM', cause: 'stopped', stop: { signal: 'SIGTERM', graceMs: 1000 } });
  }

  async stop(graceMs: number): Promise<void> {
    if (this.stopFailure) throw this.stopFailure;
    if (this.exit) return;
    this.signals.push('SIGTERM');
    const controller = new AbortController();
    const terminated = this.clock.sleep(this.terminationDelayMs, controller.signal).then(
      () => this.end({ code: 0, signal: null, cause: 'stopped', stop: { signal: 'SIGTERM', graceMs } }),
      () => undefined,
    );
    const graceOver = this.clock.sleep(graceMs, controller.signal).then(() => {
      if (this.exit) return;
      this.signals.push('SIGKILL');
      this.end({ code: null, signal: 'SIGKILL', cause: 'forced', stop: { signal: 'SIGTERM', graceMs } });
    }, () => undefined);
    await Promise.race([terminated, graceOver]);
    controller.abort();
  }

  get alive(): boolean {
    return this.exit === undefined;
  }
}

/** Hands out FakeProcesses and remembers them; programs in `missing` cannot be spawned. */
class FakeLauncher implements ProcessLauncher {
  readonly launched: FakeProcess[] = [];
  readonly missing = new Set<string>();

  constructor(private readonly clock: FakeClock) {}

  async launch(request: LaunchRequest): Promise<LaunchedProcess> {
    if (this.missing.has(request.argv[0]!)) {
      const program = request.argv[0]!;
      throw new ProgramNotFoundError(program, `program '${program}' not found in PATH (/usr/bin)`, 'check the name', {
        name: request.name,
        command: request.argv.join(' '),
      });
    }
    const process = new FakeProcess(request, this.clock);
    this.launched.push(process);
    return process;
  }

  of(name: string): FakeProcess[] {
    return this.launched.filter((p) => p.request.name === name);
  }

  latest(name: string): FakeProcess {
    const all = this.of(name);
    assert.ok(all.length > 0, `nothing was launched for ${name}`);
    return all[all.length - 1]!;
  }
}

interface Fixture {
  clock: FakeClock;
  launcher: FakeLauncher;
  supervisor: Supervisor;
  log: string[];
  states: Array<[string, SupervisedState]>;
}

function supervise(options: { minDelayMs?: number; maxDelayMs?: number; thresholdMs?: number; killTimeMs?: number; forever?: boolean } = {}): Fixture {
  const clock = new FakeClock();
  const launcher = new FakeLauncher(clock);
  const log: string[] = [];
  const { killTimeMs, ...restart } = options;
  const supervisor = new Supervisor({ launcher, clock, killTimeMs, restart, log: { writeLine: (line) => log.push(line) } });
  const states: Array<[string, SupervisedState]> = [];
  supervisor.on('state', (name: string, state: SupervisedState) => states.push([name, state]));
  return { clock, launcher, supervisor, log, states };
}

/** Procmon's test settings: restarts after 2 s, at most 10 s apart, a run shorter than 10 s is quick. */
const PROCMON = { minDelayMs: 2000, maxDelayMs: 10_000, thresholdMs: 10_000 };

describe('Supervisor: adding, removing, names', () => {
  it('adds a process STOPPED, starts nothing until asked, then runs it with its argv, env and cwd', async () => {
    const { supervisor, launcher } = supervise();
    await supervisor.add('foo', { argv: ['foo', 'arg1'], env: { KEY: 'value' }, cwd: '/srv' });
    assert.equal(supervisor.state('foo'), 'STOPPED');
    assert.equal(launcher.launched.length, 0);
    await supervisor.start('foo');
    assert.equal(supervisor.state('foo'), 'RUNNING');
    assert.deepEqual(launcher.latest('foo').request, { name: 'foo', argv: ['foo', 'arg1'], env: { KEY: 'value' }, cwd: '/srv', port: undefined });
  });

  it('refuses a name that is already added', async () => {
    const { supervisor } = supervise();
    await supervisor.add('foo', { argv: ['foo'] });
    await assert.rejects(supervisor.add('foo', { argv: ['bar'] }), {
      name: 'DuplicateProgramError',
      message: "a process named 'foo' is already supervised; remove it first, or choose another name",
    });
  });

  it('refuses names it does not know, saying which it knows', async () => {
    const { supervisor } = supervise();
    const unknown = { name: 'UnknownProgramError', message: "no process named 'foo' in this supervisor; none has been added" };
    await assert.rejects(supervisor.remove('foo'), unknown);
    await assert.rejects(supervisor.start('foo'), unknown);
    await assert.rejects(supervisor.stop('foo'), unknown);
    await assert.rejects(supervisor.restart('foo'), unknown);
    await supervisor.add('bar', { argv: ['bar'] });
    await assert.rejects(supervisor.stop('foo'), { message: "no process named 'foo' in this supervisor; added: bar" });
  });

  it('says DESTROYED for a name never added, and refuses an empty name', async () => {
    const { supervisor } = supervise();
    assert.equal(supervisor.state('nonexisting'), 'DESTROYED');
    const empty = { name: 'InvalidArgumentError', message: "empty process name: give each process a name of letters, digits, '_', '.' or '-'" };
    assert.throws(() => supervisor.state(''), empty);
    await assert.rejects(supervisor.add('', { argv: ['x'] }), empty);
  });

  it('refuses a name that could not be a file name, a process without a program, and an impossible policy', async () => {
    const { supervisor } = supervise();
    await assert.rejects(supervisor.add('my demo', { argv: ['x'] }), {
      name: 'InvalidArgumentError',
      message: "process name 'my demo' may contain only letters, digits, '_', '.' and '-'",
    });
    await assert.rejects(supervisor.add('foo', { argv: [] }), {
      name: 'InvalidArgumentError',
      message: "process 'foo': argv is empty; give the program to run, e.g. ['./server.py', '8080']",
    });
    await assert.rejects(supervisor.add('foo', { argv: ['foo'], restart: { minDelayMs: 5000, maxDelayMs: 1000 } }), {
      name: 'InvalidArgumentError',
      message: 'restart policy: the minimum delay (5000 ms) is larger than the maximum (1000 ms); swap them',
    });
    assert.equal(supervisor.state('foo'), 'DESTROYED');
  });

  it('removing a process stops it: DESTROYED, gone from the list, never restarted', async () => {
    const { supervisor, launcher, clock } = supervise();
    await supervisor.add('foo', { argv: ['foo'] });
    await supervisor.start('foo');
    const process = launcher.latest('foo');
    const removing = supervisor.remove('foo');
    assert.equal(supervisor.state('foo'), 'DESTROYED');
    await clock.advance(process.terminationDelayMs);
    await removing;
    assert.deepEqual(process.signals, ['SIGTERM']);
    assert.equal(process.alive, false);
    assert.deepEqual(supervisor.list(), []);
    await clock.advance(120_000);
    assert.equal(launcher.launched.length, 1);
  });

  it('lists name, pid, state, port and restarts of every process, by name', async () => {
    const { supervisor, launcher } = supervise();
    await supervisor.add('web', { argv: ['web'], port: 8080 });
    await supervisor.add('api', { argv: ['api'] });
    await supervisor.start('web');
    assert.deepEqual(supervisor.list(), [
      { name: 'api', pid: undefined, state: 'STOPPED', port: undefined, restarts: 0 },
      { name: 'web', pid: launcher.latest('web').pid, state: 'RUNNING', port: 8080, restarts: 0 },
    ]);
  });
});

describe('Supervisor: start, stop, restart', () => {
  it('starting: STARTING until ready, then RUNNING; starting again is a no-op', async () => {
    const { supervisor, launcher, states } = supervise();
    await supervisor.add('foo', { argv: ['foo'] });
    await supervisor.start('foo');
    await supervisor.start('foo');
    assert.equal(launcher.launched.length, 1);
    assert.deepEqual(states, [
      ['foo', 'STOPPED'],
      ['foo', 'STARTING'],
      ['foo', 'RUNNING'],
    ]);
  });

  it('stopping: SIGTERM, resolves once it has ended, STOPPED, and it stays stopped', async () => {
    const { supervisor, launcher, clock } = supervise(PROCMON);
    await supervisor.add('foo', { argv: ['foo'] });
    await supervisor.start('foo');
    await clock.advance(PROCMON.thresholdMs);
    const process = launcher.latest('foo');
    let stopped = false;
    const stopping = supervisor.stop('foo').then(() => (stopped = true));
    await clock.advance(process.terminationDelayMs - 1);
    assert.equal(stopped, false);
    await clock.advance(1);
    await stopping;
    assert.equal(supervisor.state('foo'), 'STOPPED');
    assert.deepEqual(process.signals, ['SIGTERM']);
    await clock.advance(120_000);
    assert.equal(launcher.launched.length, 1);
  });

  it('stopping a process that is not running returns at once', async () => {
    const { supervisor } = supervise();
    await supervisor.add('foo', { argv: ['foo'] });
    await supervisor.stop('foo');
    assert.equal(supervisor.state('foo'), 'STOPPED');
  });

  it('restarting: stops it, starts it again, and counts one restart', async () => {
    const { supervisor, launcher, clock } = supervise();
    await supervisor.add('foo', { argv: ['foo'] });
    await supervisor.start('foo');
    const first = launcher.latest('foo');
    const restarting = supervisor.restart('foo');
    await clock.advance(first.terminationDelayMs);
    await restarting;
    assert.equal(first.alive, false);
    assert.equal(launcher.of('foo').length, 2);
    assert.equal(supervisor.state('foo'), 'RUNNING');
    assert.equal(supervisor.info('foo').restarts, 1);
  });

  it('start all starts every process; stop all stops them all at once', async () => {
    const { supervisor, launcher, clock } = supervise();
    await supervisor.add('foo', { argv: ['foo'] });
    await supervisor.add('bar', { argv: ['bar'] });
    await supervisor.startAll();
    assert.deepEqual(supervisor.list().map((p) => p.state), ['RUNNING', 'RUNNING']);
    launcher.latest('foo').terminationDelayMs = 3000;
    launcher.latest('bar').terminationDelayMs = 3000;
    let stopped = false;
    const stopping = supervisor.stopAll().then(() => (stopped = true));
    await clock.advance(3000);
    assert.equal(stopped, true, 'one wait for both, not one after the other');
    await stopping;
    assert.deepEqual(supervisor.list().map((p) => p.state), ['STOPPED', 'STOPPED']);
    assert.ok(launcher.launched.every((p) => !p.alive));
  });
});

describe('Supervisor: restarts and back-off', () => {
  it('restarts a process that died after a long run, after the minimum delay', async () => {
    const { supervisor, launcher, clock, states } = supervise(PROCMON);
    await supervisor.add('foo', { argv: ['foo'] });
    await supervisor.start('foo');
    await clock.advance(PROCMON.thresholdMs);
    launcher.latest('foo').end({ code: 0, signal: null, cause: 'by-itself' });
    await clock.advance(0);
    assert.equal(supervisor.state('foo'), 'BACKOFF');
    await clock.advance(PROCMON.minDelayMs - 1);
    assert.equal(launcher.launched.length, 1);
    await clock.advance(1);
    assert.equal(launcher.launched.length, 2);
    assert.equal(supervisor.state('foo'), 'RUNNING');
    assert.equal(supervisor.info('foo').restarts, 1);
    assert.deepEqual(states.slice(3).map(([, state]) => state), ['EXITED', 'BACKOFF', 'STARTING', 'RUNNING']);
  });

  it('doubles the delay each time the process dies sooner than the threshold', async () => {
    const { supervisor, launcher, clock } = supervise({ ...PROCMON, forever: true });
    await supervisor.add('foo', { argv: ['foo'] });
    await supervisor.start('foo');
    const delays: number[] = [];
    for (let death = 0; death < 3; death++) {
      await clock.advance(PROCMON.thresholdMs - 1);
      launcher.latest('foo').end({ code: 1, signal: null, cause: 'by-itself' });
      await clock.advance(0);
      delays.push(clock.nextDueInMs!);
      await clock.advance(clock.nextDueInMs!);
    }
    assert.deepEqual(delays, [2000, 4000, 8000]);
  });

  it('never waits longer than the maximum delay', async () => {
    const { supervisor, launcher, clock } = supervise({ minDelayMs: 2000, maxDelayMs: 3000, thresholdMs: 10_000, forever: true });
    await supervisor.add('foo', { argv: ['foo'] });
    await supervisor.start('foo');
    const delays: number[] = [];
    for (let death = 0; death < 3; death++) {
      launcher.latest('foo').end({ code: 1, signal: null, cause: 'by-itself' });
      await clock.advance(0);
      delays.push(clock.nextDueInMs!);
      await clock.advance(clock.nextDueInMs!);
    }
    assert.deepEqual(delays, [2000, 3000, 3000]);
  });

  it('starts the back-off over after a run longer than the threshold', async () => {
    const { supervisor, launcher, clock } = supervise(PROCMON);
    await supervisor.add('foo', { argv: ['foo'] });
    await supervisor.start('foo');
    const dieAfter = async (ms: number) => {
      await clock.advance(ms);
      launcher.latest('foo').end({ code: 1, signal: null, cause: 'by-itself' });
      await clock.advance(0);
      const delay = clock.nextDueInMs!;
      await clock.advance(delay);
      return delay;
    };
    assert.deepEqual([await dieAfter(1), await dieAfter(1)], [2000, 4000]);
    assert.equal(await dieAfter(PROCMON.thresholdMs), 2000);
    // Two quick deaths after the long run: had the count not started over, this would be the third, FATAL.
    assert.deepEqual([await dieAfter(1), await dieAfter(1)], [2000, 4000]);
    assert.equal(supervisor.state('foo'), 'RUNNING');
  });

  it('gives up after 3 quick deaths in a row: FATAL, with why and the last exit', async () => {
    const { supervisor, launcher, clock } = supervise({ minDelayMs: 1000, thresholdMs: 5000 });
    await supervisor.add('error2', { argv: ['./start.sh'] });
    await supervisor.start('error2');
    const fatal = supervisor.waitForState('error2', 'STOPPED', { timeout: 60_000 }).catch((error: Error) => error);
    for (let death = 0; death < 3; death++) {
      await clock.advance(100);
      launcher.latest('error2').end({ code: 3, signal: null, cause: 'by-itself' });
      await clock.advance(0);
      if (supervisor.state('error2') === 'BACKOFF') await clock.advance(clock.nextDueInMs!);
    }
    assert.equal(supervisor.state('error2'), 'FATAL');
    assert.equal(launcher.launched.length, 3);
    assert.equal(supervisor.info('error2').restarts, 2);
    await clock.advance(600_000);
    assert.equal(launcher.launched.length, 3, 'no restart after FATAL');
    const message =
      "gave up restarting 'error2' (./start.sh): it died 3 times in a row, each sooner than 5 s after its start; the last time it exited with code 3";
    assert.equal(supervisor.fatalError('error2')?.message, message);
    // Waiting for another state stops at FATAL, with that reason, instead of running into its deadline.
    const error = await fatal;
    assert.ok(error instanceof Error);
    assert.equal(error.message, message);
  });

  it('never gives up when told to restart forever (procmon)', async () => {
    const { supervisor, launcher, clock } = supervise({ minDelayMs: 1000, maxDelayMs: 4000, thresholdMs: 5000, forever: true });
    await supervisor.add('foo', { argv: ['foo'] });
    await supervisor.start('foo');
    for (let death = 0; death < 10; death++) {
      launcher.latest('foo').end({ code: 1, signal: null, cause: 'by-itself' });
      await clock.advance(0);
      await clock.advance(clock.nextDueInMs!);
    }
    assert.equal(supervisor.state('foo'), 'RUNNING');
    assert.equal(supervisor.info('foo').restarts, 10);
  });

  it('a program that cannot be spawned is FATAL at once, and start says why', async () => {
    const { supervisor, launcher, states } = supervise();
    launcher.missing.add('./missing.sh');
    await supervisor.add('foo', { argv: ['./missing.sh'] });
    await assert.rejects(supervisor.start('foo'), {
      name: 'ProgramNotFoundError',
      message: "cannot start daemon 'foo' (./missing.sh): program './missing.sh' not found in PATH (/usr/bin); check the name",
    });
    assert.equal(supervisor.state('foo'), 'FATAL');
    assert.deepEqual(states.map(([, state]) => state), ['STOPPED', 'STARTING', 'FATAL']);
  });

  it('a restart that cannot be spawned (the program went away) is FATAL too', async () => {
    const { supervisor, launcher, clock } = supervise({ forever: true });
    await supervisor.add('foo', { argv: ['./server'] });
    await supervisor.start('foo');
    launcher.missing.add('./server');
    launcher.latest('foo').end({ code: 1, signal: null, cause: 'by-itself' });
    await clock.advance(0);
    await clock.advance(clock.nextDueInMs!);
    assert.equal(supervisor.state('foo'), 'FATAL');
    assert.equal(supervisor.fatalError('foo')?.name, 'ProgramNotFoundError');
  });
});

describe('Supervisor: stopping everything', () => {
  it('reports every stop that failed, not just the first', async () => {
    const { supervisor, launcher, clock } = supervise();
    for (const name of ['api', 'web', 'worker']) {
      await supervisor.add(name, { argv: [name] });
      await supervisor.start(name);
    }
    launcher.latest('api').stopFailure = new StopTimeoutError('api: process 1 was still there after SIGKILL');
    launcher.latest('worker').stopFailure = new StopTimeoutError('worker: process 3 was still there after SIGKILL');
    const stopping = supervisor.stopAll().then(
      () => assert.fail('expected a failure'),
      (e: unknown) => e,
    );
    await clock.advance(launcher.latest('web').terminationDelayMs);
    const error = await stopping;
    assert.ok(error instanceof AggregateError && error instanceof StopFailuresError, String(error));
    assert.deepEqual(
      error.errors.map((e: Error) => e.message),
      ['api: process 1 was still there after SIGKILL', 'worker: process 3 was still there after SIGKILL'],
    );
    assert.equal(
      error.message,
      '2 stops failed:\n- api: process 1 was still there after SIGKILL\n- worker: process 3 was still there after SIGKILL',
    );
  });
});

describe('Supervisor: stopping cancels restarts', () => {
  it('stop cancels a pending restart (procmon stopServiceCancelRestarts)', async () => {
    const { supervisor, launcher, clock } = supervise(PROCMON);
    await supervisor.add('foo', { argv: ['foo'] });
    await supervisor.start('foo');
    launcher.latest('foo').end({ code: 1, signal: null, cause: 'by-itself' });
    await clock.advance(0);
    assert.equal(supervisor.state('foo'), 'BACKOFF');
    assert.equal(clock.pendingSleeps, 1);
    await supervisor.stop('foo');
    assert.equal(supervisor.state('foo'), 'STOPPED');
    assert.equal(clock.pendingSleeps, 0);
    await clock.advance(120_000);
    assert.equal(launcher.launched.length, 1);
  });

  it('stop all cancels every pending restart and resolves once every process is gone', async () => {
    const { supervisor, launcher, clock } = supervise({ minDelayMs: 5000, thresholdMs: 5000 });
    for (const name of ['a', 'b', 'c']) {
      await supervisor.add(name, { argv: [name] });
      await supervisor.start(name);
    }
    await clock.advance(1000);
    launcher.latest('a').end({ code: 1, signal: null, cause: 'by-itself' });
    launcher.latest('b').end({ code: 1, signal: null, cause: 'by-itself' });
    await clock.advance(0);
    assert.deepEqual(supervisor.list().map((p) => p.state), ['BACKOFF', 'BACKOFF', 'RUNNING']);
    const stopping = supervisor.stopAll();
    await clock.advance(launcher.latest('c').terminationDelayMs);
    await stopping;
    assert.deepEqual(supervisor.list().map((p) => p.state), ['STOPPED', 'STOPPED', 'STOPPED']);
    await clock.advance(120_000);
    assert.equal(launcher.launched.length, 3);
    assert.ok(launcher.launched.every((p) => !p.alive));
  });

  it('a stop from outside the supervisor (a test step) cancels restarts too', async () => {
    const { supervisor, launcher, clock } = supervise();
    await supervisor.add('foo', { argv: ['foo'] });
    await supervisor.start('foo');
    launcher.latest('foo').stopFromOutside();
    await clock.advance(120_000);
    assert.equal(supervisor.state('foo'), 'STOPPED');
    assert.equal(launcher.launched.length, 1);
  });
});

describe('Supervisor: output as [NAME] lines', () => {
  it('logs every complete line of stdout and stderr with the name in front', async () => {
    const { supervisor, launcher, log } = supervise();
    await supervisor.add('foo', { argv: ['foo'] });
    await supervisor.start('foo');
    launcher.latest('foo').write('stdout', 'hello world!\nand ');
    launcher.latest('foo').write('stderr', 'oops\n');
    launcher.latest('foo').write('stdout', 'more\n');
    assert.deepEqual(log, ['[foo] hello world!', '[foo] oops', '[foo] and more']);
  });

  it('shows bytes that are not UTF-8 escaped, and never throws on them', async () => {
    const { supervisor, launcher, log } = supervise();
    await supervisor.add('foo', { argv: ['foo'] });
    await supervisor.start('foo');
    launcher.latest('foo').write('stdout', Buffer.from([0xff, ...Buffer.from('hello world!\n')]));
    assert.deepEqual(log, ['[foo] \\xffhello world!']);
  });

  it('writes a partial last line only when the process ends', async () => {
    const { supervisor, launcher, log } = supervise();
    await supervisor.add('foo', { argv: ['foo'] });
    await supervisor.start('foo');
    launcher.latest('foo').write('stdout', 'hello world!');
    assert.deepEqual(log, []);
    launcher.latest('foo').end();
    assert.deepEqual(log, ['[foo] hello world!']);
  });
});

describe('Supervisor: output to a log that takes lines in bulk', () => {
  it('hands each chunk\'s complete lines to writeLines in one piece, partial lines when complete', async () => {
    const clock = new FakeClock();
    const launcher = new FakeLauncher(clock);
    const batches: string[] = [];
    const log = { writeLine: () => assert.fail('writeLine is for logs without writeLines'), writeLines: (bytes: Buffer) => batches.push(bytes.toString()) };
    const supervisor = new Supervisor({ launcher, clock, log });
    await supervisor.add('foo', { argv: ['foo'] });
    await supervisor.start('foo');
    launcher.latest('foo').write('stdout', 'one\ntwo\nthr');
    launcher.latest('foo').write('stdout', 'ee\n');
    launcher.latest('foo').write('stderr', Buffer.from([0xff, 0x0a]));
    assert.deepEqual(batches, ['[foo] one\n[foo] two\n', '[foo] three\n', '[foo] \\xff\n']);
  });
});

describe('Supervisor: ports from a pool', () => {
  it('hands out the lowest free port, writes it into ${NAME.port}, and reuses a removed one', async () => {
    const { supervisor, launcher, clock } = supervise();
    const first = await supervisor.add('test1', { argv: ['./server', '--port=${test1.port}'], env: { PORT: '${test1.port}' }, port: 'pool' });
    const second = await supervisor.add('test1bis', { argv: ['./server'], port: 'pool' });
    assert.ok(first.port! >= 20000 && second.port! > first.port!, `${first.port} then ${second.port}`);
    await supervisor.start('test1');
    assert.deepEqual(launcher.latest('test1').request.argv, ['./server', `--port=${first.port}`]);
    assert.deepEqual(launcher.latest('test1').request.env, { PORT: String(first.port) });
    const removing = supervisor.remove('test1');
    await clock.advance(1000);
    await removing;
    const again = await supervisor.add('test1', { argv: ['./server'], port: 'pool' });
    assert.equal(again.port, first.port);
    await supervisor.remove('test1');
    await supervisor.remove('test1bis');
  });
});

describe('Supervisor with real processes (DaemonLauncher), on a fake clock', () => {
  let directory: string;
  beforeEach(() => {
    directory = mkdtempSync(path.join(os.tmpdir(), 'supervisor-test-'));
  });
  afterEach(() => {
    rmSync(directory, { recursive: true, force: true });
  });

  it('kill time: a process that ignores SIGTERM gets SIGKILL when the kill time is over, not before', async () => {
    const clock = new FakeClock();
    const launcher = new DaemonLauncher({ outputDirectory: directory, clock });
    const supervisor = new Supervisor({ launcher, clock, killTimeMs: 5000 });
    launcher.define('stubborn', { ready: [waitFor.output('trap set', 'stdout')] });
    await supervisor.add('stubborn', { argv: ['sh', '-c', 'trap "" TERM; echo trap set; exec sleep 30'], cwd: directory });
    try {
      await supervisor.start('stubborn');
      const daemon = launcher.daemon('stubborn')!;
      const pid = daemon.pid!;
      const stopping = supervisor.stop('stubborn');
      await clock.untilSleeping();
      await clock.advance(4999);
      assert.equal(isAlive(pid), true, 'still there before the kill time is over');
      assert.equal(supervisor.state('stubborn'), 'RUNNING');
      await clock.advance(1);
      await stopping;
      assert.equal(supervisor.state('stubborn'), 'STOPPED');
      assert.deepEqual(daemon.exit, { code: null, signal: 'SIGKILL', cause: 'forced', stop: { signal: 'SIGTERM', graceMs: 5000 } });
      assert.equal(isAlive(pid), false);
    } finally {
      await supervisor.stopAll();
      launcher.closeFiles();
    }
  });

  it('a program that cannot be spawned is FATAL at once, with the reason', async () => {
    const launcher = new DaemonLauncher({ outputDirectory: directory });
    const supervisor = new Supervisor({ launcher });
    launcher.mirrorStatesOf(supervisor);
    await supervisor.add('ghost', { argv: ['./no-such-program'], cwd: directory });
    await assert.rejects(supervisor.start('ghost'), {
      name: 'ProgramNotFoundError',
      message:
        `cannot start daemon 'ghost' (./no-such-program): program './no-such-program' not found: there is no file ${directory}/no-such-program; ` +
        'create it first, or give the program by its absolute path',
    });
    assert.equal(supervisor.state('ghost'), 'FATAL');
    const ghost = launcher.daemon('ghost');
    assert.equal(ghost?.state, 'FATAL', 'a daemon of that name, to be asked for its state');
    assert.equal(ghost.pid, undefined);
    assert.match(ghost.whyFatal(), /^it could not be spawned \(cannot start daemon 'ghost' \(\.\/no-such-program\): program '\.\/no-such-program' not found: /);
    launcher.closeFiles();
  });
});

import { pollUntil } from '../readiness/poll.js';
import assert from 'node:assert/strict';
import { execFile, execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { AdoptedProcess } from './adopted.js';
import { endRun } from '../containment/leftovers.js';
import { MARKER_VARIABLE, thisRun } from '../containment/marker.js';
import { resolveConfig } from '../config.js';
import { isAlive, readCommandLine, readProcStat, snapshotProcesses } from '../containment/proc.js';
import { DaemonScope } from '../scope.js';

const fixtures = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../features/fixtures');
const directory = mkdtempSync(path.join(os.tmpdir(), 'adopted-test-'));
const pidFile = path.join(directory, 'master.pid');
const execFileAsync = promisify(execFile);
// What this file spawns carries this run's marker, so whatever a failed test leaves behind is ended here.
process.env[MARKER_VARIABLE] = `${thisRun.runId}:${path.basename(fileURLToPath(import.meta.url))}`;
after(async () => {
  await endRun(thisRun.runId, { graceMs: 0 });
  rmSync(directory, { recursive: true, force: true });
});

function run(command: string, options: { detached?: boolean } = {}): ChildProcess {
  const child = spawn('sh', ['-c', command], { detached: options.detached ?? true, stdio: ['ignore', 'pipe', 'inherit'], cwd: directory });
  return child;
}

async function firstLine(child: ChildProcess): Promise<string> {
  const [line] = (await once(createInterface({ input: child.stdout! }), 'line')) as [string];
  return line;
}

/** Polls the real condition, within a deadline: the state /proc shows for a pid. */
async function untilState(pid: number, state: string): Promise<void> {
  if (!(await pollUntil(() => readProcStat(pid)?.state === state || undefined, { timeoutMs: 5000 }))) throw new Error(`pid ${pid} never reached state ${state}`);
}

const adopt = (timeoutMs: number) => AdoptedProcess.adopt({ name: 'master', pidFile, shownAs: 'var/master.pid', timeoutMs });

describe('adopting the process a pid file names', () => {
  it('waits for the daemon to write its pid file, then follows that process', async () => {
    rmSync(pidFile, { force: true });
    const daemon = run(`sleep 0.2; echo $$ > ${pidFile}; exec sleep 30`);
    const adopted = await adopt(5000);
    assert.equal(adopted.pid, daemon.pid);
    assert.equal(adopted.isRunning, true);
    assert.equal(adopted.state, 'RUNNING');
    assert.deepEqual(adopted.context, { name: 'master', command: 'adopted from pid file var/master.pid', pid: daemon.pid });
    await adopted.stop({ graceMs: 1000 });
    assert.equal(adopted.state, 'STOPPED');
    assert.equal(adopted.isRunning, false);
  });

  it('says what the pid file held when no live process appeared in it', async () => {
    rmSync(pidFile, { force: true });
    await assert.rejects(adopt(30), {
      name: 'PidFileError',
      message: `cannot adopt 'master' within 0.03 s: the pid file var/master.pid does not exist (looked for ${pidFile}); start the daemon that writes it first`,
    });
    writeFileSync(pidFile, '\n');
    await assert.rejects(adopt(30), { message: `cannot adopt 'master' within 0.03 s: the pid file var/master.pid is empty` });
    writeFileSync(pidFile, 'master is running\n');
    await assert.rejects(adopt(30), {
      message: `cannot adopt 'master' within 0.03 s: the pid file var/master.pid holds "master is running", which is not a process id`,
    });
    const gone = run('exit 0');
    await once(gone, 'exit');
    writeFileSync(pidFile, `${gone.pid}\n`);
    await assert.rejects(adopt(30), { message: `cannot adopt 'master' within 0.03 s: the pid file var/master.pid names pid ${gone.pid}, which is not running` });
  });

  it('counts a zombie as gone', async () => {
    const parent = spawn('python3', ['-c', 'import os,time\npid = os.fork()\nif pid == 0: os._exit(0)\nprint(pid, flush=True)\ntime.sleep(30)'], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const zombie = Number(await firstLine(parent));
    await untilState(zombie, 'Z');
    writeFileSync(pidFile, `${zombie}\n`);
    await assert.rejects(adopt(30), {
      message: `cannot adopt 'master' within 0.03 s: the pid file var/master.pid names pid ${zombie}, which has exited (a zombie not yet reaped)`,
    });
  });

  it('refuses a stale pid file whose pid now names a process younger than the file', async () => {
    const stranger = run('exec sleep 30');
    await once(stranger, 'spawn');
    writeFileSync(pidFile, `${stranger.pid}\n`);
    const anHourAgo = new Date(Date.now() - 3600_000);
    utimesSync(pidFile, anHourAgo, anHourAgo);
    await assert.rejects(adopt(30), {
      message:
        `cannot adopt 'master' within 0.03 s: the pid file var/master.pid names pid ${stranger.pid}, but that process (sleep 30) started after the file was written: ` +
        'the file is stale and the pid now belongs to another process',
    });
  });

  it('refuses at once a pid file naming the test runner or one of its parents', async () => {
    writeFileSync(pidFile, `${process.pid}\n`);
    await assert.rejects(adopt(60_000), {
      message: `cannot adopt 'master': the pid file var/master.pid names pid ${process.pid}, which is the test runner or one of its parents; daemon-steps will not adopt (and later stop) that`,
    });
  });

  it('refuses at once, without waiting or reading it, a pid file that is a FIFO', async () => {
    const fifo = path.join(directory, 'fifo.pid');
    execFileSync('mkfifo', [fifo]);
    // In a process of its own, on a clock that never moves: reading a FIFO used to block that whole
    // process (deadline included) until someone wrote to it; a wait for the deadline never ends.
    const code = `
      import { AdoptedProcess } from ${JSON.stringify(new URL('./adopted.js', import.meta.url).href)};
      import { FakeClock } from ${JSON.stringify(new URL('../supervision/fake-clock.js', import.meta.url).href)};
      const request = { name: 'master', pidFile: ${JSON.stringify(fifo)}, shownAs: 'var/fifo.pid', timeoutMs: 5000, clock: new FakeClock() };
      await AdoptedProcess.adopt(request).then(() => console.log('adopted'), (error) => console.log(error.name + ': ' + error.message));
    `;
    // The timeout only ends a hung process, so that a hang fails this test instead of the whole run.
    const { stdout } = await execFileAsync(process.execPath, ['--input-type=module', '-e', code], { timeout: 60_000 });
    assert.equal(
      stdout,
      `PidFileError: cannot adopt 'master': the pid file var/fifo.pid (${fifo}) is not a regular file but a FIFO; ` +
        'name the file the daemon writes its process id to\n',
    );
  });

  it('has no exit code, and waiting for its exit ends when it is a zombie', async () => {
    const parent = spawn('python3', ['-c', `import os,time\npid = os.fork()\nif pid == 0:\n  time.sleep(0.3)\n  os._exit(3)\nopen('${pidFile}', 'w').write(str(pid))\nprint(pid, flush=True)\ntime.sleep(30)`], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const child = Number(await firstLine(parent));
    const adopted = await adopt(5000);
    assert.equal(adopted.pid, child);
    assert.equal(await adopted.waitForExit({ timeout: 5000 }), undefined);
    assert.equal(readProcStat(child)?.state, 'Z', 'its parent has not reaped it: it is a zombie, and that counts as gone');
    assert.equal(adopted.isRunning, false);
    assert.equal(adopted.state, 'EXITED');
    assert.equal(adopted.exit, undefined);
    assert.throws(() => adopted.requireExit(), {
      name: 'AdoptedProcessError',
      message:
        `daemon 'master' (adopted from pid file var/master.pid) is not a child of daemon-steps, so how it ended (exit code or signal) cannot be known; ` +
        `check isRunning instead`,
    });
  });

  it('a wait for exit that times out says the process is still running', async () => {
    const daemon = run(`echo $$ > ${pidFile}; exec sleep 30`);
    await once(daemon, 'spawn');
    const adopted = await adopt(5000);
    await assert.rejects(adopted.waitForExit({ timeout: 20 }), {
      name: 'NotExitedError',
      message: `daemon 'master' (adopted from pid file var/master.pid) did not exit within 0.02 s; it is still running (pid ${daemon.pid})`,
    });
    await adopted.kill();
    assert.equal(adopted.state, 'EXITED');
  });

  it('is RUNNING, then EXITED once it ends, as a wait for its state sees; other states it never reaches', async () => {
    const daemon = run(`echo $$ > ${pidFile}; exec sleep 30`);
    await once(daemon, 'spawn');
    const adopted = await adopt(5000);
    await adopted.waitForState('RUNNING', { timeout: 0 });
    await assert.rejects(adopted.waitForState('EXITED', { timeout: 20 }), {
      message: `daemon 'master' (adopted from pid file var/master.pid) did not reach state EXITED within 0.02 s; it is RUNNING`,
    });
    const exited = adopted.waitForState('EXITED', { timeout: 5000 });
    daemon.kill('SIGTERM');
    await exited;
    assert.equal(adopted.state, 'EXITED');
    await assert.rejects(adopted.waitForState('RUNNING', { timeout: 5000 }), {
      name: 'AdoptedProcessError',
      message: `daemon 'master' (adopted from pid file var/master.pid) will not reach state RUNNING: it is EXITED, and an adopted process is not started again`,
    });
    await assert.rejects(adopted.waitForState('BACKOFF', { timeout: 5000 }), {
      name: 'AdoptedProcessError',
      message:
        `daemon 'master' (adopted from pid file var/master.pid) is never in state BACKOFF: daemon-steps neither started it nor restarts it, ` +
        'so it is only ever RUNNING, EXITED, STOPPED',
    });
  });

  it('signals once when stopped twice at once: the second stop shares the first and its outcome', async () => {
    const counter = run(`echo $$ > ${pidFile}; exec ${fixtures}/sigterm-counter.sh`);
    const output = createInterface({ input: counter.stdout! })[Symbol.asyncIterator]();
    assert.equal((await output.next()).value, 'ready');
    const adopted = await adopt(5000);
    const first = adopted.stop({ graceMs: 1000 });
    assert.equal((await output.next()).value, 'SIGTERM 1');
    // The first SIGTERM has been handled: another one now would be counted.
    const second = adopted.stop({ graceMs: 1000 });
    const [firstOutcome, secondOutcome] = await Promise.all([first, second]);
    assert.equal(secondOutcome, firstOutcome);
    assert.equal(firstOutcome.forced, true);
    const rest: string[] = [];
    for await (const line of { [Symbol.asyncIterator]: () => output }) rest.push(line);
    assert.deepEqual(rest, [], 'nothing more was printed: no second SIGTERM');
    assert.equal(adopted.state, 'STOPPED');
  });

  it('stopping ends it and its SIGTERM-ignoring descendants, though it neither is our child nor leads a group, and nothing else', async () => {
    const parent = run(`${fixtures}/stubborn-tree.py child & echo $! > ${pidFile}; wait; exec sleep 30`);
    assert.equal(await firstLine(parent), 'grandchild ready');
    const adopted = await adopt(5000);
    assert.notEqual(readProcStat(adopted.pid)?.pgrp, adopted.pid);
    const grandchild = [...snapshotProcesses().values()].find((p) => p.ppid === adopted.pid)!;
    assert.ok(grandchild, 'the grandchild runs');
    const outcome = await adopted.stop({ graceMs: 100 });
    assert.equal(outcome.forced, true);
    assert.equal(adopted.isRunning, false);
    assert.equal(isAlive(grandchild.pid, grandchild.startTime), false);
    assert.equal(isAlive(parent.pid!), true, 'the shell that started it is not part of it');
  });
});

describe('adopted processes in a scope', () => {
  it('are stopped by the teardown, carry no output, and name themselves in errors', async () => {
    const scope = new DaemonScope({ label: 'adopted test', config: resolveConfig({ stopGrace: 0.5 }) });
    mkdirSync(path.join(scope.workspace, 'var'));
    const daemon = run(`echo $$ > ${scope.workspace}/var/master.pid; exec sleep 30`);
    const ended = once(daemon, 'exit') as Promise<[number | null, NodeJS.Signals | null]>;
    const adopted = await scope.adopt({ name: 'master', pidFile: 'var/master.pid' });
    assert.equal(scope.entry('master'), adopted);
    assert.equal(scope.expand('${master.pid}'), String(daemon.pid));
    assert.throws(() => scope.get('master'), {
      name: 'AdoptedProcessError',
      message:
        `daemon 'master' (adopted from pid file var/master.pid) was not started by daemon-steps: it has no captured output or stdin and cannot be restarted; ` +
        'read its log file, or stop, kill, signal or wait for it',
    });
    await assert.rejects(scope.adopt({ name: 'master', pidFile: 'var/master.pid' }), { name: 'DuplicateDaemonError', message: /^a daemon named 'master' already exists in this scope \(adopted from pid file var\/master.pid, still running\)/ });
    await scope.dispose();
    const [, signal] = await ended;
    assert.equal(signal, 'SIGTERM');
  });
});

describe('adopting refuses a pid that is not the scenario’s to stop', () => {
  it('refuses a thread of the test runner at once, saying so', async () => {
    const thread = readdirSync('/proc/self/task').map(Number).find((tid) => tid !== process.pid);
    assert.ok(thread, 'node runs threads beside its main one');
    writeFileSync(pidFile, `${thread}\n`);
    await assert.rejects(adopt(5000), {
      message: `cannot adopt 'master': the pid file var/master.pid names pid ${thread}, which is a thread of the test runner (pid ${process.pid}), not a process; daemon-steps will not adopt (and later stop) that`,
    });
  });

  it('refuses a process of another user at once, saying so', { skip: process.getuid?.() !== 0 && 'needs root to start a process as another user' }, async () => {
    const stranger = spawn('setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', 'sleep', '30'], { stdio: 'ignore' });
    try {
      await untilCommand(stranger.pid!, 'sleep 30');
      writeFileSync(pidFile, `${stranger.pid}\n`);
      await assert.rejects(adopt(5000), {
        message: `cannot adopt 'master': the pid file var/master.pid names pid ${stranger.pid}, which belongs to another user (uid 65534, not 0); daemon-steps adopts only processes of the user that runs the tests`,
      });
    } finally {
      stranger.kill('SIGKILL');
      await once(stranger, 'exit');
    }
  });

  it('refuses a process that was running before the scenario began, naming it', async () => {
    const older = run('exec sleep 30');
    try {
      await untilCommand(older.pid!, 'sleep 30');
      writeFileSync(pidFile, `${older.pid}\n`);
      const startTime = readProcStat(older.pid!)!.startTime;
      const adoptAfterIt = AdoptedProcess.adopt({ name: 'master', pidFile, shownAs: 'var/master.pid', timeoutMs: 50, notStartedBefore: startTime + 10 });
      await assert.rejects(adoptAfterIt, {
        message: `cannot adopt 'master' within 0.05 s: the pid file var/master.pid names pid ${older.pid} (sleep 30), which was running before this scope began: daemon-steps adopts only a process the scope started`,
      });
      const adopted = await AdoptedProcess.adopt({ name: 'master', pidFile, shownAs: 'var/master.pid', timeoutMs: 50, notStartedBefore: startTime });
      assert.equal(adopted.pid, older.pid, 'one started when the scenario began is adopted');
    } finally {
      older.kill('SIGKILL');
      await once(older, 'exit');
    }
  });
});

/** Polls the real condition, within a deadline: the process has exec'd the command. */
async function untilCommand(pid: number, command: string): Promise<void> {
  if (!(await pollUntil(() => readCommandLine(pid) === command || undefined, { timeoutMs: 5000 }))) throw new Error(`pid ${pid} never ran ${command}`);
}

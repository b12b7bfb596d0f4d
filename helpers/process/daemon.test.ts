import { waitFor } from '../readiness/wait-for.js';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { Daemon, type DaemonSpec } from './daemon.js';
import { waitForOutput } from '../output/expect-output.js';
import { isInScope, newScopeMarker } from '../containment/marker.js';
import { isAlive, processesWithMarker } from '../containment/proc.js';

const fixtures = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../features/fixtures');
let dir: string;
const scopeMarker = newScopeMarker('daemon-test');
before(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'daemon-test-'));
});
after(() => {
  rmSync(dir, { recursive: true, force: true });
  assert.deepEqual(
    processesWithMarker((marker) => isInScope(marker, scopeMarker)),
    [],
    'a daemon outlived the tests',
  );
});

function spec(name: string, command: string[], extra: Partial<DaemonSpec> = {}): DaemonSpec {
  return { name, commandLine: command.join(' '), argv: command, cwd: dir, outputDirectory: dir, marker: `${scopeMarker}/${name}`, ...extra };
}

describe('Daemon', () => {
  it('is STARTING until its conditions hold, then RUNNING, and STOPPED after a stop', async () => {
    const daemon = await Daemon.spawn(
      spec('states', ['sh', '-c', 'read line; echo "$line"; exec sleep 30'], { ready: [waitFor.output('go', 'stdout')] }),
    );
    const states: string[] = [];
    daemon.on('state', (state: string) => states.push(state));
    assert.equal(daemon.state, 'STARTING');
    const ready = daemon.waitUntilReady({ timeout: 5000 });
    await daemon.writeStdin(Buffer.from('go\n'));
    await ready;
    await daemon.waitForState('RUNNING', { timeout: 0 });
    await daemon.stop({ graceMs: 2000 });
    assert.deepEqual(states, ['RUNNING', 'STOPPED']);
    daemon.closeFiles();
  });

  it('is EXITED when it ends by itself, and when it is killed', async () => {
    const quick = await Daemon.start(spec('quick', ['true']), { timeout: 5000 });
    await quick.waitForState('EXITED', { timeout: 5000 });
    assert.deepEqual(quick.exit, { code: 0, signal: null, cause: 'by-itself' });
    quick.closeFiles();

    const victim = await Daemon.start(spec('victim', ['sleep', '30']), { timeout: 5000 });
    const pid = victim.pid!;
    const outcome = await victim.kill();
    assert.equal(outcome.forced, true);
    assert.equal(victim.state, 'EXITED');
    assert.deepEqual(victim.exit, { code: null, signal: 'SIGKILL', cause: 'killed' });
    assert.equal(isAlive(pid), false);
    victim.closeFiles();
  });

  it('says which state it waited for, and which it is in', async () => {
    const sleeper = await Daemon.start(spec('sleeper', ['sleep', '30']), { timeout: 5000 });
    await assert.rejects(sleeper.waitForState('EXITED', { timeout: 50 }), (error: Error) => {
      assert.equal(error.message.split('\n')[0], "daemon 'sleeper' (sleep 30) did not reach state EXITED within 0.05 s; it is RUNNING");
      return true;
    });
    await sleeper.stop({ graceMs: 2000 });
    sleeper.closeFiles();
  });

  it('signals once when stopped twice at once: the second stop shares the first and its outcome', async () => {
    // A trap counts the SIGTERMs; it survives them all, so only SIGKILL ends it.
    const counter = await Daemon.start(
      spec('counter', [path.join(fixtures, 'sigterm-counter.sh')], { ready: [waitFor.output('ready\n', 'stdout')] }),
      { timeout: 5000 },
    );
    const first = counter.stop({ graceMs: 1000 });
    await waitForOutput(counter, 'stdout', Buffer.from('SIGTERM 1\n'), { timeout: 5000 });
    // The first SIGTERM has been handled: another one now would be counted.
    const second = counter.stop({ graceMs: 1000 });
    const [firstOutcome, secondOutcome] = await Promise.all([first, second]);
    assert.equal(secondOutcome, firstOutcome);
    assert.equal(firstOutcome.forced, true);
    assert.equal(counter.stdout.read().toString(), 'ready\nSIGTERM 1\n');
    assert.deepEqual(counter.exit, { code: null, signal: 'SIGKILL', cause: 'forced', stop: { signal: 'SIGTERM', graceMs: 1000 } });
    assert.equal(counter.state, 'STOPPED');
    counter.closeFiles();
  });

  it('stops and closes its files when disposed with await using', async () => {
    let pid: number | undefined;
    {
      await using scoped = await Daemon.start(spec('scoped', ['sleep', '30']), { timeout: 5000 });
      pid = scoped.pid;
      assert.equal(isAlive(pid!), true);
    }
    assert.equal(isAlive(pid!), false);
  });

  it('reports a spawn that fails, without leaving files open', async () => {
    await assert.rejects(Daemon.spawn(spec('ghost', ['./ghost'])), { name: 'ProgramNotFoundError' });
  });
});

describe('Daemon.writeStdin', { timeout: 20_000 }, () => {
  // Without a deadline the write waits as long as the process lives (here 10 s, then EPIPE), and so does the step.
  it('fails after its deadline when the daemon does not read its stdin, saying how much it took', async () => {
    const sink = await Daemon.spawn(spec('sink', ['sleep', '10']));
    try {
      const data = Buffer.alloc(3 * 1024 * 1024, 'x');
      await assert.rejects(sink.writeStdin(data, { timeout: 200 }), (error: Error) => {
        assert.equal(error.name, 'StdinError');
        const match = /^daemon 'sink' \(sleep 10\) is not reading its stdin: it took (\d+) of 3145728 bytes within 0\.2 s; the rest was not written\n/.exec(error.message);
        assert.ok(match, error.message);
        assert.ok(Number(match[1]) < data.length, error.message);
        return true;
      });
      assert.equal(sink.isRunning, true);
    } finally {
      await sink.stop({ graceMs: 1000 });
      sink.closeFiles();
    }
  });

  it('writes data larger than a pipe holds to a daemon that reads it', async () => {
    const reader = await Daemon.spawn(spec('reader', ['sh', '-c', 'wc -c; exec sleep 30']));
    try {
      await reader.writeStdin(Buffer.alloc(1024 * 1024, 'x'), { timeout: 10_000 });
      reader.closeStdin();
      await waitForOutput(reader, 'stdout', Buffer.from('1048576\n'), { timeout: 10_000 });
    } finally {
      await reader.stop({ graceMs: 1000 });
      reader.closeFiles();
    }
  });
});

// Node refuses these before any process exists, so neither 'spawn' nor 'error' is ever emitted: a
// start that waits only for those would wait forever. The timeout turns such a hang into a failure.
describe('Daemon.spawn refused before a process exists', { timeout: 20_000 }, () => {
  it('fails at once when the kernel refuses the arguments as too large (E2BIG), and says so', async () => {
    const huge = 'x'.repeat(140_000);
    await assert.rejects(Daemon.spawn(spec('huge', ['/bin/echo', huge])), (error: Error) => {
      assert.equal(error.name, 'ArgumentListTooLongError');
      const [headline, total] = error.message.split(/ together (\d+) bytes/);
      assert.equal(
        headline,
        `cannot start daemon 'huge' (/bin/echo ${'x'.repeat(190)}… (140010 characters)): the kernel refuses its arguments and environment as too large (E2BIG): ` +
          'the longest argument or variable has 140000 bytes (Linux takes at most 131072 in one), all of them',
      );
      assert.ok(Number(total) > 140_000, error.message);
      return true;
    });
  });

  it('refuses an environment variable no process can receive, naming the daemon', async () => {
    await assert.rejects(Daemon.spawn(spec('nul', ['/bin/true'], { env: { A: 'c\0d' } })), {
      name: 'InvalidEnvironmentError',
      message: `cannot start daemon 'nul' (/bin/true): environment variable A: its value "c\\u0000d" holds a NUL character, which no process can receive`,
    });
    await assert.rejects(Daemon.spawn(spec('equals', ['/bin/true'], { env: { 'A=B': 'c' } })), {
      message: `cannot start daemon 'equals' (/bin/true): environment variable name "A=B" holds '=', which would make it a variable named "A"`,
    });
  });
});

describe('Daemon exit record: how the process ended', () => {
  /** Ready once it has touched `<name>.ready` in its working directory (dir): its trap is set by then. */
  const touched = (name: string) => ({ ready: [waitFor.file(`${name}.ready`)] });
  /** Ignores SIGTERM, as sleep does once exec'd with the trap inherited: only SIGKILL ends it. */
  const stubborn = (name: string) => ['sh', '-c', `trap "" TERM; touch ${name}.ready; exec sleep 30`];

  it('by itself: it exited with code 3, and a stop afterwards does not rewrite that', async () => {
    const daemon = await Daemon.spawn(spec('three', ['sh', '-c', 'exit 3']));
    const exit = await daemon.waitForExit({ timeout: 5000 });
    assert.deepEqual(exit, { code: 3, signal: null, cause: 'by-itself' });
    await daemon.stop({ graceMs: 1000 });
    assert.deepEqual(daemon.exit, { code: 3, signal: null, cause: 'by-itself' });
    daemon.closeFiles();
  });

  it('stopped: it died of our SIGTERM within the grace', async () => {
    const daemon = await Daemon.start(spec('obeys', ['sleep', '30']), { timeout: 5000 });
    const outcome = await daemon.stop({ graceMs: 5000 });
    assert.equal(outcome.forced, false);
    assert.deepEqual(daemon.exit, { code: null, signal: 'SIGTERM', cause: 'stopped', stop: { signal: 'SIGTERM', graceMs: 5000 } });
    daemon.closeFiles();
  });

  it('stopped: it exited with a code from its handler of the signal asked for', async () => {
    // No long-lived child: a signal that lands while the shell forks one can be lost in the child,
    // which would then outlive the grace. A short foreground sleep ends by itself in any case.
    const daemon = await Daemon.start(spec('handles', ['sh', '-c', 'trap "exit 0" USR1; touch handles.ready; while :; do sleep 0.1; done'], touched('handles')), { timeout: 5000 });
    const outcome = await daemon.stop({ signal: 'SIGUSR1', graceMs: 5000 });
    assert.equal(outcome.forced, false);
    assert.deepEqual(daemon.exit, { code: 0, signal: null, cause: 'stopped', stop: { signal: 'SIGUSR1', graceMs: 5000 } });
    daemon.closeFiles();
  });

  it('forced: it ignored SIGTERM and our SIGKILL after the grace ended it, and the message says so', async () => {
    const daemon = await Daemon.start(spec('ignores', stubborn('ignores'), touched('ignores')), { timeout: 5000 });
    const outcome = await daemon.stop({ graceMs: 100 });
    assert.equal(outcome.forced, true);
    assert.deepEqual(daemon.exit, { code: null, signal: 'SIGKILL', cause: 'forced', stop: { signal: 'SIGTERM', graceMs: 100 } });
    assert.throws(
      () => daemon.sendSignal('SIGHUP'),
      (error: Error) => {
        assert.equal(
          error.message.split('\n')[0],
          `cannot send SIGHUP to daemon 'ignores' (${stubborn('ignores').join(' ')}): it is not running (it was killed by signal SIGKILL after the 0.1 s grace (it did not end on SIGTERM))`,
        );
        return true;
      },
    );
    daemon.closeFiles();
  });

  it('killed: our kill ended it, SIGKILL at once', async () => {
    const daemon = await Daemon.start(spec('victim', ['sleep', '30']), { timeout: 5000 });
    await daemon.kill();
    assert.deepEqual(daemon.exit, { code: null, signal: 'SIGKILL', cause: 'killed' });
    daemon.closeFiles();
  });

  it('killed: a kill during a stop it ignores is what ended it, not the stop', async () => {
    const daemon = await Daemon.start(spec('interrupted', stubborn('interrupted'), touched('interrupted')), { timeout: 5000 });
    // The stop's SIGTERM is sent before stop() returns its promise; the long grace never runs out.
    const stopping = daemon.stop({ graceMs: 60_000 });
    await daemon.kill();
    const outcome = await stopping;
    assert.equal(outcome.forced, false);
    assert.deepEqual(daemon.exit, { code: null, signal: 'SIGKILL', cause: 'killed' });
    daemon.closeFiles();
  });

  it('signalled by us: it died of a signal we sent without stopping it', async () => {
    const daemon = await Daemon.start(spec('hup', ['sleep', '30']), { timeout: 5000 });
    daemon.sendSignal('SIGHUP');
    const exit = await daemon.waitForExit({ timeout: 5000 });
    assert.deepEqual(exit, { code: null, signal: 'SIGHUP', cause: 'signalled-by-us' });
    daemon.closeFiles();
  });

  it('signalled by someone else: a SIGKILL the test sends itself', async () => {
    const daemon = await Daemon.start(spec('outsider', ['sleep', '30']), { timeout: 5000 });
    process.kill(daemon.pid!, 'SIGKILL');
    const exit = await daemon.waitForExit({ timeout: 5000 });
    assert.deepEqual(exit, { code: null, signal: 'SIGKILL', cause: 'signalled-by-someone-else' });
    assert.equal(daemon.state, 'EXITED');
    daemon.closeFiles();
  });

  it('signalled by someone else: a SIGKILL from outside during our stop is not taken for a forced stop', async () => {
    const daemon = await Daemon.start(spec('overtaken', stubborn('overtaken'), touched('overtaken')), { timeout: 5000 });
    const stopping = daemon.stop({ graceMs: 60_000 });
    process.kill(daemon.pid!, 'SIGKILL');
    const outcome = await stopping;
    assert.equal(outcome.forced, false);
    assert.deepEqual(daemon.exit, { code: null, signal: 'SIGKILL', cause: 'signalled-by-someone-else' });
    daemon.closeFiles();
  });

  it('by itself: a crash signal it raised on itself', async () => {
    const daemon = await Daemon.spawn(spec('crash', ['sh', '-c', 'kill -SEGV $$']));
    const exit = await daemon.waitForExit({ timeout: 5000 });
    assert.deepEqual(exit, { code: null, signal: 'SIGSEGV', cause: 'by-itself' });
    daemon.closeFiles();
  });
});

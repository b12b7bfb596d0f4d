import { runWithClauses, startWithClauses } from '../support/clause-options.js';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { resolveConfig } from './config.js';
import { isInScope } from './containment/marker.js';
import { isPortOpen } from './ports/ports.js';
import { isAlive, processesWithMarker, readCommandLine, sendSignal } from './containment/proc.js';
import type { Daemon } from './process/daemon.js';
import { DaemonScope } from './scope.js';

const config = resolveConfig({ stopGrace: 0.5, startTimeout: 5, exitTimeout: 5 }, {});

let scope: DaemonScope;
beforeEach(() => {
  scope = new DaemonScope({ label: 'scope test', config });
});
afterEach(async () => {
  await scope.dispose();
  assert.deepEqual(
    processesWithMarker((marker) => isInScope(marker, scope.marker)),
    [],
    'a process of the scope outlived it',
  );
});

/**
 * A daemon whose grandchild leaves the group, drops the marker and is orphaned at once (its parent,
 * a subshell, exits): without a cgroup nothing can find it, but it inherited the daemon's output
 * pipes. The test ends it itself, by the pid it printed, if nothing else has.
 */
async function startEscaper(on: DaemonScope = scope): Promise<{ escaper: Daemon; escaped: number }> {
  const escaper = await startWithClauses(on,{
    name: 'escaper',
    command: `sh -c '(setsid env -u DAEMON_STEPS_RUN sh -c \\"echo \\$\\$; exec sleep 300\\" &); exec sleep 300'`,
    clauses: ', waiting for stdout to contain "\\n"',
  });
  return { escaper, escaped: Number(escaper.stdout.read().toString()) };
}

/** Messages name the workspace; tests compare them with it written as WS. */
function relative(message: string): string {
  return message.replaceAll(scope.workspace, 'WS');
}

describe('DaemonScope.start', () => {
  it('starts a daemon, waits for its readiness clause, and stops it with its whole group', async () => {
    const web = await startWithClauses(scope,{ name: 'web', command: `sh -c 'sleep 30 & echo oops >&2; echo hello; wait'`, clauses: ', waiting for stdout to contain "hello"' });
    assert.equal(web.state, 'RUNNING');
    assert.equal(web.isRunning, true);
    assert.equal(typeof web.pid, 'number');
    const outcome = await web.stop({ graceMs: 2000 });
    assert.equal(outcome.forced, false);
    assert.equal(web.state, 'STOPPED');
    assert.equal(web.isRunning, false);
    assert.deepEqual(web.exit, { code: null, signal: 'SIGTERM', cause: 'stopped', stop: { signal: 'SIGTERM', graceMs: 2000 } });
    assert.equal(readFileSync(path.join(scope.workspace, 'web.stdout'), 'utf8'), 'hello\n');
    assert.equal(readFileSync(path.join(scope.workspace, 'web.stderr'), 'utf8'), 'oops\n');
    const combined = readFileSync(scope.combinedLog.path, 'utf8');
    assert.match(combined, /^\[web\] hello$/m);
    assert.match(combined, /^\[web\] oops$/m);
  });

  it('never waits on the test’s own timers: it starts, waits, stops and tears down while they are faked', { timeout: 10_000 }, async (t) => {
    // A user's fake timers (node:test's, vitest's, sinon's) are installed after daemon-steps is imported.
    t.mock.timers.enable({ apis: ['setTimeout', 'setInterval', 'setImmediate', 'Date'] });
    const web = await startWithClauses(scope,{
      name: 'web',
      command: `sh -c 'sleep 30 & exec python3 -m http.server "$1" --bind 127.0.0.1' sh \${web.port}`,
      clauses: ', on a free port, waiting for HTTP /',
    });
    const stubborn = await startWithClauses(scope,{ name: 'stubborn', command: `sh -c 'trap "" TERM; echo ready; while :; do sleep 1; done'`, clauses: ', waiting for stdout to contain "ready"' });
    // Its escaped grandchild keeps the output pipes open: letting them go has a time limit.
    const { escaped } = await startEscaper();
    try {
      assert.equal((await web.stop({ graceMs: 2000 })).forced, false);
      assert.equal((await stubborn.stop({ graceMs: 100 })).forced, true);
      await scope.dispose();
    } finally {
      sendSignal(escaped, 'SIGKILL');
    }
  });

  it('gives the daemon its extra variables and the marker, and leaves process.env alone', async () => {
    const before = { ...process.env };
    const env = await startWithClauses(scope,{
      name: 'env',
      command: `sh -c 'echo "$GREETING|$DAEMON_STEPS_RUN|$PWD"; echo done >&2; sleep 30'`,
      clauses: ', with environment {"GREETING": "hi, ${workspace}"}, waiting for stderr to contain "done"',
    });
    assert.deepEqual({ ...process.env }, before);
    const [greeting, marker, cwd] = env.stdout.read().toString().trim().split('|');
    assert.equal(greeting, `hi, ${scope.workspace}`);
    assert.equal(marker, `${scope.marker}/env`);
    assert.equal(cwd, scope.workspace);
  });

  it('takes variables from a table, and a later source wins', async () => {
    await runWithClauses(scope,{
      name: 'env',
      command: `sh -c 'echo "$A $B"'`,
      clauses: ', with environment {"A": "json", "B": "json"}, with environment:',
      environmentTable: [['B', 'table']],
    });
    assert.equal(scope.get('env').stdout.read().toString(), 'json table\n');
  });

  it('gives a daemon a free port as ${NAME.port}, in its command and its environment, and waits for it', async () => {
    const web = await startWithClauses(scope,{
      name: 'web',
      // It serves only if the port in its environment is the one in its arguments.
      command: `sh -c 'test "$PORT" = "$1" && exec python3 -m http.server "$1" --bind 127.0.0.1' sh \${web.port}`,
      clauses: ', on a free port, with environment {"PORT": "${web.port}"}, waiting for HTTP /',
    });
    assert.equal(typeof web.port, 'number');
    assert.equal(await isPortOpen(web.port!), true);
  });

  it('expands ${workspace} and ${NAME.pid} in the command', async () => {
    const sleeper = await startWithClauses(scope,{ name: 'sleeper', command: 'sleep 30' });
    const echo = await runWithClauses(scope,{ name: 'echo', command: 'echo ${workspace} ${sleeper.pid}' });
    assert.equal(echo.stdout.read().toString(), `${scope.workspace} ${sleeper.pid}\n`);
  });

  it('runs a daemon in a directory of the workspace', async () => {
    mkdirSync(path.join(scope.workspace, 'sub'));
    const pwd = await runWithClauses(scope,{ name: 'pwd', command: 'pwd', clauses: ', in directory sub' });
    assert.equal(pwd.stdout.read().toString(), `${path.join(scope.workspace, 'sub')}\n`);
  });

  it('fails after the deadline, saying what it waited for and that the process still runs', async () => {
    const error = await startWithClauses(scope,{ name: 'sleepy', command: 'sleep 30', clauses: ', on a free port, with environment {"PORT": "${sleepy.port}"}, within 0.2 seconds' }).then(
      () => assert.fail('started'),
      (e: Error) => e,
    );
    const sleepy = scope.get('sleepy');
    assert.equal(error.name, 'ReadinessTimeoutError');
    assert.equal(
      relative(error.message),
      `daemon 'sleepy' (sleep 30) was not ready within 0.2 s: waited for port ${sleepy.port} on 127.0.0.1 to accept a connection ` +
        `(last attempt: ConnectionRefusedError: connect ECONNREFUSED 127.0.0.1:${sleepy.port}); the process is still running (pid ${sleepy.pid})\n` +
        'stderr (WS/sleepy.stderr): empty\n' +
        'stdout (WS/sleepy.stdout): empty',
    );
    assert.equal(sleepy.isRunning, true, 'a daemon that did not become ready is left running (Subplot relies on it)');
    assert.equal(sleepy.state, 'STARTING');
  });

  it('fails at once when the daemon exits before it is ready, with its exit and its output', async () => {
    const error = await startWithClauses(scope,
      { name: 'quitter', command: `sh -c 'echo bye; echo "cannot bind" >&2; exit 3'`, clauses: ', waiting for stdout to contain "ready", within 3600 seconds' })
      .then(
        () => assert.fail('started'),
        (e: Error) => e,
      );
    assert.equal(error.name, 'DaemonExitedError');
    assert.match(
      relative(error.message),
      new RegExp(
        String.raw`^daemon 'quitter' \(sh -c 'echo bye; echo "cannot bind" >&2; exit 3'\) exited with code 3 after [\d.]+ s, before it was ready: ` +
          String.raw`it was waiting for stdout to contain "ready"\n` +
          String.raw`last lines of stderr \(WS/quitter.stderr\):\n  \| cannot bind\n` +
          String.raw`last lines of stdout \(WS/quitter.stdout\):\n  \| bye$`,
      ),
    );
    assert.equal(scope.get('quitter').state, 'EXITED');
  });

  it('waits for a file', async () => {
    await startWithClauses(scope,{ name: 'touch', command: `sh -c 'touch ready.flag; sleep 30'`, clauses: ', waiting for file ready.flag' });
    assert.equal(existsSync(path.join(scope.workspace, 'ready.flag')), true);
  });
});

describe('DaemonScope bad input', () => {
  it('rejects a duplicate name before spawning anything', async () => {
    await startWithClauses(scope,{ name: 'web', command: 'sleep 30' });
    await assert.rejects(startWithClauses(scope,{ name: 'web', command: 'sleep 31' }), {
      name: 'DuplicateDaemonError',
      message:
        "a daemon named 'web' already exists in this scope (sleep 30, still running); " +
        'stop or restart it first, or choose another name',
    });
  });

  it('rejects a placeholder naming an unknown daemon, listing the known ones', async () => {
    await startWithClauses(scope,{ name: 'web', command: 'sleep 30' });
    await assert.rejects(startWithClauses(scope,{ name: 'client', command: 'echo ${api.port}' }), {
      name: 'UnknownDaemonError',
      message: "no daemon named 'api' in this scope; started: web",
    });
    await assert.rejects(startWithClauses(scope,{ name: 'client', command: 'echo ${client.pid}' }), {
      message: "${client.pid}: daemon 'client' has no pid yet: it is the one being started",
    });
    assert.deepEqual(scope.registry.names(), ['web']);
  });

  it('rejects a busy fixed port, naming the process that holds it', async () => {
    const server = net.createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as net.AddressInfo;
    try {
      const error = await startWithClauses(scope,{ name: 'second', command: 'sleep 30', clauses: `, on port ${port}` }).catch((e: Error) => e);
      assert.equal(
        (error as Error).message,
        `cannot start daemon 'second' (sleep 30): port ${port} on 127.0.0.1 is already in use by pid ${process.pid} (${readCommandLine(process.pid)}); ` +
          'stop whatever holds it, or let daemon-steps choose one with port: \'free\' and ${NAME.port}',
      );
      assert.deepEqual(scope.registry.names(), []);
    } finally {
      server.close();
    }
  });

  it('explains a script whose interpreter does not exist', async () => {
    writeFileSync(path.join(scope.workspace, 'bad-interpreter.sh'), '#!/nonexistent/python -u\nprint(1)\n', { mode: 0o755 });
    await assert.rejects(startWithClauses(scope,{ name: 'bad', command: './bad-interpreter.sh' }), (error: Error) => {
      assert.equal(error.name, 'ProgramNotFoundError');
      assert.equal(
        relative(error.message),
        "cannot start daemon 'bad' (./bad-interpreter.sh): the interpreter on its #! line, /nonexistent/python, does not exist; " +
          'fix the #! line of WS/bad-interpreter.sh, or install that interpreter',
      );
      return true;
    });
    writeFileSync(path.join(scope.workspace, 'windows.sh'), '#!/bin/sh\r\necho hi\r\n', { mode: 0o755 });
    await assert.rejects(startWithClauses(scope,{ name: 'windows', command: './windows.sh' }), (error: Error) => {
      assert.equal(
        relative(error.message),
        "cannot start daemon 'windows' (./windows.sh): its #! line ends in a carriage return (Windows line endings), so the interpreter " +
          "'/bin/sh\\r' does not exist; convert WS/windows.sh to Unix line endings",
      );
      return true;
    });
  });

  it('rejects waiting for HTTP without a port, before spawning', async () => {
    await assert.rejects(startWithClauses(scope,{ name: 'web', command: 'sleep 30', clauses: ', waiting for HTTP /health' }), {
      name: 'InvalidArgumentError',
      message: `cannot start daemon 'web' (sleep 30): ', waiting for HTTP /health' needs a port; add ", on port P" or ", on a free port"`,
    });
    assert.deepEqual(scope.registry.names(), []);
  });

  it('rejects a directory that does not exist, before spawning', async () => {
    await assert.rejects(startWithClauses(scope,{ name: 'lost', command: 'pwd', clauses: ', in directory nowhere' }), (error: Error) => {
      assert.equal(error.name, 'MissingDirectoryError');
      assert.equal(
        relative(error.message),
        `cannot start daemon 'lost' (pwd): ', in directory nowhere': there is no directory WS/nowhere; create it first, e.g. with "Given a file nowhere/README with:"`,
      );
      return true;
    });
    writeFileSync(path.join(scope.workspace, 'plain'), '');
    await assert.rejects(startWithClauses(scope,{ name: 'lost', command: 'pwd', clauses: ', in directory plain' }), (error: Error) => {
      assert.equal(relative(error.message), "cannot start daemon 'lost' (pwd): ', in directory plain': WS/plain is a file, not a directory");
      return true;
    });
    assert.deepEqual(scope.registry.names(), []);
  });
});

describe('Daemon lifecycle', () => {
  it('runs a command to its end with its stdin closed, whatever its exit code', async () => {
    const cat = await runWithClauses(scope,{ name: 'cat', command: 'cat' });
    assert.deepEqual(cat.exit, { code: 0, signal: null, cause: 'by-itself' });
    assert.equal(cat.state, 'EXITED');
    const failing = await runWithClauses(scope,{ name: 'failing', command: `sh -c 'echo out; exit 4'` });
    assert.deepEqual(failing.requireExit(), { code: 4, signal: null, cause: 'by-itself' });
    assert.equal(failing.stdout.read().toString(), 'out\n');
  });

  it('says how long it waited for an exit that did not come', async () => {
    await assert.rejects(runWithClauses(scope,{ name: 'endless', command: 'sleep 30', clauses: ', within 0.1 seconds' }), (error: Error) => {
      assert.equal(error.name, 'NotExitedError');
      assert.equal(
        relative(error.message),
        `daemon 'endless' (sleep 30) did not exit within 0.1 s; it is still running (pid ${scope.get('endless').pid})\n` +
          'stderr (WS/endless.stderr): empty\nstdout (WS/endless.stdout): empty',
      );
      return true;
    });
  });

  it('writes to stdin and closes it', async () => {
    const cat = await startWithClauses(scope,{ name: 'cat', command: 'cat' });
    await cat.writeStdin(Buffer.from('hello\n'));
    cat.closeStdin();
    await cat.waitForExit({ timeout: 5000 });
    assert.equal(cat.stdout.read().toString(), 'hello\n');
    await assert.rejects(cat.writeStdin(Buffer.from('more\n')), (error: Error) => {
      assert.equal(error.name, 'StdinError');
      assert.equal(relative(error.message).split('\n')[0], "cannot write to the stdin of daemon 'cat' (cat): it exited with code 0");
      return true;
    });
  });

  it('signals the process itself, and refuses once it has exited', async () => {
    const trapper = await startWithClauses(scope,{
      name: 'trapper',
      command: `sh -c 'trap "echo got HUP; exit 0" HUP; echo ready; while :; do sleep 0.1; done'`,
      clauses: ', waiting for stdout to contain "ready"',
    });
    trapper.sendSignal('SIGHUP');
    await trapper.waitForExit({ timeout: 5000 });
    assert.equal(trapper.stdout.read().toString(), 'ready\ngot HUP\n');
    assert.throws(() => trapper.sendSignal('SIGHUP'), (error: Error) => {
      assert.equal(error.message.split('\n')[0], `cannot send SIGHUP to daemon 'trapper' (${trapper.spec.commandLine}): it is not running (it exited with code 0)`);
      return true;
    });
  });

  it('says a running daemon has no exit code yet, and what to do', async () => {
    const sleeper = await startWithClauses(scope,{ name: 'sleeper', command: 'sleep 30' });
    assert.throws(() => sleeper.requireExit(), {
      name: 'NotExitedError',
      message:
        `daemon 'sleeper' (sleep 30) has not exited: it is still running (pid ${sleeper.pid}, state RUNNING); ` +
        'wait for it first (waitForExit)',
    });
  });

  it('restarts with the same command, appending output and watching only new output for readiness', async () => {
    const counter = await startWithClauses(scope,{
      name: 'counter',
      command: `sh -c 'echo start >> runs; wc -l < runs | tr -d " "; echo ready; sleep 30'`,
      clauses: ', waiting for stdout to contain "ready"',
    });
    const firstPid = counter.pid;
    await scope.restart('counter');
    assert.notEqual(counter.pid, firstPid);
    assert.equal(isAlive(firstPid!), false);
    assert.equal(counter.restarts, 1);
    assert.equal(counter.state, 'RUNNING');
    assert.equal(counter.stdout.read().toString(), '1\nready\n2\nready\n');
  });

  it('lets go of the output pipes when stopping, even if an escaped process still holds them', { skip: process.platform !== 'linux' }, async () => {
    // Until the escaped grandchild's pipes are let go, the runner's event loop would never drain.
    // Contained by process group, as without cgroups: a cgroup would end the escaped process too.
    const fallback = new DaemonScope({ label: 'escaper', config: { ...config, containment: 'process-group' } });
    const { escaper, escaped } = await startEscaper(fallback);
    try {
      await escaper.stop({ graceMs: 2000 });
      assert.equal(isAlive(escaped), true, 'the escaped process should have survived the stop');
      assert.equal(escaper.stdout.idle, true, "the daemon's stdout pipe is still open");
      assert.equal(escaper.stderr.idle, true, "the daemon's stderr pipe is still open");
    } finally {
      process.kill(escaped, 'SIGKILL');
      await fallback.dispose();
    }
  });

  it('stops every daemon of the scope in parallel, and removes the workspace', async () => {
    const own = new DaemonScope({ label: 'parallel stop', config: { ...config, stopGraceMs: 200 } });
    for (const name of ['a', 'b', 'c']) {
      await startWithClauses(own,{ name, command: `sh -c 'trap "" TERM; echo deaf; sleep 30 & wait'`, clauses: ', waiting for stdout to contain "deaf"' });
    }
    const pids = own.registry.all().map((d) => d.pid!);
    const outcomes = (await own.stopAll()) as Array<{ forced: boolean }>;
    assert.deepEqual(
      outcomes.map((o) => o.forced),
      [true, true, true],
    );
    for (const pid of pids) assert.equal(isAlive(pid), false);
    await own.dispose();
    assert.equal(existsSync(own.workspace), false);
  });
});

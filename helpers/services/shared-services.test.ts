import { useSharedWithClauses } from '../../support/clause-variants.js';
import { waitFor } from '../readiness/wait-for.js';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, afterEach, describe, it } from 'node:test';
import { resolveConfig } from '../config.js';
import { waitForOutput } from '../output/expect-output.js';
import { thisRun } from '../containment/marker.js';
import { isAlive, processesWithMarker } from '../containment/proc.js';
import { DaemonScope } from '../scope.js';
import { parseServicesFile } from './services-file.js';
import { ServicesRun } from './services-run.js';
import { SharedServices } from './shared-services.js';

const config = resolveConfig({ stopGrace: 0.5, startTimeout: 5, exitTimeout: 5 }, {});
const directory = mkdtempSync(path.join(os.tmpdir(), 'shared-services-test-'));
after(() => {
  rmSync(directory, { recursive: true, force: true });
  assert.deepEqual(
    processesWithMarker((marker) => marker.startsWith(`${thisRun.runId}:`)).map((p) => `${p.pid} ${p.marker}`),
    [],
    'a process outlived the tests',
  );
});

const scopes: DaemonScope[] = [];
function scenario(label: string): DaemonScope {
  const scope = new DaemonScope({ label, config });
  scopes.push(scope);
  return scope;
}
const everyShared: SharedServices[] = [];
function sharedServices(env: NodeJS.ProcessEnv = {}): SharedServices {
  const shared = new SharedServices({ config, env });
  everyShared.push(shared);
  return shared;
}
afterEach(async () => {
  for (const scope of scopes.splice(0)) await scope.dispose();
  for (const shared of everyShared.splice(0)) await shared.dispose();
});

/** Remembers every line it is sent, answering with all of them; RESET forgets them. Prints "counter PID" once it listens. */
const counterScript = path.join(directory, 'counter.mjs');
writeFileSync(
  counterScript,
  `import net from 'node:net';
let seen = [];
net.createServer((c) => c.on('error', () => {}).on('data', (data) => {
  const line = String(data).trim();
  if (line === 'RESET') seen = []; else seen.push(line);
  console.log(line);
  c.end(seen.join(',') + '\\n');
})).listen(Number(process.argv[2]), '127.0.0.1', () => console.log('counter ' + process.pid));
`,
);
const sendScript = path.join(directory, 'send.mjs');
writeFileSync(
  sendScript,
  `import net from 'node:net';
const c = net.connect(Number(process.argv[2]), '127.0.0.1', () => c.write(process.argv[3] + '\\n'));
c.pipe(process.stdout);
`,
);
const COUNTER = `node ${counterScript}`;
const SEND = (text: string) => `node ${sendScript} \${counter.port} ${text}`;

describe('SharedServices', () => {
  it('starts a service on first use, reuses it in later scopes, runs its reset before each, and stops it at the end', async () => {
    const shared = sharedServices();
    const request = { name: 'counter', command: `${COUNTER} \${counter.port}`, clauses: `, on a free port, waiting for stdout to contain "counter", reset with "${SEND('RESET')}"` };

    const first = scenario('first');
    const used = await useSharedWithClauses(shared, first, request, 'first');
    assert.equal(first.get('counter'), used);
    assert.deepEqual(first.registry.names(), ['counter.reset', 'counter']);
    assert.equal(first.get('counter.reset').exit?.code, 0);
    await first.run({ name: 'add', command: SEND('apple') });
    assert.equal(first.get('add').stdout.read().toString(), 'apple\n');
    const pid = used.pid!;
    await first.dispose();
    assert.equal(isAlive(pid), true, 'the end of a scope that used it leaves it running');

    const second = scenario('second');
    const again = await useSharedWithClauses(shared, second, request, 'second');
    assert.equal(again.pid, pid);
    await second.run({ name: 'add', command: SEND('pear') });
    assert.equal(second.get('add').stdout.read().toString(), 'pear\n', 'the reset forgot the apple');
    assert.match(again.stdout.read().toString(), /^counter \d+\nRESET\napple\nRESET\npear\n$/);

    await shared.dispose();
    assert.equal(isAlive(pid), false);
  });

  it('lets a scope read a shared service but not stop, kill, restart or signal it', async () => {
    const shared = sharedServices();
    const scope = scenario('user');
    const service = await shared.use({ name: 'napper', command: 'sleep 30' }, scope);
    const suffix = `other scopes use it too, and it is stopped when the test run ends; `;
    // @ts-expect-error: a shared service's handle has no stop; at run time it refuses, saying why
    await assert.rejects(service.stop({ graceMs: 100 }), {
      name: 'SharedServiceError',
      message: `cannot stop shared service 'napper' here: ${suffix}to stop a daemon, start one of this scope's own`,
    });
    // @ts-expect-error: a shared service's handle has no kill; at run time it refuses, saying why
    await assert.rejects(service.kill(), { message: `cannot kill shared service 'napper' here: ${suffix}to kill a daemon, start one of this scope's own` });
    await assert.rejects(scope.restart('napper'), { message: `cannot restart shared service 'napper' here: ${suffix}to restart a daemon, start one of this scope's own` });
    // @ts-expect-error: a shared service's handle has no sendSignal; at run time it refuses, saying why
    assert.throws(() => service.sendSignal('SIGTERM'), { message: `cannot signal shared service 'napper' here: ${suffix}to signal a daemon, start one of this scope's own` });
    await scope.dispose();
    assert.equal(service.isRunning, true);
    await shared.dispose();
    assert.equal(service.isRunning, false);
  });

  it('fails every later use of a service that has died, with its exit and its output, and does not start it again', async () => {
    const shared = sharedServices();
    const request = { name: 'mortal', command: `sh -c 'echo alive; read line; echo dying >&2; exit 5'`, clauses: ', waiting for stdout to contain "alive"' };
    const service = await useSharedWithClauses(shared, scenario('first'), request, 'first scenario');
    const inside = shared as unknown as { scope: DaemonScope };
    await inside.scope.get('mortal').writeStdin(Buffer.from('go\n'));
    await service.waitForState('EXITED', { timeout: 5000 });
    for (const usedBy of ['second', 'third']) {
      await assert.rejects(useSharedWithClauses(shared, scenario(usedBy), request, usedBy), {
        name: 'SharedServiceError',
        message:
          `shared service 'mortal' (sh -c 'echo alive; read line; echo dying >&2; exit 5') is not running any more: it exited with code 5. ` +
          'It was started for "first scenario" and must keep running for the whole test run: a shared service that ends points at a bug in it\n' +
          `last lines of stderr (${service.stderr.path}):\n  | dying\nlast lines of stdout (${service.stdout.path}):\n  | alive`,
      });
    }
    await shared.dispose();
  });

  it('refuses another definition under the same name, a reset that fails, and restarting on exit', async () => {
    const shared = sharedServices();
    await shared.use({ name: 'napper', command: 'sleep 30' }, scenario('first'), { usedBy: 'first' });
    await assert.rejects(shared.use({ name: 'napper', command: 'sleep 31' }, scenario('second')), {
      message: `shared service 'napper' is already running as daemon 'napper' (sleep 30), started for "first" with other options or another command than "sleep 31" here; a shared service has one definition: give this one another name`,
    });
    const failing = scenario('third');
    await assert.rejects(shared.use({ name: 'napper', command: 'sleep 30' }, failing, { reset: "sh -c 'echo no such table >&2; exit 2'" }), {
      name: 'SharedServiceError',
      message:
        `the reset of shared service 'napper' failed: daemon 'napper.reset' (sh -c 'echo no such table >&2; exit 2') exited with code 2\n` +
        `last lines of stderr (${failing.workspace}/napper.reset.stderr):\n  | no such table\nstdout (${failing.workspace}/napper.reset.stdout): empty`,
    });
    await assert.rejects(shared.use({ name: 'phoenix', command: 'sleep 30', restart: true }, scenario('fourth')), {
      message: "shared service 'phoenix': restarting is not for shared services — one that dies is an error, so that the bug shows",
    });
    await shared.dispose();
  });

  it('brings a program given as a relative path along from the workspace that first uses it', async () => {
    const shared = sharedServices();
    const first = scenario('first');
    writeFileSync(path.join(first.workspace, 'hello.sh'), '#!/bin/sh\necho hello from $(pwd)\nexec sleep 30\n', { mode: 0o755 });
    const service = await shared.use({ name: 'hello', command: './hello.sh', ready: [waitFor.output('hello', 'stdout')] }, first);
    await first.dispose();
    assert.match(service.stdout.read().toString(), /^hello from .*-shared-services\n$/);
    await shared.dispose();
  });
});

describe('SharedServices with a running instance named by the environment', () => {
  async function startRun() {
    const file = parseServicesFile(
      JSON.stringify({ services: { counter: { command: `${COUNTER} \${counter.port}`, port: 'free', ready: 'waiting for stdout to contain "counter"' } } }),
      'services.json',
      path.join(directory, 'services.json'),
    );
    // Killed behind its back, a service's directory would be kept: not here.
    const run = await ServicesRun.start(file, { config: { ...config, keepWorkspace: 'never' } });
    return { run, env: Object.fromEntries(run.variables()) };
  }

  it('uses that instance instead of starting one — its port, pid and output — runs the reset, and never stops it', async () => {
    const { run, env } = await startRun();
    const shared = sharedServices(env);
    const scope = scenario('user');
    // Another command under its name would test something else: refused, naming both.
    await assert.rejects(shared.use({ name: 'counter', command: './something-else.py', port: 'free' }, scope), {
      name: 'SharedServiceError',
      message: new RegExp(`^shared service 'counter' is asked for here as "\\./something-else\\.py", port: 'free', but the instance that daemon-steps run started from .*services\\.json \\(pid ${env.DAEMON_STEPS_COUNTER_PID}\\) is "node .*counter\\.mjs \\$\\{counter\\.port\\}", port: 'free': the command differs\\.`),
    });
    const service = await shared.use({ name: 'counter', command: `${COUNTER} \${counter.port}`, port: 'free' }, scope, { reset: SEND('RESET') });
    assert.equal(String(service.pid), env.DAEMON_STEPS_COUNTER_PID);
    assert.equal(String(service.port), env.DAEMON_STEPS_COUNTER_PORT);
    assert.equal(service.state, 'RUNNING');
    const seen = waitForOutput(service, 'stdout', Buffer.from('banana'), { timeout: 5000 });
    await scope.run({ name: 'add', command: SEND('banana') });
    await seen;
    assert.match(service.stdout.read().toString(), /^counter \d+\nRESET\nbanana\n$/);
    // @ts-expect-error: a shared service's handle has no stop; at run time it refuses, saying why
    await assert.rejects(service.stop({ graceMs: 100 }), {
      message:
        `cannot stop shared service 'counter' here: it is the instance that daemon-steps run started (control pid ${process.pid}), which alone stops it: ` +
        `eval "$(daemon-steps stop)"; to stop a daemon, start one of this scope's own`,
    });
    await scope.dispose();
    await shared.dispose();
    assert.equal(run.get('counter').isRunning, true, 'an instance it did not start is never stopped');
    await run.stop();
  });

  it('fails loudly when that instance has died: what was expected, and how to start it again', async () => {
    const { run, env } = await startRun();
    const counter = run.get('counter');
    await counter.kill();
    const shared = sharedServices(env);
    await assert.rejects(shared.use({ name: 'counter', command: 'unused' }, scenario('user')), {
      name: 'SharedServiceError',
      message:
        `shared service 'counter' is not running: DAEMON_STEPS_COUNTER_PID=${counter.pid} names the instance that daemon-steps run started from ` +
        `${path.join(directory, 'services.json')} (${counter.spec.argv.join(' ')}, port ${counter.port}), but that process has ended; ` +
        `its control process (pid ${process.pid}) is still running. Its output is in ${counter.stdout.path} and ${counter.stderr.path}. ` +
        `Start the services again: eval "$(daemon-steps stop)"; eval "$(daemon-steps run ${path.join(directory, 'services.json')} --daemonize)"`,
    });
    await run.stop();
    await assert.rejects(sharedServices(env).use({ name: 'counter', command: 'unused' }, scenario('later')), {
      message:
        `shared service 'counter': DAEMON_STEPS_COUNTER_PID=${counter.pid} names an instance that is not running any more — ` +
        `DAEMON_STEPS_SETTINGS=${env.DAEMON_STEPS_SETTINGS} names a settings file that does not exist: the services that daemon-steps run started there have stopped. ` +
        `start the services again: eval "$(daemon-steps stop)"; eval "$(daemon-steps run FILE --daemonize)"; or unset DAEMON_STEPS_COUNTER_PID to let the tests start their own 'counter'`,
    });
  });

  it('says when the variables do not fit together', async () => {
    const use = (env: NodeJS.ProcessEnv) => sharedServices(env).use({ name: 'db', command: 'unused' }, scenario('user'));
    await assert.rejects(use({ DAEMON_STEPS_DB_PID: 'abc' }), { message: "DAEMON_STEPS_DB_PID=abc is not a process id; or unset DAEMON_STEPS_DB_PID to let the tests start their own 'db'" });
    await assert.rejects(use({ DAEMON_STEPS_DB_PID: '123' }), {
      message:
        "DAEMON_STEPS_DB_PID=123 names a running 'db', but DAEMON_STEPS_SETTINGS is not set, so its port and output cannot be known: " +
        `set both, as eval "$(daemon-steps run FILE --daemonize)" does, or unset DAEMON_STEPS_DB_PID to let the tests start their own 'db'`,
    });
    const { run, env } = await startRun();
    await assert.rejects(use({ ...env, DAEMON_STEPS_DB_PID: '123' }), {
      message:
        `DAEMON_STEPS_DB_PID=123 names a running 'db', but the settings file ${run.settingsFile} has no service 'db' (it has: counter); ` +
        `the variables come from another daemon-steps run: start the services again: eval "$(daemon-steps stop)"; eval "$(daemon-steps run ${path.join(directory, 'services.json')} --daemonize)"`,
    });
    await assert.rejects(sharedServices({ ...env, DAEMON_STEPS_COUNTER_PID: '123' }).use({ name: 'counter', command: 'unused' }, scenario('user')), {
      message: new RegExp(`^DAEMON_STEPS_COUNTER_PID=123, but the settings file .* says 'counter' is pid ${run.get('counter').pid}: the variables come from another daemon-steps run; `),
    });
    await run.stop();
  });
});

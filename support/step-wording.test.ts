import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { describe, it } from 'node:test';
import { DuplicateDaemonError, PortBusyError, ProgramNotExecutableError, UnknownDaemonError } from '../helpers/errors.js';
import { ENGINE_WORDING, sayRemedy } from '../helpers/remedies.js';
import { DaemonScope } from '../helpers/scope.js';
import { describeDefinition } from '../helpers/services/run-definition.js';
import { STEP_WORDING, inStepWording } from './step-wording.js';
// The registration functions the steps use: loading them installs nothing process-wide.
import './define.js';

describe('the engine’s messages, in the words of the steps', () => {
  it('say the engine’s words to an engine call outside the steps, though the steps’ wording is loaded', () => {
    assert.equal(sayRemedy({ kind: 'wait-for-exit', name: 'web' }), 'wait for it first (waitForExit)');
    assert.equal(
      new DuplicateDaemonError('web', 'sleep 30', true).message,
      `a daemon named 'web' already exists in this scope (sleep 30, still running); stop or restart it first, or choose another name`,
    );
    assert.equal(new UnknownDaemonError('api', ['web']).message, "no daemon named 'api' in this scope; started: web");
  });

  it('say the steps’ words to an engine call made by a step, and to what it awaits', async () => {
    await inStepWording(async () => {
      assert.equal(sayRemedy({ kind: 'wait-for-exit', name: 'web' }), 'wait for it first ("When I wait for background process web to exit")');
      await nextTurn();
      assert.equal(
        new DuplicateDaemonError('web', 'sleep 30', true).message,
        `a daemon named 'web' already exists in this scenario (sleep 30, still running); ` +
          `stop it first ("When I stop background process web"), restart it ("When I restart background process web"), or choose another name`,
      );
      assert.equal(
        new ProgramNotExecutableError('./plain.sh', '/w/plain.sh', { name: 'web', command: './plain.sh' }).message,
        `cannot start daemon 'web' (./plain.sh): ./plain.sh is not executable (/w/plain.sh); ` +
          `make it executable (chmod +x, or create it with "Given a daemon helper shell script plain.sh"), or run it through its interpreter, e.g. "sh ./plain.sh"`,
      );
      assert.match(new PortBusyError(8080, '127.0.0.1', undefined).message, /let daemon-steps choose one with ", on a free port" and \$\{NAME\.port\}$/);
    });
  });

  it('write a start’s settings as options of the API, or as the clauses of a step', () => {
    const definition = { command: './kv-server.py ${kv.port}', port: 'free' as const, environment: { MODE: 'test' } };
    assert.equal(describeDefinition(definition), `"./kv-server.py \${kv.port}", port: 'free', env: {"MODE":"test"}`);
    assert.equal(inStepWording(() => describeDefinition(definition)), `"./kv-server.py \${kv.port}", on a free port, with environment {"MODE":"test"}`);
    assert.equal(inStepWording(() => describeDefinition({ ...definition, port: 8080 })), `"./kv-server.py \${kv.port}", on port 8080, with environment {"MODE":"test"}`);
  });

  it('keep a step’s words to the step: an engine call running beside it says the engine’s', async () => {
    const scope = new DaemonScope({ label: 'beside a step' });
    try {
      let stepDone!: () => void;
      const step = inStepWording(async () => {
        await new Promise<void>((resolve) => (stepDone = resolve));
        return Promise.resolve().then(() => scope.get('api')).catch((error: Error) => error.message);
      });
      assert.throws(() => scope.get('api'), { message: "no daemon named 'api' in this scope; none has been started yet" });
      stepDone();
      assert.equal(await step, "no daemon named 'api' in this scenario; none has been started yet");
    } finally {
      await scope.dispose(false);
    }
  });

  it('reach every step and hook: each registers through support/define, none through cucumber itself', () => {
    const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
    const sources = ['steps', 'support']
      .flatMap((folder) => readdirSync(path.join(root, folder), { recursive: true, encoding: 'utf8' }).map((file) => path.join(folder, file)))
      .filter((file) => file.endsWith('.ts') && !file.endsWith('.test.ts') && file !== path.join('support', 'define.ts'));
    const registering = /import\s*\{[^}]*\b(Given|When|Then|Before|After|BeforeAll|AfterAll|BeforeStep|AfterStep|defineStep)\b[^}]*\}\s*from\s*'@cucumber\/cucumber'/;
    assert.ok(sources.length > 10, `found only ${sources.join(', ')}`);
    assert.deepEqual(sources.filter((file) => registering.test(readFileSync(path.join(root, file), 'utf8'))), []);
  });

  it('word everything the engine words', () => {
    assert.deepEqual(Object.keys(STEP_WORDING).sort(), Object.keys(ENGINE_WORDING).sort());
    assert.deepEqual(Object.keys(STEP_WORDING.remedies).sort(), Object.keys(ENGINE_WORDING.remedies).sort());
  });
});

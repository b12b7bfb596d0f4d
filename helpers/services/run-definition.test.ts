import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseClauses, parseEnvironmentTable } from './clause-grammar.js';
import { assertSameDefinition, type RunDefinition } from './run-definition.js';

const started: RunDefinition = { command: './kv-server.py ${kv.port}', port: 'free', environment: { MODE: 'test' } };
const running = { definition: started, file: '/project/services.json', pid: 4242 };

/** What a step with these clauses asks the engine for: the comparison sees only the typed options. */
function ask(command: string, clauses: string, environmentTable?: string[][]): void {
  const parsed = parseClauses(clauses);
  const env: Record<string, string> = {};
  for (const source of [...parsed.environment, ...(environmentTable ? [parseEnvironmentTable(environmentTable)] : [])]) Object.assign(env, source);
  const port = parsed.port === undefined ? undefined : parsed.port.kind === 'free' ? ('free' as const) : Number(parsed.port.port);
  assertSameDefinition({ name: 'kv', command, port, env }, running);
}

describe('a shared service asked for while daemon-steps run has started it', () => {
  it('is the same when the command, the port and the environment are, whatever it waits for', () => {
    ask('./kv-server.py ${kv.port}', ', on a free port, with environment {"MODE": "test"}, waiting for stdout to contain "listening", within 9 seconds');
    ask('./kv-server.py ${kv.port}', ', on a free port, with environment:', [['MODE', 'test']]);
  });

  it('with another command is an error naming both, and the file it was started from', () => {
    assert.throws(() => ask('./other-server.py ${kv.port}', ', on a free port, with environment {"MODE": "test"}'), {
      name: 'SharedServiceError',
      message:
        `shared service 'kv' is asked for here as "./other-server.py \${kv.port}", port: 'free', env: {"MODE":"test"}, ` +
        `but the instance that daemon-steps run started from /project/services.json (pid 4242) is "./kv-server.py \${kv.port}", port: 'free', env: {"MODE":"test"}: ` +
        'the command differs. A shared service has one definition: make this use and the services file say the same, or give this one another name',
    });
  });

  it('with another port and environment says which differ', () => {
    assert.throws(() => ask('./kv-server.py ${kv.port}', ', on port 8080'), {
      message:
        `shared service 'kv' is asked for here as "./kv-server.py \${kv.port}", port: 8080, ` +
        `but the instance that daemon-steps run started from /project/services.json (pid 4242) is "./kv-server.py \${kv.port}", port: 'free', env: {"MODE":"test"}: ` +
        'the port and the environment differ. A shared service has one definition: make this use and the services file say the same, or give this one another name',
    });
  });

  it('is not compared with a settings file that has no definition (an earlier version wrote it)', () => {
    assertSameDefinition({ name: 'kv', command: './anything' }, { file: '/f', pid: 1 });
  });
});

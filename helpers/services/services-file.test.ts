import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { loadServicesFile, parseServicesFile } from './services-file.js';

const directory = mkdtempSync(path.join(os.tmpdir(), 'services-file-test-'));
mkdirSync(path.join(directory, 'web'));
after(() => rmSync(directory, { recursive: true, force: true }));

const file = path.join(directory, 'services.json');

function parse(services: unknown): ReturnType<typeof parseServicesFile> {
  return parseServicesFile(JSON.stringify(services), 'services.json', file);
}

/** The message a services file gets, without the file name that starts every one. */
function problem(text: unknown): string {
  try {
    parseServicesFile(typeof text === 'string' ? text : JSON.stringify(text), 'services.json', file);
  } catch (error) {
    assert.equal((error as Error).name, 'ServicesFileError');
    const message = (error as Error).message;
    assert.ok(message.startsWith('services.json: '), message);
    return message.slice('services.json: '.length);
  }
  throw new Error('the file was accepted');
}

describe('parseServicesFile', () => {
  it('reads every field, and orders the services so that dependencies start first', () => {
    const parsed = parse({
      services: {
        web: {
          command: './web.py ${web.port} ${db.port}',
          port: 8080,
          environment: { DB_PORT: '${db.port}', DEBUG: true, WORKERS: 2 },
          ready: 'waiting for HTTP /health, within 10 seconds',
          directory: 'web',
          dependencies: ['db'],
        },
        db: { command: './db.py ${db.port}', port: 'free', ready: ['waiting for stdout to contain "ready, set"', 'waiting for file db.pid'] },
        cache: { command: 'sleep 100' },
      },
    });
    assert.deepEqual(
      parsed.services.map((s) => s.name),
      ['db', 'web', 'cache'],
    );
    const [db, web, cache] = parsed.services;
    assert.deepEqual(web!.environment, { DB_PORT: '${db.port}', DEBUG: 'true', WORKERS: '2' });
    assert.equal(web!.directory, path.join(directory, 'web'));
    assert.deepEqual(web!.clauses.port, { kind: 'fixed', port: '8080' });
    assert.deepEqual(web!.clauses.waits, [{ kind: 'http', path: '/health' }]);
    assert.equal(web!.clauses.withinSeconds, 10);
    assert.deepEqual(db!.clauses.port, { kind: 'free' });
    assert.deepEqual(db!.ready, ['waiting for stdout to contain "ready, set"', 'waiting for file db.pid']);
    // A relative file is where the service runs: the services file's directory, unless "directory" says.
    assert.deepEqual(db!.clauses.waits, [
      { kind: 'output', stream: 'stdout', text: 'ready, set' },
      { kind: 'file', path: path.join(directory, 'db.pid') },
    ]);
    assert.equal(cache!.directory, directory);
    assert.equal(cache!.port, undefined);
    assert.deepEqual(cache!.clauses.waits, []);
  });

  it('reads the file from disk, relative to a directory, and says when there is none', () => {
    writeFileSync(file, JSON.stringify({ services: { cache: { command: 'sleep 100' } } }));
    assert.equal(loadServicesFile('services.json', directory).services[0]!.name, 'cache');
    assert.throws(() => loadServicesFile('nope.json', directory), {
      name: 'ServicesFileError',
      message: `nope.json: cannot read the services file: there is no such file (looked for ${path.join(directory, 'nope.json')})`,
    });
    assert.throws(() => loadServicesFile('web', directory), {
      message: `web: cannot read the services file: ${path.join(directory, 'web')} is a directory`,
    });
  });

  it('says where the JSON breaks, by line and column', () => {
    assert.equal(problem('{\n  "services": {\n    "web": {"command": "x",}\n  }\n}'), 'not valid JSON: a comma before } is not allowed (trailing comma) at line 3, column 27');
  });

  it('wants an object with "services" and nothing else at the top', () => {
    const example = '{"services": {"web": {"command": "./server.py ${web.port}", "port": "free", "ready": "waiting for HTTP /health"}}}';
    assert.equal(problem([]), `the file must hold a JSON object, like ${example}`);
    assert.equal(problem({}), `"services" is missing: name each service in it, like ${example}`);
    assert.equal(problem({ services: ['web'] }), `"services" must be an object naming each service, like ${example}; got a list (["web"])`);
    assert.equal(problem({ services: {} }), '"services" is empty: name at least one service');
    assert.equal(problem({ servces: {} }), 'unknown field "servces" at the top level; did you mean "services"? The top level has: services');
  });

  it('names the service and the field that is wrong', () => {
    assert.equal(problem({ services: { web: 'sleep 1' } }), 'services.web must be an object with at least a "command", like {"command": "./server.py"}; got "sleep 1"');
    assert.equal(
      problem({ services: { web: { comand: 'sleep 1' } } }),
      'unknown field "comand" in services.web; did you mean "command"? A service has: command, port, environment, ready, directory, dependencies',
    );
    assert.equal(problem({ services: { web: {} } }), 'services.web.command is missing: the command that starts the service, e.g. "./server.py ${web.port}"');
    assert.equal(problem({ services: { web: { command: ['sleep', '1'] } } }), 'services.web.command must be a string, got a list (["sleep","1"])');
    assert.equal(
      problem({ services: { web: { command: "sh -c 'oops" } } }),
      `services.web.command: command "sh -c 'oops" has an unterminated single quote; close it or escape it with a backslash`,
    );
    assert.equal(problem({ services: { web: { command: 'x', port: '8080' } } }), 'services.web.port must be a port number (1 to 65535) or "free", got "8080"');
    assert.equal(problem({ services: { web: { command: 'x', port: 70000 } } }), 'services.web.port must be a port number (1 to 65535) or "free", got 70000');
    assert.equal(
      problem({ services: { web: { command: 'x', environment: ['A=1'] } } }),
      'services.web.environment must be an object of variables, like {"LOG_LEVEL": "debug"}; got a list (["A=1"])',
    );
    assert.equal(problem({ services: { web: { command: 'x', environment: { A: null } } } }), 'services.web.environment.A must be a string, a number or a boolean, got null');
    assert.equal(
      problem({ services: { web: { command: 'x', directory: 'nowhere' } } }),
      `services.web.directory: there is no directory ${path.join(directory, 'nowhere')} (a relative path starts from the services file's directory)`,
    );
    assert.equal(
      problem({ services: { web: { command: 'x', ready: 5 } } }),
      'services.web.ready must be a string of clauses or a list of them, like "waiting for HTTP /health, within 10 seconds"; got 5',
    );
  });

  it('takes only readiness clauses in "ready", and says where the others go', () => {
    const clauses = (ready: string, port?: string) => problem({ services: { web: { command: 'x', ready, ...(port ? { port } : {}) } } });
    assert.equal(
      clauses('waiting for stdot to contain "x"'),
      'services.web.ready: unknown clause "waiting for stdot to contain "x""; a service is ready when all of its clauses hold: ' +
        'waiting for stdout to contain "TEXT" (or stderr, output), waiting for HTTP /PATH, waiting for file PATH; and within N seconds sets how long that may take',
    );
    assert.equal(clauses('on a free port'), 'services.web.ready: "on a free port" is not a readiness clause: set "port" instead (a number, or "free")');
    assert.equal(clauses('with environment {"A": "1"}'), 'services.web.ready: "with environment {"A": "1"}" is not a readiness clause: set "environment" instead');
    assert.equal(clauses('in directory web'), 'services.web.ready: "in directory web" is not a readiness clause: set "directory" instead');
    assert.equal(clauses('restarting on exit'), 'services.web.ready: "restarting on exit" is not a readiness clause: daemon-steps run does not restart services that exit');
    assert.equal(
      clauses('reset with "./reset"'),
      'services.web.ready: "reset with "./reset"" is not a readiness clause: a reset belongs to each use of the service (the reset option of SharedServices.use)',
    );
    assert.equal(clauses('waiting for HTTP /health'), 'services.web.ready: "waiting for HTTP /health" needs a port: set "port" (a number, or "free")');
    assert.equal(clauses('within 2 seconds, within 3 seconds'), 'services.web.ready: two clauses set the readiness deadline ("within …"); keep one');
    assert.equal(clauses('within soon seconds'), "services.web.ready: within: 'soon' is not a number: write a number more than 0 and at most 86400 seconds, e.g. 5 or 0.5");
  });

  it('checks dependencies: known services, no service depending on itself, no circle', () => {
    assert.equal(
      problem({ services: { db: { command: 'x' }, web: { command: 'x', dependencies: ['dbb'] } } }),
      'services.web.dependencies: "dbb" is not a service of this file (did you mean "db"?); its services: db, web',
    );
    assert.equal(problem({ services: { web: { command: 'x', dependencies: ['web'] } } }), 'services.web.dependencies: a service cannot depend on itself');
    assert.equal(problem({ services: { web: { command: 'x', dependencies: 'db' } } }), 'services.web.dependencies must be a list of service names, like ["db"]; got "db"');
    assert.equal(
      problem({ services: { a: { command: 'x', dependencies: ['b'] }, b: { command: 'x', dependencies: ['c'] }, c: { command: 'x', dependencies: ['a'] }, d: { command: 'x' } } }),
      'the dependencies go round in a circle: a → b → c → a; one of these services must be able to start first',
    );
  });

  it('lets ${NAME.port} and ${NAME.pid} name only the service itself or one it depends on', () => {
    assert.equal(
      problem({ services: { db: { command: 'x', port: 'free' }, web: { command: './web ${db.port}' } } }),
      `services.web.command: \${db.port} refers to service 'db', which web does not depend on: add "dependencies": ["db"] so that it starts first`,
    );
    assert.equal(
      problem({ services: { db: { command: 'x' }, web: { command: 'x', environment: { DB: '${dbb.port}' } } } }),
      'services.web.environment.DB: ${dbb.port} names no service of this file (did you mean db?); its services: db, web',
    );
    assert.equal(
      problem({ services: { db: { command: 'x' }, web: { command: './web ${db.port}', dependencies: ['db'] } } }),
      `services.web.command: \${db.port}: service 'db' has no "port"; give it one (a number, or "free")`,
    );
    assert.equal(problem({ services: { web: { command: './web ${web.pid}' } } }), "services.web.command: ${web.pid}: a service's own pid is not known before it starts");
    assert.equal(problem({ services: { web: { command: './web ${web.host}' } } }), 'services.web.command: unknown placeholder ${web.host}; use ${NAME.port}, ${NAME.pid} or ${workspace}');
    // Through a dependency's dependency is fine, and so are ${workspace} and shell parameters.
    const parsed = parse({
      services: {
        db: { command: 'x', port: 'free' },
        api: { command: 'x', dependencies: ['db'] },
        web: { command: "sh -c 'echo ${HOME} ${db.pid} ${db.port} ${workspace}'", dependencies: ['api'] },
      },
    });
    assert.equal(parsed.services.length, 3);
  });

  it('refuses names that are not names, or whose variables would clash', () => {
    assert.equal(problem({ services: { 'my web': { command: 'x' } } }), `services."my web": a service's name may only have letters, digits, '_', '.' and '-'`);
    assert.equal(
      problem({ services: { 'kv-store': { command: 'x' }, 'kv.store': { command: 'x' } } }),
      'services.kv-store and services.kv.store would both be DAEMON_STEPS_KV_STORE_PORT and _PID in the environment; rename one of them',
    );
    assert.equal(
      problem({ services: { control: { command: 'x' } } }),
      "services.control: the name 'control' would make its pid DAEMON_STEPS_CONTROL_PID, which is the control process's variable; choose another name",
    );
  });
});

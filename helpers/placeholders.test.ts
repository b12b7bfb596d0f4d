import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { expandPlaceholders, placeholdersIn, replacePlaceholders, type PlaceholderValues } from './placeholders.js';

const values: PlaceholderValues = {
  workspace: '/tmp/ws',
  names: () => ['web', 'db.main', 'worker'],
  port: (name) => ({ web: 8080, 'db.main': 5432 })[name],
  pid: (name) => ({ web: 101, 'db.main': 102 })[name],
};

describe('expandPlaceholders', () => {
  it('expands ${workspace}, ${NAME.port} and ${NAME.pid}, as often as they occur', () => {
    assert.equal(
      expandPlaceholders('curl http://127.0.0.1:${web.port}/ -o ${workspace}/out; kill ${web.pid} ${db.main.pid} ${db.main.port}', values),
      'curl http://127.0.0.1:8080/ -o /tmp/ws/out; kill 101 102 5432',
    );
  });

  it('expands ${project} to the directory the tests run from, or the one given', () => {
    assert.equal(expandPlaceholders('node ${project}/dist/server.js', values), `node ${process.cwd()}/dist/server.js`);
    assert.equal(expandPlaceholders('${project}/bin/app', { ...values, project: '/src/app' }), '/src/app/bin/app');
  });

  it('leaves $ alone when no { follows, and an unclosed ${', () => {
    assert.equal(expandPlaceholders('echo $HOME $$ ${web', values), 'echo $HOME $$ ${web');
  });

  it('leaves shell parameters alone: only names with a dot, and ${workspace}, are placeholders', () => {
    assert.equal(
      expandPlaceholders(`sh -c 'echo \${HOME} \${1:-none} \${#PATH} \${PORT_\${web.port}}' \${}`, values),
      `sh -c 'echo \${HOME} \${1:-none} \${#PATH} \${PORT_8080}' \${}`,
    );
  });

  it('rejects an unknown daemon name, listing the known ones', () => {
    assert.throws(() => expandPlaceholders('${api.port}', values), {
      name: 'UnknownDaemonError',
      message: "no daemon named 'api' in this scope; started: web, db.main, worker",
    });
    assert.throws(() => expandPlaceholders('${api.port}', { ...values, names: () => [] }), {
      message: "no daemon named 'api' in this scope; none has been started yet",
    });
  });

  it('rejects a placeholder it does not know, saying which ones exist', () => {
    assert.throws(() => expandPlaceholders('${web.host}', values), {
      name: 'InvalidArgumentError',
      message: 'unknown placeholder ${web.host}; use ${NAME.port}, ${NAME.pid}, ${workspace} or ${project}',
    });
  });

  it("knows the daemon being started, though it is not listed among those started", () => {
    const starting: PlaceholderValues = { ...values, names: () => ['web'], self: 'client', port: (name) => (name === 'client' ? 9000 : 8080) };
    assert.equal(expandPlaceholders('${client.port}', starting), '9000');
    assert.throws(() => expandPlaceholders('${api.port}', starting), { message: "no daemon named 'api' in this scope; started: web" });
    assert.throws(() => expandPlaceholders('${clinet.port}', starting), { message: "no daemon named 'clinet' in this scope; started: web; did you mean 'client'?" });
    assert.throws(() => expandPlaceholders('${client.pid}', starting), {
      message: "${client.pid}: daemon 'client' has no pid yet: it is the one being started",
    });
  });

  it('says how to give a daemon a port, and when one has no pid', () => {
    assert.throws(() => expandPlaceholders('${worker.port}', values), {
      message: `\${worker.port}: daemon 'worker' has no port; start it with a port (port: 'free' or a number)`,
    });
    assert.throws(() => expandPlaceholders('${worker.pid}', values), {
      message: "${worker.pid}: daemon 'worker' has no pid (it was never spawned)",
    });
  });
});

describe('placeholdersIn', () => {
  it('reads each placeholder once, in order, and leaves shell parameters out', () => {
    assert.deepEqual(placeholdersIn(`sh -c 'echo \${HOME} \${web.port}' \${workspace}/\${db.main.pid} \${project} \${web.host}`), [
      { whole: '${web.port}', kind: 'daemon', name: 'web', field: 'port' },
      { whole: '${workspace}', kind: 'workspace' },
      { whole: '${db.main.pid}', kind: 'daemon', name: 'db.main', field: 'pid' },
      { whole: '${project}', kind: 'project' },
      { whole: '${web.host}', kind: 'daemon', name: 'web', field: 'host' },
    ]);
  });
});

describe('replacePlaceholders', () => {
  it('replaces only what the callback changes', () => {
    const portOf = (text: string) => replacePlaceholders(text, (p) => (p.kind === 'daemon' && p.name === 'web' && p.field === 'port' ? '8080' : p.whole));
    assert.equal(portOf('./server ${web.port} ${web.pid} ${db.port} ${HOME} ${PORT_${web.port}}'), './server 8080 ${web.pid} ${db.port} ${HOME} ${PORT_8080}');
  });
});

import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { resolveConfig } from '../config.js';
import { DaemonScope } from '../scope.js';

const scope = new DaemonScope({ label: 'scope request test', config: resolveConfig({ stopGrace: 0.5 }, {}) });
after(() => scope.dispose());

const server = `node -e 'require("http").createServer((q, r) => r.end(q.method + " " + q.url)).listen(Number(process.argv[1]), "127.0.0.1")' \${web.port}`;

describe('DaemonScope.request', () => {
  it('sends a request to a daemon of the scope by name, on its port', async () => {
    const web = await scope.start({ name: 'web', command: server, port: 'free' });
    const response = await scope.request('web', { method: 'DELETE', path: '/items/1' });
    assert.equal(response.url, `http://127.0.0.1:${web.port}/items/1`);
    assert.equal(response.text, 'DELETE /items/1');
  });

  it('names a daemon it does not know', async () => {
    await assert.rejects(scope.request('nobody'), { name: 'UnknownDaemonError' });
  });
});

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { describe, it } from 'node:test';
import { exportLine, isServicesVariable, serviceVariable, shellQuote, unsetLine } from './service-variables.js';

describe('service variables', () => {
  it('name a service by its name in upper case, anything else an underscore', () => {
    assert.equal(serviceVariable('db', 'PORT'), 'DAEMON_STEPS_DB_PORT');
    assert.equal(serviceVariable('kv-store.v2', 'PID'), 'DAEMON_STEPS_KV_STORE_V2_PID');
  });

  it('recognise every variable daemon-steps run sets, and nothing else', () => {
    for (const name of ['DAEMON_STEPS_CONTROL_PID', 'DAEMON_STEPS_SETTINGS', 'DAEMON_STEPS_DB_PORT', 'DAEMON_STEPS_KV_STORE_PID']) {
      assert.equal(isServicesVariable(name), true, name);
    }
    for (const name of ['DAEMON_STEPS_RUN', 'DAEMON_STEPS_START_TIMEOUT', 'DAEMON_STEPS_HOST', 'MY_PORT']) assert.equal(isServicesVariable(name), false, name);
  });

  it('are written so that a shell reads back exactly the value', () => {
    const values = ['8080', '/tmp/daemon-steps-1.2.ab/001-services/settings.json', "it's $HOME `x` \"q\" \\ ;|&", ''];
    const script = values.map((value, index) => `${exportLine(`V${index}`, value)}\nprintf '%s\\0' "$V${index}"\n`).join('') + unsetLine('V0') + '\necho "[${V0-unset}]"\n';
    const output = execFileSync('sh', ['-c', script], { encoding: 'utf8' });
    assert.equal(output, `${values.join('\0')}\0[unset]\n`);
    assert.equal(shellQuote('8080'), '8080');
    assert.equal(shellQuote('a b'), "'a b'");
  });
});

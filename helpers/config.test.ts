import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DEFAULTS as ENGINE_DEFAULTS, resolveConfig } from './config.js';
import { Supervisor, type ProcessLauncher } from './supervision/supervisor.js';

const DEFAULTS = {
  startTimeoutMs: 5000,
  stopGraceMs: 3000,
  outputTimeoutMs: 5000,
  exitTimeoutMs: 15000,
  fixtures: 'features/fixtures',
  keepWorkspace: 'on-failure',
  host: '127.0.0.1',
  containment: 'auto',
  sweep: true,
};

describe('resolveConfig', () => {
  it('has the documented defaults', () => {
    assert.deepEqual(resolveConfig({}, {}), DEFAULTS);
    assert.deepEqual(resolveConfig(undefined, {}), DEFAULTS);
  });

  it('has one source: the engine used without a configuration waits as long as the settings say', () => {
    const { startTimeoutMs, stopGraceMs, outputTimeoutMs, exitTimeoutMs } = resolveConfig({}, {});
    assert.deepEqual(ENGINE_DEFAULTS, { startTimeoutMs, stopGraceMs, outputTimeoutMs, exitTimeoutMs });
    assert.equal(new Supervisor({ launcher: {} as ProcessLauncher }).killTimeMs, stopGraceMs);
  });

  it('reads worldParameters in seconds, and DAEMON_STEPS_* variables win over them', () => {
    const config = resolveConfig(
      { startTimeout: 2, stopGrace: 0.5, fixtures: 'spec/scripts', keepWorkspace: 'always' },
      { DAEMON_STEPS_START_TIMEOUT: '7', DAEMON_STEPS_KEEP_WORKSPACE: 'never', DAEMON_STEPS_HOST: 'localhost' },
    );
    assert.deepEqual(config, {
      ...DEFAULTS,
      startTimeoutMs: 7000,
      stopGraceMs: 500,
      fixtures: 'spec/scripts',
      keepWorkspace: 'never',
      host: 'localhost',
    });
  });

  it('treats an empty variable as unset', () => {
    assert.equal(resolveConfig({ exitTimeout: 3 }, { DAEMON_STEPS_EXIT_TIMEOUT: '' }).exitTimeoutMs, 3000);
  });

  it('rejects bad values, naming where they came from and what is accepted', () => {
    assert.throws(() => resolveConfig({ startTimeout: 'abc' }, {}), {
      name: 'InvalidArgumentError',
      message: 'worldParameters.daemonSteps.startTimeout = "abc": expected a number more than 0 and at most 86400 seconds',
    });
    assert.throws(() => resolveConfig({}, { DAEMON_STEPS_STOP_GRACE: '0' }), {
      message: 'DAEMON_STEPS_STOP_GRACE = "0": expected a number more than 0 and at most 86400 seconds',
    });
    assert.throws(() => resolveConfig({ outputTimeout: 90000 }, {}), {
      message: 'worldParameters.daemonSteps.outputTimeout = 90000: expected a number more than 0 and at most 86400 seconds',
    });
    assert.throws(() => resolveConfig({ keepWorkspace: 'sometimes' }, {}), {
      message: 'worldParameters.daemonSteps.keepWorkspace = "sometimes": expected "on-failure", "always" or "never"',
    });
    assert.throws(() => resolveConfig({ fixtures: 3 }, {}), { message: 'worldParameters.daemonSteps.fixtures: expected a directory path' });
    assert.throws(() => resolveConfig({ host: '' }, {}), {
      message: 'worldParameters.daemonSteps.host: expected a host name or address, e.g. 127.0.0.1',
    });
  });

  it('rejects unknown keys, listing the known ones', () => {
    assert.throws(() => resolveConfig({ startTimeOut: 3 }, {}), {
      name: 'InvalidArgumentError',
      message:
        'unknown key in worldParameters.daemonSteps: startTimeOut; known keys: startTimeout, stopGrace, outputTimeout, exitTimeout, fixtures, keepWorkspace, host, containment, sweep',
    });
    assert.throws(() => resolveConfig({ a: 1, b: 2 }, {}), {
      message: 'unknown keys in worldParameters.daemonSteps: a, b; known keys: startTimeout, stopGrace, outputTimeout, exitTimeout, fixtures, keepWorkspace, host, containment, sweep',
    });
  });

  it('rejects parameters that are not an object', () => {
    assert.throws(() => resolveConfig([], {}), { message: 'worldParameters.daemonSteps must be an object, got []' });
    assert.throws(() => resolveConfig(null, {}), { message: 'worldParameters.daemonSteps must be an object, got null' });
  });
});

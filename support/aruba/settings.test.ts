import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ARUBA_DEFAULTS, arubaSeconds, arubaSignal, readArubaSettings } from './settings.js';

test("Aruba's defaults when worldParameters has no aruba", () => {
  assert.deepEqual(readArubaSettings(undefined), { ...ARUBA_DEFAULTS });
  assert.deepEqual(ARUBA_DEFAULTS, { exitTimeoutMs: 15_000, ioWaitTimeoutMs: 100, startupWaitTimeMs: 0, stopSignal: undefined });
});

test("Aruba's names and units: seconds, a signal name", () => {
  assert.deepEqual(readArubaSettings({ exit_timeout: 1, io_wait_timeout: 0, startup_wait_time: '0.5', stop_signal: 'HUP' }), {
    exitTimeoutMs: 1000,
    ioWaitTimeoutMs: 0,
    startupWaitTimeMs: 500,
    stopSignal: 'SIGHUP',
  });
});

test('an unknown setting is refused, naming the known ones', () => {
  assert.throws(() => readArubaSettings({ exitTimeout: 1 }), {
    message: "worldParameters.aruba: unknown setting 'exitTimeout'; the settings are exit_timeout, io_wait_timeout, startup_wait_time, stop_signal",
  });
});

test('settings that are not an object are refused', () => {
  assert.throws(() => readArubaSettings([1]), { message: 'worldParameters.aruba must be an object like {"exit_timeout": 1}, not [1]' });
});

test('seconds out of range or not numbers are refused with the range', () => {
  for (const value of [-1, 86_401, 'soon', Number.NaN]) {
    assert.throws(() => arubaSeconds(value, 'exit_timeout'), {
      message: `Aruba's exit_timeout: ${JSON.stringify(value)} is not a number of seconds; write one from 0 to 86400, e.g. 1 or 0.5`,
    });
  }
});

test('a stop signal that is not a name is refused; an unknown name suggests the closest', () => {
  assert.throws(() => arubaSignal(1), { message: `Aruba's stop_signal: 1 is not a signal name; write one like "HUP" or "INT"` });
  assert.throws(() => arubaSignal('TREM'), /unknown signal 'TREM'; did you mean SIGTERM\?/);
});

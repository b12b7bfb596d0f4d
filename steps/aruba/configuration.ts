import { Given } from '../../support/define.js';
import { arubaSeconds, arubaSignal } from '../../support/aruba/settings.js';
import { aruba } from '../../support/aruba/state.js';

// For the rest of the scenario; commands already started keep the settings they started with.

Given(/^the (?:default )?aruba io wait timeout is ([\d.]+) seconds?$/, function (seconds: string) {
  aruba(this).settings.ioWaitTimeoutMs = arubaSeconds(seconds, 'io wait timeout');
});

Given(/^the (?:default )?aruba exit timeout is ([\d.]+) seconds?$/, function (seconds: string) {
  aruba(this).settings.exitTimeoutMs = arubaSeconds(seconds, 'exit timeout');
});

Given('the( default) aruba stop signal is {string}', function (signal: string) {
  aruba(this).settings.stopSignal = arubaSignal(signal);
});

Given(/^I wait ([\d.]+) seconds? for (?:a|the) command to start up$/, function (seconds: string) {
  aruba(this).settings.startupWaitTimeMs = arubaSeconds(seconds, 'startup wait time');
});

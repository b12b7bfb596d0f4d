import { defineParameterType } from '@cucumber/cucumber';
import { After, Before } from '../define.js';
import { STEP_TIMEOUT_MS } from '../timeouts.js';
import { aruba, endAruba, existingAruba } from './state.js';

// Prefixed names, so a project's own `command` or `channel` type cannot clash with them.
defineParameterType({ name: 'aruba-command', regexp: /`([^`]*)`/, transformer: (command: string) => command, useForSnippets: false });
defineParameterType({ name: 'aruba-channel', regexp: /output|stderr|stdout/, transformer: (channel: string) => channel, useForSnippets: false });

Before({ name: 'aruba: keep ANSI escape sequences', tags: '@keep-ansi-escape-sequences' }, function () {
  aruba(this).text.keepAnsi = true;
});

/**
 * Aruba terminates every command at the end of a scenario, with its stop signal if one is set;
 * daemon-steps' teardown (which runs after this) then makes sure nothing of theirs is left.
 */
After({ name: 'aruba: terminate commands', timeout: STEP_TIMEOUT_MS }, async function () {
  const session = existingAruba(this);
  endAruba(this);
  await session?.terminateAll();
});

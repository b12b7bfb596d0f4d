#!/usr/bin/env node
/**
 * `daemon-steps`: starts the services of a services file for manual runs and for other processes
 * (`eval "$(daemon-steps run services.json --daemonize)"`), and stops them. See `daemon-steps --help`.
 */
import { DaemonStepsError } from '../helpers/errors.js';
import { main } from './daemon-steps/main.js';

// A reader that goes away (`daemon-steps run f | head -1`) is no reason to crash and leave the services to the reaper.
process.stdout.on('error', () => undefined);
let code: number;
try {
  code = await main(process.argv.slice(2));
} catch (error) {
  // A bad DAEMON_STEPS_* setting, say: its message says what to do; anything else is a bug, with its stack.
  process.stderr.write(`daemon-steps: ${error instanceof DaemonStepsError ? error.message : ((error as Error).stack ?? String(error))}\n`);
  code = 1;
}
// Explicitly: a daemonized caller must not wait for the control process it leaves behind.
process.exit(code);

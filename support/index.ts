/**
 * `import 'daemon-steps'` from one support file registers every step and hook. Nothing here sets a
 * World constructor or a default timeout: those stay the project's own.
 */
import { followCoordinator } from './parallel-worker.js';
import './hooks.js';
import '../steps/daemons.js';
import '../steps/signals.js';
import '../steps/output.js';
import '../steps/processes.js';
import '../steps/files.js';
import '../steps/supervision.js';
import '../steps/services.js';
import '../steps/http.js';
import '../steps/waiting.js';

followCoordinator();

export { daemons, scenarioScope } from './state.js';
export { stopSharedServices } from './shared-services.js';
export type { Daemon, DaemonRegistry, DaemonScope } from '../helpers/index.js';

/**
 * `import 'daemon-steps/aruba'` registers Aruba's steps (its cucumber steps for commands, output,
 * exit statuses, files, directories, the environment and its configuration) on daemon-steps'
 * engine and hooks. It may be loaded beside `import 'daemon-steps'`: no phrase matches both.
 */
import { followCoordinator } from '../parallel-worker.js';
import '../hooks.js';
import './hooks.js';
import '../../steps/aruba/commands.js';
import '../../steps/aruba/output.js';
import '../../steps/aruba/exit.js';
import '../../steps/aruba/files.js';
import '../../steps/aruba/environment.js';
import '../../steps/aruba/configuration.js';

followCoordinator();

export { aruba, arubaFiles } from './state.js';
export type { ArubaSession } from './session.js';
export type { ArubaCommand } from './command.js';
export type { ArubaSettings } from './settings.js';

/** The public face of helpers/supervision/: what the rest of the engine, the glue and the tools use. */
export { type Clock, realClock } from './clock.js';
export { DaemonLauncher } from './daemon-launcher.js';
export { expectStaysInState, type StayOptions } from './expect-state.js';
export { Supervisor } from './supervisor.js';

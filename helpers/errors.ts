/** Every error daemon-steps raises: one class per failure kind on one base (errors/base.ts), grouped by concern. */
export * from './errors/base.js';
export * from './errors/names.js';
export * from './errors/spawn.js';
export * from './errors/input.js';
export * from './errors/ports.js';
export * from './errors/lifecycle.js';
export * from './errors/stop.js';

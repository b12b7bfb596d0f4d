import type { DaemonStepsConfig } from '../helpers/config.js';
import { SharedServices } from '../helpers/services/shared-services.js';

// One per worker process: cucumber-js --parallel runs each worker in a process of its own.
let workerServices: SharedServices | undefined;

/** This worker's shared services, created with the configuration of the first scenario that uses one. */
export function sharedServices(config: DaemonStepsConfig): SharedServices {
  workerServices ??= new SharedServices({ config });
  return workerServices;
}

/** Stops the shared services this worker started (never an instance a `daemon-steps run` started). */
export async function stopSharedServices(): Promise<void> {
  const services = workerServices;
  workerServices = undefined;
  await services?.dispose();
}

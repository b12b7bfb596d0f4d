/** The public face of helpers/services/: what the rest of the engine, the glue and the tools use. */
export { CONTROL_PID_VARIABLE, exportLine, isServicesVariable, SETTINGS_VARIABLE, unsetLine } from './service-variables.js';
export { loadServicesFile } from './services-file.js';
export { type ServicesProgress, ServicesRun } from './services-run.js';
export { readSettingsFile, type ServicesSettings } from './services-settings.js';
export { SharedServices } from './shared-services.js';

import { scenarioScope } from '../state.js';
import { ArubaFiles } from './files.js';
import { ArubaSession } from './session.js';
import { readArubaSettings } from './settings.js';

interface ArubaWorld {
  session: ArubaSession;
  files: ArubaFiles;
}

// Keyed by the World, like daemon-steps' own state, so any World works.
const worlds = new WeakMap<object, ArubaWorld>();

function arubaWorld(world: object): ArubaWorld {
  let state = worlds.get(world);
  if (!state) {
    const parameters = (world as { parameters?: { aruba?: unknown } }).parameters;
    const session = new ArubaSession(scenarioScope(world), readArubaSettings(parameters?.aruba));
    state = { session, files: new ArubaFiles(session) };
    worlds.set(world, state);
  }
  return state;
}

/** The scenario's Aruba commands, settings, environment and directory. */
export function aruba(world: object): ArubaSession {
  return arubaWorld(world).session;
}

export function arubaFiles(world: object): ArubaFiles {
  return arubaWorld(world).files;
}

export function existingAruba(world: object): ArubaSession | undefined {
  return worlds.get(world)?.session;
}

export function endAruba(world: object): void {
  worlds.delete(world);
}

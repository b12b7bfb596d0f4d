import { HttpSession, NoResponseError, type HttpResponse } from '../helpers/http/index.js';
import { scenarioScope } from './state.js';

// Beside the World, like the scenario's other state: a new World (a new scenario) starts afresh.
const sessions = new WeakMap<object, HttpSession>();

/** The scenario's requests: the headers set for them and the last response. */
export function httpSession(world: object): HttpSession {
  let session = sessions.get(world);
  if (!session) {
    session = new HttpSession(scenarioScope(world));
    sessions.set(world, session);
  }
  return session;
}

/** The last response of the scenario, for the response steps; an error that says to send a request first. */
export function lastResponse(world: object): HttpResponse {
  const response = httpSession(world).lastResponse;
  if (response) return response;
  throw new NoResponseError(
    'no response to look at: this scenario has sent no request yet (or its last one failed); ' +
      'send one first, e.g. When I send a GET request to "/health" on daemon web',
  );
}

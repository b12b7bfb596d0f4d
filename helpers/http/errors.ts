import { DaemonStepsError } from '../errors.js';

/** A request that got no response: it could not connect, the connection broke, or no answer came in time. */
export class HttpRequestError extends DaemonStepsError {}

/** A daemon asked for by name has no port to send a request to. */
export class NoPortError extends DaemonStepsError {}

/** A response step with no response to look at. */
export class NoResponseError extends DaemonStepsError {}

/** A response body asked for as JSON that is not JSON. */
export class ResponseNotJsonError extends DaemonStepsError {}

/** A dot path that leads nowhere in a JSON value. */
export class JsonPathError extends DaemonStepsError {}

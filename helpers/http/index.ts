/** Requests to daemons (or to any http:// URL) and what came back, on Node's own fetch. */
export { HttpRequestError, JsonPathError, NoPortError, NoResponseError, ResponseNotJsonError } from './errors.js';
export { HttpResponse } from './response.js';
export { sendRequest, RequestFailedError, type RequestFailure, type RequestOptions } from './request.js';
export { requestDaemon, type DaemonDirectory, type DaemonRequestOptions } from './daemon-request.js';
export { HttpSession } from './session.js';
export { parseJsonArgument, valueAtPath } from './json.js';
export { expectBody, expectBodyContains, expectHeader, expectJsonAt, expectStatus, ResponseMismatchError } from './expect-response.js';

import { Then, When } from '../support/define.js';
import { docStringBytes, parseText } from '../helpers/output/text.js';
import { expectBody, expectBodyContains, expectHeader, expectJsonAt, expectStatus, parseJsonArgument } from '../helpers/http/index.js';
import { withinOr } from '../support/arguments.js';
import { asserting } from '../support/assertion.js';
import { httpSession, lastResponse } from '../support/http-session.js';
import { anchored, DAEMON, NAME, QUOTED, WITHIN } from '../support/patterns.js';
import { scenarioScope } from '../support/state.js';
import { STEP_TIMEOUT_MS } from '../support/timeouts.js';

const timeout = STEP_TIMEOUT_MS;
/** Any method, in capitals: GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS, … */
const METHOD = '([A-Z]+)';
/** `, within N seconds` before the `with:` of a request with a body (the comma after it is optional). */
const WITHIN_BEFORE_BODY = '(?:, within (\\S+) seconds?,?)?';

function send(world: object, method: string, target: string, daemon: string | undefined, within: string | null, body?: string): Promise<unknown> {
  const scope = scenarioScope(world);
  const options = {
    method,
    timeout: withinOr(within, scope.config.outputTimeoutMs),
    body: body === undefined ? undefined : docStringBytes(scope.expand(body)),
  };
  const session = httpSession(world);
  const expanded = scope.expand(target);
  return daemon === undefined ? session.toUrl(expanded, options) : session.toDaemon(daemon, { ...options, path: expanded });
}

When(
  anchored(`I send an? ${METHOD} request to ${QUOTED} on ${DAEMON} ${NAME}${WITHIN}`),
  { timeout },
  async function (method: string, path: string, name: string, within: string | null) {
    await send(this, method, path, name, within);
  },
);

When(
  anchored(`I send an? ${METHOD} request to ${QUOTED} on ${DAEMON} ${NAME}${WITHIN_BEFORE_BODY} with:`),
  { timeout },
  async function (method: string, path: string, name: string, within: string | null, body: string) {
    await send(this, method, path, name, within, body);
  },
);

When(anchored(`I send an? ${METHOD} request to ${QUOTED}${WITHIN}`), { timeout }, async function (method: string, url: string, within: string | null) {
  await send(this, method, url, undefined, within);
});

When(
  anchored(`I send an? ${METHOD} request to ${QUOTED}${WITHIN_BEFORE_BODY} with:`),
  { timeout },
  async function (method: string, url: string, within: string | null, body: string) {
    await send(this, method, url, undefined, within, body);
  },
);

When(anchored(`I set the request header ${QUOTED} to ${QUOTED}`), function (header: string, headerValue: string) {
  const scope = scenarioScope(this);
  httpSession(this).setHeader(scope.expand(header), scope.expand(headerValue));
});

Then(anchored('the response status is (\\d+)'), function (status: string) {
  asserting(() => expectStatus(lastResponse(this), Number(status)));
});

Then(anchored(`the response body is ${QUOTED}`), function (text: string) {
  asserting(() => expectBody(lastResponse(this), parseText(scenarioScope(this).expand(text))));
});

Then(anchored('the response body is:'), function (docString: string) {
  asserting(() => expectBody(lastResponse(this), docStringBytes(scenarioScope(this).expand(docString))));
});

Then(anchored(`the response body contains ${QUOTED}`), function (text: string) {
  asserting(() => expectBodyContains(lastResponse(this), parseText(scenarioScope(this).expand(text))));
});

Then(anchored(`the response body doesn't contain ${QUOTED}`), function (text: string) {
  asserting(() => expectBodyContains(lastResponse(this), parseText(scenarioScope(this).expand(text)), false));
});

Then(anchored(`the response header ${QUOTED} (is|contains) ${QUOTED}`), function (header: string, mode: 'is' | 'contains', headerValue: string) {
  const scope = scenarioScope(this);
  asserting(() => expectHeader(lastResponse(this), scope.expand(header), scope.expand(headerValue), mode));
});

Then(anchored(`the response JSON at ${QUOTED} is (.+)`), function (pointer: string, json: string) {
  const scope = scenarioScope(this);
  const expected = parseJsonArgument(scope.expand(json), `the expected value of "${pointer}"`);
  asserting(() => expectJsonAt(lastResponse(this), scope.expand(pointer), expected));
});

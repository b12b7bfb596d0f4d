import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ExpectationError } from '../errors.js';
import { expectBody, expectBodyContains, expectHeader, expectJsonAt, expectStatus } from './expect-response.js';
import { HttpResponse } from './response.js';

const response = new HttpResponse('GET', 'http://h/items', 404, 'Not Found', { 'content-type': 'application/json' }, Buffer.from('{"items": [1, 2]}'));

function mismatch(check: () => void, message: string, comparison: { actual: unknown; expected: unknown; diffable: boolean }): void {
  assert.throws(check, (error: ExpectationError) => {
    assert.ok(error instanceof ExpectationError);
    assert.equal(error.message, message);
    assert.deepEqual({ actual: error.actual, expected: error.expected, diffable: error.diffable }, comparison);
    return true;
  });
}

describe('response expectations', () => {
  it('status: names the request and shows the beginning of the body', () => {
    expectStatus(response, 404);
    mismatch(() => expectStatus(response, 200), 'the response status is 404, not 200 (GET http://h/items → 404 Not Found)\nits body: "{\\"items\\": [1, 2]}"', {
      actual: 404,
      expected: 200,
      diffable: true,
    });
  });

  it('body: byte for byte, or a part of it', () => {
    expectBody(response, Buffer.from('{"items": [1, 2]}'));
    expectBodyContains(response, Buffer.from('[1, 2]'));
    expectBodyContains(response, Buffer.from('3'), false);
    mismatch(
      () => expectBody(response, Buffer.from('{}')),
      'the response body is not as expected (GET http://h/items → 404 Not Found)\nexpected: "{}"\nactual:   "{\\"items\\": [1, 2]}"',
      { actual: '{"items": [1, 2]}', expected: '{}', diffable: true },
    );
    mismatch(
      () => expectBodyContains(response, Buffer.from('2'), false),
      'the response body contains text it should not (GET http://h/items → 404 Not Found)\nexpected not to contain: "2"\nactual:   "{\\"items\\": [1, 2]}"',
      { actual: '{"items": [1, 2]}', expected: '2', diffable: false },
    );
  });

  it('header: the name in any case; a missing one lists those there are', () => {
    expectHeader(response, 'Content-Type', 'application/json');
    expectHeader(response, 'CONTENT-TYPE', 'json', 'contains');
    mismatch(
      () => expectHeader(response, 'Content-Type', 'text/plain'),
      'the response header "Content-Type" is not as expected (GET http://h/items → 404 Not Found)\nexpected: "text/plain"\nactual:   "application/json"',
      { actual: 'application/json', expected: 'text/plain', diffable: true },
    );
    mismatch(() => expectHeader(response, 'Location', '/'), 'the response has no header "Location" (GET http://h/items → 404 Not Found)\nits headers: content-type', {
      actual: undefined,
      expected: '/',
      diffable: false,
    });
  });

  it('JSON at a path: compared as values, whatever the key order', () => {
    const body = new HttpResponse('GET', 'http://h/', 200, 'OK', {}, Buffer.from('{"a": {"x": 1, "y": [true, null]}}'));
    expectJsonAt(body, 'a', { y: [true, null], x: 1 });
    expectJsonAt(body, 'a.y.1', null);
    mismatch(() => expectJsonAt(body, 'a.x', '1'), 'the response JSON at "a.x" is not as expected (GET http://h/ → 200 OK)\nexpected: "1"\nactual:   1', {
      actual: 1,
      expected: '1',
      diffable: true,
    });
  });
});

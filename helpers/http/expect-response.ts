import { isDeepStrictEqual } from 'node:util';
import { ExpectationError, type Comparison } from '../errors.js';
import { quoteBytes, showBytes } from '../output/text.js';
import { valueAtPath } from './json.js';
import type { HttpResponse } from './response.js';

/** A response that is not as expected; the message names the request and shows what came back. */
export class ResponseMismatchError extends ExpectationError {}

/** Bodies up to this size are shown whole in messages; longer ones show their beginning. */
const SHOW_LIMIT = 2000;

function showBody(response: HttpResponse): string {
  if (response.body.length <= SHOW_LIMIT) return `actual:   ${quoteBytes(response.body)}`;
  return `actual (first ${SHOW_LIMIT} of ${response.body.length} bytes): ${quoteBytes(response.body.subarray(0, SHOW_LIMIT))}…`;
}

function mismatch(response: HttpResponse, what: string, lines: string[], comparison: Comparison): ResponseMismatchError {
  return new ResponseMismatchError([`the response ${what} (${response.describe()})`, ...lines].join('\n'), comparison);
}

export function expectStatus(response: HttpResponse, expected: number): void {
  if (response.status === expected) return;
  throw mismatch(response, `status is ${response.status}, not ${expected}`, [`its body: ${response.quoteBeginning()}`], {
    actual: response.status,
    expected,
    diffable: true,
  });
}

/** Byte for byte. */
export function expectBody(response: HttpResponse, expected: Buffer): void {
  if (response.body.equals(expected)) return;
  throw mismatch(response, 'body is not as expected', [`expected: ${quoteBytes(expected)}`, showBody(response)], {
    actual: response.text,
    expected: showBytes(expected),
    diffable: true,
  });
}

export function expectBodyContains(response: HttpResponse, needle: Buffer, shouldContain = true): void {
  if (response.body.includes(needle) === shouldContain) return;
  const what = shouldContain ? 'body does not contain the expected text' : 'body contains text it should not';
  const expectation = `${shouldContain ? 'expected to contain' : 'expected not to contain'}: ${quoteBytes(needle)}`;
  throw mismatch(response, what, [expectation, showBody(response)], { actual: response.text, expected: showBytes(needle), diffable: false });
}

/** A header's value, exactly or in part; the name in any case. */
export function expectHeader(response: HttpResponse, name: string, expected: string, mode: 'is' | 'contains' = 'is'): void {
  const actual = response.header(name);
  if (actual === undefined) {
    const names = Object.keys(response.headers);
    throw mismatch(response, `has no header "${name}"`, [`its headers: ${names.length === 0 ? 'none' : names.join(', ')}`], {
      actual: undefined,
      expected,
      diffable: false,
    });
  }
  if (mode === 'is' ? actual === expected : actual.includes(expected)) return;
  const what = `header "${name}" ${mode === 'is' ? 'is not as expected' : 'does not contain the expected text'}`;
  const expectation = `${mode === 'is' ? 'expected' : 'expected to contain'}: ${JSON.stringify(expected)}`;
  throw mismatch(response, what, [expectation, `actual:   ${JSON.stringify(actual)}`], { actual, expected, diffable: mode === 'is' });
}

/** The JSON value at a dot path (`items.0.id`), compared as values (key order and spacing do not matter). */
export function expectJsonAt(response: HttpResponse, path: string, expected: unknown): void {
  const actual = valueAtPath(response.json(), path);
  if (isDeepStrictEqual(actual, expected)) return;
  const where = path === '' ? 'JSON' : `JSON at "${path}"`;
  throw mismatch(response, `${where} is not as expected`, [`expected: ${JSON.stringify(expected)}`, `actual:   ${JSON.stringify(actual)}`], {
    actual,
    expected,
    diffable: true,
  });
}

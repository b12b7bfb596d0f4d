import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { JsonPathError } from './errors.js';
import { parseJsonArgument, valueAtPath } from './json.js';
import { HttpResponse } from './response.js';

const document = { items: [{ id: 1, name: 'apple' }], count: 1, owner: null, empty: {}, none: [] };

describe('valueAtPath', () => {
  it('follows keys and indexes; the empty path is the whole value', () => {
    assert.equal(valueAtPath(document, 'items.0.name'), 'apple');
    assert.deepEqual(valueAtPath(document, 'items.0'), { id: 1, name: 'apple' });
    assert.equal(valueAtPath(document, 'owner'), null);
    assert.equal(valueAtPath(document, ''), document);
    assert.equal(valueAtPath({ 0: 'key, not index' }, '0'), 'key, not index');
  });

  it('says how far a path got, and why it went no further', () => {
    const fails = (path: string, message: string) => assert.throws(() => valueAtPath(document, path), (error: Error) => error instanceof JsonPathError && error.message === message);
    fails('items.1', 'the response JSON has nothing at "items.1": "items" is an array of 1 (indexes 0 to 0), there is no 1');
    fails('items.first', 'the response JSON has nothing at "items.first": "items" is an array: write an index (items.0), not "first"');
    fails('items.0.idd', 'the response JSON has nothing at "items.0.idd": "items.0" is an object without "idd"; its keys: "id", "name"');
    fails('items.0.id.x', 'the response JSON has nothing at "items.0.id.x": "items.0.id" is 1 (a number), which has no "x" inside');
    fails('owner.name', 'the response JSON has nothing at "owner.name": "owner" is null, which has no "name" inside');
    fails('empty.a', 'the response JSON has nothing at "empty.a": "empty" is an object without "a"; it is empty');
    fails('none.0', 'the response JSON has nothing at "none.0": "none" is an empty array');
    fails('nothing', 'the response JSON has nothing at "nothing": the body is an object without "nothing"; its keys: "items", "count", "owner", "empty", "none"');
    assert.throws(() => valueAtPath(3, 'a'), { message: 'the response JSON has nothing at "a": the body is 3 (a number), which has no "a" inside' });
  });

  it('refuses a path with an empty part', () => {
    assert.throws(() => valueAtPath(document, 'items..id'), {
      message: 'JSON path "items..id" has an empty part: write keys and indexes separated by single dots, e.g. items.0.id',
    });
  });
});

describe('parseJsonArgument', () => {
  it('takes any JSON value', () => {
    assert.equal(parseJsonArgument('3', 'x'), 3);
    assert.equal(parseJsonArgument('"x"', 'x'), 'x');
    assert.equal(parseJsonArgument('null', 'x'), null);
    assert.deepEqual(parseJsonArgument('{"a": [true]}', 'x'), { a: [true] });
  });

  it('quotes invalid JSON and points at where it broke', () => {
    assert.throws(() => parseJsonArgument("{'a': 1}", 'the expected value'), {
      message:
        "invalid JSON in the expected value: names need double quotes, found '\n  {'a': 1}\n   ^ here (character 2)\n" +
        'write a JSON value: a number (3), a string in double quotes ("x"), true, false, null, an array or an object ({"id": 1})',
    });
  });
});

describe('HttpResponse.json', () => {
  const response = (body: string | Buffer, headers = {}) => new HttpResponse('GET', 'http://h/x', 200, 'OK', headers, Buffer.from(body));

  it('parses the body', () => {
    assert.deepEqual(response('{"a": 1}').json(), { a: 1 });
  });

  it('says where a body that is not JSON broke, and quotes its beginning (at most 200 bytes)', () => {
    assert.throws(() => response('<html>', { 'content-type': 'text/html' }).json(), {
      message:
        'the response body is not JSON: expected a value (a string in double quotes, a number, true or false), found \'<\' at character 1 ' +
        '(GET http://h/x → 200 OK, content-type text/html); it begins "<html>"',
    });
    const long = `{"a": ${'x'.repeat(300)}`;
    assert.throws(() => response(long).json(), (error: Error) => error.message.endsWith(`it begins "${long.slice(0, 200).replaceAll('"', '\\"')}"… (306 bytes)`));
    assert.throws(() => response('').json(), { message: 'the response body is empty, not JSON (GET http://h/x → 200 OK)' });
  });
});

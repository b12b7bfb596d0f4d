import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { findJsonSyntaxProblem, parseJsonPointing } from './json-error.js';

describe('findJsonSyntaxProblem', () => {
  it('finds nothing wrong with valid JSON', () => {
    for (const json of [
      '{}',
      ' { "A" : "1" , "B":-2.5e+3,"C":true,"D":false,"E":null } ',
      '{"nested": {"list": [1, [], {}, "x"]}, "esc": "\\"\\\\\\/\\b\\f\\n\\r\\t\\u00e9"}',
      '"just a string"',
      '0',
    ]) {
      JSON.parse(json);
      assert.equal(findJsonSyntaxProblem(json), undefined, json);
    }
  });

  it('says where and why invalid JSON breaks', () => {
    assert.deepEqual(findJsonSyntaxProblem('{"A": "x\ty"}'), {
      offset: 8,
      reason: 'a string may not hold a raw control character such as a tab or a newline; write \\t or \\n',
    });
    assert.deepEqual(findJsonSyntaxProblem('[1, 2,]'), { offset: 5, reason: 'a comma before ] is not allowed (trailing comma)' });
    assert.deepEqual(findJsonSyntaxProblem('[1 2]'), { offset: 3, reason: "expected ',' or ']' after a value, found '2'" });
    assert.deepEqual(findJsonSyntaxProblem('{"A": 01}'), { offset: 7, reason: "expected ',' or '}' after a value, found '1'" });
    assert.deepEqual(findJsonSyntaxProblem('{"A": -}'), { offset: 6, reason: "expected a number, found '-'" });
    assert.deepEqual(findJsonSyntaxProblem(''), { offset: 0, reason: 'expected a value (a string in double quotes, a number, true or false), but the JSON ends there' });
    assert.deepEqual(findJsonSyntaxProblem('{"A":\n}'), { offset: 6, reason: "expected a value (a string in double quotes, a number, true or false), found '}'" });
    assert.deepEqual(findJsonSyntaxProblem('{"A": "\\u12"}'), {
      offset: 7,
      reason: "'\\u' is not a JSON escape (use \\\" \\\\ \\/ \\b \\f \\n \\r \\t or \\uXXXX)",
    });
  });
});

describe('parseJsonPointing', () => {
  it('returns the value of valid JSON', () => {
    assert.deepEqual(parseJsonPointing('{"id": [1, "x"]}', () => new Error('not called')), { id: [1, 'x'] });
  });

  it("hands the caller's error an explanation that quotes the text and points under where it broke", () => {
    assert.throws(
      () => parseJsonPointing('{"a": 1,}', (explanation) => new RangeError(`bad: ${explanation}`)),
      (error: unknown) => {
        assert.ok(error instanceof RangeError);
        assert.equal(error.message, 'bad: a comma before } is not allowed (trailing comma)\n  {"a": 1,}\n         ^ here (character 8)');
        return true;
      },
    );
  });
});

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { expectEquals, expectIncludes, expectMatches, rubyPattern } from './expect.js';

const rules = { keepAnsi: false };

test("patterns read as Ruby's: ^ and $ at lines, . across them", () => {
  assert.ok(rubyPattern('^two$').test('one\ntwo\nthree'));
  assert.ok(rubyPattern('one.two').test('one\ntwo'));
});

test('\\A and \\z anchor the whole text, \\Z allows one final newline', () => {
  assert.ok(rubyPattern(String.raw`\Aone`).test('one\ntwo'));
  assert.ok(!rubyPattern(String.raw`\Atwo`).test('one\ntwo'));
  assert.ok(rubyPattern(String.raw`two\z`).test('one\ntwo'));
  assert.ok(!rubyPattern(String.raw`one\z`).test('one\ntwo'));
  assert.ok(rubyPattern(String.raw`two\Z`).test('one\ntwo\n'));
  assert.ok(rubyPattern(String.raw`\\A`).test('\\A'));
});

test('a pattern JavaScript cannot read is an error saying so', () => {
  assert.throws(() => rubyPattern('(unclosed'), { message: /^\/\(unclosed\/ is not a regular expression JavaScript can read: / });
});

test('contains, exactly and matches compare text as Aruba does, and say what there was', () => {
  expectIncludes('the output', '\u001b[32mok\u001b[0m\n', 'ok\n', rules);
  expectEquals('the output', 'ok\n', String.raw`ok`, rules);
  expectMatches('the output', 'a\nb\n', '^b$', rules);
  assert.throws(() => expectIncludes('the output', 'ok', 'no', rules), { message: 'the output does not contain "no"; it was:\n  ok' });
  assert.throws(() => expectIncludes('the output', 'ok', 'ok', rules, true), { message: 'the output contains "ok", which it should not; it was:\n  ok' });
  assert.throws(() => expectEquals('the output', '', 'x', rules), { message: 'the output is not exactly "x"; it was:\n  (nothing)' });
  assert.throws(() => expectMatches('the output', 'a', '^b', rules), { message: 'the output does not match /^b/; it was:\n  a' });
});

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { chomp, sanitizeText, stripAnsi, unescapeText } from './text.js';

test('the escapes a step may write become the characters', () => {
  assert.equal(unescapeText(String.raw`a\nb\tc \"q\" \e[1m \033[0m`), 'a\nb\tc "q" \u001b[1m \u001b[0m');
});

test('colour codes, escaped brackets, the bell and shift characters are stripped', () => {
  assert.equal(stripAnsi('\u001b[1;32mgreen\u001b[0m \\[x\\] \u0007bell\u000e\u000f'), 'green x bell');
});

test('an escape that is not a colour code stays', () => {
  assert.equal(stripAnsi('\u001b[2Jclear'), '\u001b[2Jclear');
});

test('sanitizing keeps the codes when asked, and drops one final newline', () => {
  assert.equal(sanitizeText('\u001b[31mred\u001b[0m\n\n', { keepAnsi: false }), 'red\n');
  assert.equal(sanitizeText(String.raw`\e[31mred`, { keepAnsi: true }), '\u001b[31mred');
});

test('chomp removes one line ending of either kind', () => {
  assert.equal(chomp('a\r\n'), 'a');
  assert.equal(chomp('a\r'), 'a');
  assert.equal(chomp('a'), 'a');
});

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { docStringBytes, parseText, quoteBytes, showBytes, tailLines } from './text.js';

/** A small deterministic generator, so a failing round trip can be reproduced. */
function pseudoRandomBytes(seed: number, length: number): Buffer {
  const bytes = Buffer.alloc(length);
  let state = seed;
  for (let i = 0; i < length; i++) {
    state = (state * 1103515245 + 12345) >>> 0;
    bytes[i] = state >>> 24;
  }
  return bytes;
}

describe('parseText', () => {
  it('honours \\n, \\t, \\r, \\0, \\" and \\\\', () => {
    assert.deepEqual(parseText(String.raw`hi there\n`), Buffer.from('hi there\n'));
    assert.deepEqual(parseText(String.raw`a\tb\rc\0d`), Buffer.from('a\tb\rc\0d'));
    assert.deepEqual(parseText(String.raw`say \"hi\" \\ bye`), Buffer.from('say "hi" \\ bye'));
  });

  it('reads \\xNN as one raw byte, so output that is not UTF-8 can be asserted', () => {
    assert.deepEqual(parseText(String.raw`\xff\x41\x0a`), Buffer.from([0xff, 0x41, 0x0a]));
    assert.deepEqual(parseText(String.raw`é\xe9`), Buffer.from([0xc3, 0xa9, 0xe9]));
  });

  it('keeps any other backslash as it is', () => {
    const kept = String.raw`a\qb \x4 \xg1 end` + '\\';
    assert.equal(parseText(kept).toString(), kept);
  });

  it('reads \\\\xff as a backslash and the text xff, not as a byte', () => {
    assert.equal(parseText(String.raw`\\xff`).toString(), String.raw`\xff`);
  });
});

describe('showBytes', () => {
  it('shows valid UTF-8 as itself and every other byte as \\xNN', () => {
    assert.equal(showBytes(Buffer.from('grüße €\n')), 'grüße €\n');
    assert.equal(showBytes(Buffer.from([0x68, 0x69, 0xff, 0x0a])), 'hi\\xff\n');
  });

  it('escapes truncated sequences, overlong forms and surrogates byte by byte', () => {
    assert.equal(showBytes(Buffer.from([0xe2, 0x82])), '\\xe2\\x82');
    assert.equal(showBytes(Buffer.from([0xe2, 0x82, 0x41])), '\\xe2\\x82A');
    assert.equal(showBytes(Buffer.from([0xc0, 0xaf])), '\\xc0\\xaf');
    assert.equal(showBytes(Buffer.from([0xed, 0xa0, 0x80])), '\\xed\\xa0\\x80');
    assert.equal(showBytes(Buffer.from([0xf4, 0x90, 0x80, 0x80])), '\\xf4\\x90\\x80\\x80');
  });

  it('never throws, whatever the bytes', () => {
    for (let seed = 1; seed <= 50; seed++) assert.equal(typeof showBytes(pseudoRandomBytes(seed, 300)), 'string');
  });
});

describe('quoteBytes', () => {
  it('writes bytes as a quoted TEXT argument', () => {
    assert.equal(quoteBytes(Buffer.from('hi there\n')), String.raw`"hi there\n"`);
    assert.equal(quoteBytes(Buffer.from('a"b\\c\t\r\0')), String.raw`"a\"b\\c\t\r\0"`);
    assert.equal(quoteBytes(Buffer.from([0xff])), String.raw`"\xff"`);
  });

  it('round-trips through parseText for any bytes', () => {
    for (let seed = 1; seed <= 200; seed++) {
      const bytes = pseudoRandomBytes(seed, 64);
      assert.deepEqual(parseText(quoteBytes(bytes).slice(1, -1)), bytes, `seed ${seed}: ${quoteBytes(bytes)}`);
    }
    const tricky = Buffer.from('\\x41 \\n "\\"" é €\n', 'utf8');
    assert.deepEqual(parseText(quoteBytes(tricky).slice(1, -1)), tricky);
  });
});

describe('docStringBytes', () => {
  it('stands for its lines, each ending in a newline', () => {
    assert.deepEqual(docStringBytes('a\nb'), Buffer.from('a\nb\n'));
    assert.deepEqual(docStringBytes(''), Buffer.alloc(0));
  });
});

describe('tailLines', () => {
  it('keeps the last lines, and the trailing newline when there is one', () => {
    assert.equal(tailLines('1\n2\n3\n4\n', 2), '3\n4\n');
    assert.equal(tailLines('1\n2\n3\n4', 2), '3\n4');
    assert.equal(tailLines('1\n2\n', 5), '1\n2\n');
  });

  it('keeps at most maxChars characters', () => {
    assert.equal(tailLines('abcdef', 10, 3), 'def');
    assert.equal(tailLines('x'.repeat(5000)).length, 2000);
  });
});

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { includesNeedle } from './needle-search.js';

const LOG_LINE = '2024-05-01T12:00:00Z INFO request handled in 3 ms: GET /api/items?page=2 200\n';

function logText(bytes: number): Buffer {
  return Buffer.from(LOG_LINE.repeat(Math.ceil(bytes / LOG_LINE.length)).slice(0, bytes));
}

describe('includesNeedle', () => {
  it('finds a needle with a rare byte at the start, in the middle and at the very end of a haystack', () => {
    const needle = Buffer.from('THE END\n');
    for (const at of [0, 1, 50_000, 100_000 - needle.length]) {
      const haystack = logText(100_000);
      needle.copy(haystack, at);
      assert.equal(includesNeedle(haystack, needle), true, `at ${at}`);
    }
    assert.equal(includesNeedle(logText(100_000), needle), false);
  });

  it('does not read a needle that would run past the end as found', () => {
    const haystack = Buffer.concat([logText(10_000), Buffer.from('THE EN')]);
    assert.equal(includesNeedle(haystack, Buffer.from('THE END')), false);
  });

  it('finds a match after the rare byte turns common beyond the sample it was chosen from', () => {
    const common = Buffer.alloc(200_000, 'Hx');
    const haystack = Buffer.concat([logText(8192), common, Buffer.from('THE END'), logText(100)]);
    assert.equal(includesNeedle(haystack, Buffer.from('THE END')), true);
    assert.equal(includesNeedle(haystack, Buffer.from('THE ENDING')), false);
  });

  it('finds the match right after the candidate where it gives up jumping, however many came before', () => {
    for (let misses = 1; misses <= 60; misses++) {
      const haystack = Buffer.concat([logText(8192), Buffer.from('Hx'.repeat(misses)), Buffer.from('HH'), logText(100)]);
      assert.equal(includesNeedle(haystack, Buffer.from('HH')), true, `after ${misses} misses`);
    }
  });

  it('answers as Buffer#includes does, for needles of common and of rare bytes, rare ones sparse or dense', () => {
    let seed = 42;
    const random = (below: number) => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % below;
    };
    const common = 'abcdefgh \n';
    const rare = 'XYZ';
    for (let round = 0; round < 400; round++) {
      const rareEvery = [0, 20_000, 3000, 300, 20][round % 5]!;
      const haystack = Buffer.alloc(4096 + random(40_000));
      for (let i = 0; i < haystack.length; i++) {
        const pick = rareEvery > 0 && random(rareEvery) === 0 ? rare : common;
        haystack[i] = pick.charCodeAt(random(pick.length));
      }
      const length = 2 + random(4);
      const start = random(haystack.length - length);
      const needle =
        round % 3 === 0
          ? Buffer.from(haystack.subarray(start, start + length))
          : Buffer.from(Array.from({ length }, (_, i) => (i === round % length ? rare : common).charCodeAt(random(3))));
      assert.equal(includesNeedle(haystack, needle), haystack.includes(needle), `round ${round}: ${JSON.stringify(needle.toString())}`);
    }
  });

  it('finds needles in short haystacks and one-byte needles as includes does', () => {
    assert.equal(includesNeedle(Buffer.from('ready on port 8080'), Buffer.from('8080')), true);
    assert.equal(includesNeedle(logText(10_000), Buffer.from('Q')), false);
    assert.equal(includesNeedle(logText(10_000), Buffer.from('?')), true);
  });
});

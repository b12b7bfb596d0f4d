import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { LineBatch } from './line-batch.js';
import { PrefixKernel } from './prefix-kernel.js';

/** What the combined log wants, written the plain way: the prefix before every line. */
function prefixedPlainly(prefix: Buffer, lines: Buffer): Buffer {
  const parts: Buffer[] = [];
  let start = 0;
  for (let at = lines.indexOf(10); at !== -1; at = lines.indexOf(10, at + 1)) {
    parts.push(prefix, lines.subarray(start, at + 1));
    start = at + 1;
  }
  return Buffer.concat(parts);
}

function viaKernel(kernel: PrefixKernel, prefix: Buffer, lines: Buffer): Buffer {
  const pieces: Buffer[] = [];
  kernel.prefixLines(prefix, lines, (bytes) => pieces.push(Buffer.from(bytes)));
  return Buffer.concat(pieces);
}

function viaBatch(prefix: Buffer, lines: Buffer, useKernel: boolean): Buffer {
  const batch = new LineBatch(prefix, useKernel);
  batch.addPlainLines(lines);
  return Buffer.from(batch.bytes());
}

/** Lines of random letters, a newline about every `lineLength` bytes, ending in a newline. */
function randomLines(length: number, lineLength: number, random: () => number): Buffer {
  const bytes = Buffer.alloc(length + 1);
  for (let i = 0; i < length; i++) bytes[i] = random() < 1 / lineLength ? 10 : 97 + Math.floor(random() * 26);
  bytes[length] = 10;
  return bytes;
}

/** A small seeded generator, so a failure can be replayed. */
function seeded(seed: number): () => number {
  return () => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return seed / 2 ** 31;
  };
}

describe('PrefixKernel', () => {
  const kernel = PrefixKernel.create();

  it('is available on the Node versions the project supports (WebAssembly SIMD)', () => {
    assert.ok(kernel);
  });

  it('writes the prefix before every line: empty lines, a newline at each of 16 places, prefixes around 16 bytes', () => {
    const cases = ['\n', '\n\n\n', 'a\n', '0123456789abcdef\n', '0123456789abcde\n', '0123456789abcdef0\n', 'x\n\ny\n'];
    for (let at = 0; at < 40; at++) cases.push(`${'a'.repeat(at)}\n${'b'.repeat(39 - at)}\n`);
    for (const prefixLength of [1, 7, 15, 16, 17, 40]) {
      const prefix = Buffer.from(`[${'n'.repeat(prefixLength - 1)}`);
      for (const text of cases) {
        const lines = Buffer.from(text);
        assert.deepEqual(viaKernel(kernel!, prefix, lines), prefixedPlainly(prefix, lines), `${JSON.stringify(text)} with a ${prefixLength}-byte prefix`);
      }
    }
  });

  it('gives what the plain way gives on random lines, also across the 64 KiB pieces it works in', () => {
    const random = seeded(13);
    for (let round = 0; round < 60; round++) {
      const prefix = Buffer.from(`[${'d'.repeat(Math.floor(random() * 30))}] `);
      const lines = randomLines(round % 10 === 0 ? 200_000 : Math.floor(random() * 500), 2 + Math.floor(random() * 100), random);
      assert.deepEqual(viaKernel(kernel!, prefix, lines), prefixedPlainly(prefix, lines), `round ${round}`);
    }
  });

  it('lets a batch write the same bytes with and without it', () => {
    const random = seeded(7);
    for (let round = 0; round < 20; round++) {
      const prefix = Buffer.from(`[web-${round}] `);
      const lines = randomLines(Math.floor(random() * 150_000), 1 + Math.floor(random() * 120), random);
      assert.deepEqual(viaBatch(prefix, lines, true), viaBatch(prefix, lines, false), `round ${round}`);
    }
  });
});

import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { readKernelText } from './proc.js';

describe('readKernelText', () => {
  const directory = mkdtempSync(path.join(os.tmpdir(), 'read-kernel-text-'));
  after(() => rmSync(directory, { recursive: true, force: true }));

  it('reads a file longer than its first buffer to the end', () => {
    const text = Array.from({ length: 3000 }, (_, i) => `${i}\n`).join('');
    const file = path.join(directory, 'pids');
    writeFileSync(file, text);
    assert.ok(text.length > 4096);
    assert.equal(readKernelText(file), text);
  });

  it('reads what the kernel generates, as readFileSync does', () => {
    const stat = readKernelText('/proc/self/stat');
    assert.match(stat ?? '', new RegExp(`^${process.pid} \\(`));
  });

  it('says undefined for a file that cannot be read', () => {
    assert.equal(readKernelText(path.join(directory, 'absent')), undefined);
  });
});

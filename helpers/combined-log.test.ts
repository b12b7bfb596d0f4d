import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { CombinedLog, LineWriter } from './combined-log.js';

function collect(prefix = '[web] '): { writer: LineWriter; writes: string[] } {
  const writes: string[] = [];
  return { writer: new LineWriter(prefix, (bytes) => writes.push(bytes.toString('utf8'))), writes };
}

describe('LineWriter', () => {
  it('prefixes each line, joining lines split across chunks', () => {
    const { writer, writes } = collect();
    writer.write(Buffer.from('hello wo'));
    writer.write(Buffer.from('rld\nsecond\nthi'));
    writer.write(Buffer.from('rd\n'));
    assert.equal(writes.join(''), '[web] hello world\n[web] second\n[web] third\n');
  });

  it('writes all the complete lines of a chunk at once', () => {
    const { writer, writes } = collect();
    writer.write(Buffer.from('a\nb\nc\nd\npartial'));
    assert.deepEqual(writes, ['[web] a\n[web] b\n[web] c\n[web] d\n']);
  });

  it('keeps a last line without a newline, written on flush', () => {
    const { writer, writes } = collect();
    writer.write(Buffer.from('done\nno newline at the end'));
    writer.flush();
    writer.flush();
    assert.equal(writes.join(''), '[web] done\n[web] no newline at the end\n');
  });

  it('drops the \\r of CRLF line ends and keeps empty lines', () => {
    const { writer, writes } = collect();
    writer.write(Buffer.from('windows\r\n\nunix\n'));
    assert.equal(writes.join(''), '[web] windows\n[web] \n[web] unix\n');
  });

  it('shows bytes that are not UTF-8 as \\xNN, line by line, and valid lines as they are', () => {
    const { writer, writes } = collect();
    writer.write(Buffer.concat([Buffer.from('caf'), Buffer.from([0xe9]), Buffer.from('\nnaïve\n'), Buffer.from([0xff])]));
    writer.flush();
    assert.equal(writes.join(''), '[web] caf\\xe9\n[web] naïve\n[web] \\xff\n');
  });

  it('keeps a character whose bytes arrive in two chunks whole', () => {
    const { writer, writes } = collect();
    const snowman = Buffer.from('☃\n');
    writer.write(snowman.subarray(0, 1));
    writer.write(snowman.subarray(1));
    assert.equal(writes.join(''), '[web] ☃\n');
  });

  it('writes an endless line in 64 KiB pieces instead of holding it', () => {
    const { writer, writes } = collect('');
    for (let i = 0; i < 20; i++) writer.write(Buffer.alloc(8 * 1024, 'x'));
    assert.deepEqual(
      writes.map((w) => w.length),
      [64 * 1024 + 1, 64 * 1024 + 1],
    );
  });
});

describe('CombinedLog', () => {
  it('interleaves the lines of several daemons and streams, each with its name', () => {
    const directory = mkdtempSync(path.join(os.tmpdir(), 'combined-log-'));
    try {
      const log = new CombinedLog(path.join(directory, 'combined.log'));
      const webOut = log.lineWriter('web');
      const dbErr = log.lineWriter('db');
      webOut.write(Buffer.from('listening\npart'));
      dbErr.write(Buffer.from('ready\n'));
      webOut.write(Buffer.from('ial\n'));
      log.writeLine('[web] restarted');
      log.close();
      assert.equal(readFileSync(log.path, 'utf8'), '[web] listening\n[db] ready\n[web] partial\n[web] restarted\n');
    } finally {
      rmSync(directory, { recursive: true });
    }
  });
});

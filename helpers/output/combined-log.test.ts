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

  it('splits many lines fed in chunks of every size, cut inside lines and inside characters, as one write would', () => {
    const lines = Array.from({ length: 3000 }, (_, i) => `line ${i}: ${'é☃𝄞x'.repeat(i % 7)}${i % 11 === 0 ? '' : ' done'}`);
    const stream = Buffer.from(lines.map((line) => `${line}\n`).join(''));
    const expected = lines.map((line) => `[web] ${line}\n`).join('');
    for (const sizes of [[1], [2, 3], [7, 13, 64], [4096, 1, 65536]]) {
      const { writer, writes } = collect();
      for (let at = 0, i = 0; at < stream.length; i++) {
        const size = sizes[i % sizes.length]!;
        writer.write(stream.subarray(at, at + size));
        at += size;
      }
      writer.flush();
      assert.equal(writes.join(''), expected, `chunk sizes ${sizes.join(', ')}`);
    }
  });

  it('escapes the one line with bytes that are not UTF-8 among plain ones, wherever the chunks end', () => {
    const stream = Buffer.concat([Buffer.from('plain\nalso plain\nbad '), Buffer.from([0xc3, 0x28, 0xff]), Buffer.from(' end\r\nnaïve\n')]);
    for (let cut = 0; cut <= stream.length; cut++) {
      const { writer, writes } = collect();
      writer.write(stream.subarray(0, cut));
      writer.write(stream.subarray(cut));
      assert.equal(writes.join(''), '[web] plain\n[web] also plain\n[web] bad \\xc3(\\xff end\n[web] naïve\n', `cut at ${cut}`);
    }
  });

  it('drops the \\r of a CRLF line end among plain lines of the same chunk, and keeps a \\r inside a line', () => {
    const { writer, writes } = collect();
    writer.write(Buffer.from('one\ntwo\r\nthr\ree\n'));
    assert.equal(writes.join(''), '[web] one\n[web] two\n[web] thr\ree\n');
  });

  it('prefixes a chunk of a great many empty lines, and the chunks after it', () => {
    const { writer, writes } = collect('[a-rather-long-daemon-name] ');
    writer.write(Buffer.alloc(100_000, '\n'));
    writer.write(Buffer.from('after\n'));
    assert.equal(writes.length, 2);
    assert.equal(writes[0], '[a-rather-long-daemon-name] \n'.repeat(100_000));
    assert.equal(writes[1], '[a-rather-long-daemon-name] after\n');
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

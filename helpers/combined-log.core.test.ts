import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { CombinedLog, LineWriter } from './combined-log.js';

function collect(): { lines: string[]; writer: LineWriter } {
  const lines: string[] = [];
  const writer = new LineWriter('', (bytes) => lines.push(...bytes.toString('utf8').split('\n').slice(0, -1)));
  return { lines, writer };
}

describe('LineWriter', () => {
  it('emits complete lines, joining lines split across chunks', () => {
    const { lines, writer } = collect();
    writer.write(Buffer.from('one\ntw'));
    assert.deepEqual(lines, ['one']);
    writer.write(Buffer.from('o\n\nthree'));
    assert.deepEqual(lines, ['one', 'two', '']);
  });

  it('flushes a last line that had no newline, once', () => {
    const { lines, writer } = collect();
    writer.write(Buffer.from('done'));
    writer.flush();
    writer.flush();
    assert.deepEqual(lines, ['done']);
  });

  it('drops the carriage return of a CRLF line', () => {
    const { lines, writer } = collect();
    writer.write(Buffer.from('windows\r\n'));
    assert.deepEqual(lines, ['windows']);
  });

  it('escapes bytes that are not UTF-8, and keeps a character split across chunks whole', () => {
    const { lines, writer } = collect();
    writer.write(Buffer.from([0x62, 0x61, 0x64, 0xff, 0x0a, 0xe2, 0x82]));
    writer.write(Buffer.from([0xac, 0x0a]));
    assert.deepEqual(lines, ['bad\\xff', '€']);
  });

  it('writes an endless line in pieces of at most what has arrived past 64 KiB', () => {
    const { lines, writer } = collect();
    const piece = Buffer.alloc(16 * 1024, 'x');
    for (let i = 0; i < 4; i++) writer.write(piece);
    assert.equal(lines.length, 1);
    assert.equal(lines[0]!.length, 64 * 1024);
    writer.write(Buffer.from('tail\n'));
    assert.deepEqual(lines.slice(1), ['tail']);
  });
});

describe('CombinedLog', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'combined-log-test-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('prefixes each daemon line with [NAME], in the order lines complete', () => {
    const log = new CombinedLog(path.join(dir, 'combined.log'));
    const web = log.lineWriter('web');
    const db = log.lineWriter('db');
    web.write(Buffer.from('starting'));
    db.write(Buffer.from('ready\n'));
    web.write(Buffer.from(' up\nlast'));
    web.flush();
    log.close();
    assert.equal(readFileSync(log.path, 'utf8'), '[db] ready\n[web] starting up\n[web] last\n');
  });
});

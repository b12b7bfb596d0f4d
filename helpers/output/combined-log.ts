import { isUtf8 } from 'node:buffer';
import { closeSync, openSync, writeSync } from 'node:fs';
import { LineBatch } from './line-batch.js';
import { showBytes } from './text.js';

/** A line longer than this is written in pieces, so one endless line cannot grow the heap. */
const MAX_LINE_BYTES = 64 * 1024;

const NEWLINE = 10;
const CARRIAGE_RETURN = 13;
const CRLF = Buffer.from('\r\n');

/**
 * The scenario's combined log: every line of every daemon, prefixed `[NAME] `, in the order the
 * lines were completed. Bytes that are not UTF-8 are written escaped (`\xNN`).
 */
export class CombinedLog {
  readonly path: string;
  private fd: number | undefined;

  constructor(path: string) {
    this.path = path;
    this.fd = openSync(path, 'a');
  }

  /** A splitter that turns one stream's chunks into prefixed lines. Call `flush()` when it ends. */
  lineWriter(name: string): LineWriter {
    return new LineWriter(`[${name}] `, (bytes) => this.writeLines(bytes));
  }

  writeLine(line: string): void {
    this.writeLines(Buffer.from(`${line}\n`));
  }

  /** Appends whole lines as they are (bytes that end in a newline), in one write. */
  writeLines(bytes: Buffer): void {
    if (this.fd === undefined) return;
    let offset = 0;
    while (offset < bytes.length) offset += writeSync(this.fd, bytes, offset, bytes.length - offset);
  }

  close(): void {
    if (this.fd === undefined) return;
    closeSync(this.fd);
    this.fd = undefined;
  }
}

/**
 * Splits one stream into lines and hands them on prefixed, all the complete lines of a chunk in
 * one piece (a daemon printing a gigabyte of short lines costs one write per chunk, not per line).
 * A trailing `\r` is dropped; a last line without a newline is kept until `flush()`. `output` is
 * lent the bytes for the call only: they are overwritten by the next chunk's.
 */
export class LineWriter {
  private partial: Buffer[] = [];
  private partialLength = 0;
  private readonly batch: LineBatch;

  constructor(
    prefix: string,
    private readonly output: (bytes: Buffer) => void,
  ) {
    this.batch = new LineBatch(Buffer.from(prefix));
  }

  write(chunk: Buffer): void {
    let start = 0;
    const first = chunk.indexOf(NEWLINE);
    if (first >= 0 && this.partialLength > 0) {
      this.appendPartial(chunk.subarray(0, first));
      this.takePartial();
      start = first + 1;
    }
    const last = chunk.lastIndexOf(NEWLINE);
    if (last >= start) {
      // A newline never sits inside a multi-byte character, so whole lines are checked as one.
      const lines = chunk.subarray(start, last + 1);
      const valid = isUtf8(lines);
      if (valid && !lines.includes(CRLF)) this.batch.addPlainLines(lines);
      else {
        for (let at = 0; at < lines.length; ) {
          const end = lines.indexOf(NEWLINE, at);
          this.addLine(lines.subarray(at, end), valid);
          at = end + 1;
        }
      }
      start = last + 1;
    }
    if (start < chunk.length) {
      this.appendPartial(chunk.subarray(start));
      if (this.partialLength >= MAX_LINE_BYTES) this.takePartial();
    }
    this.handOn();
  }

  /** Writes a last line that had no newline. */
  flush(): void {
    if (this.partialLength === 0) return;
    this.takePartial();
    this.handOn();
  }

  private handOn(): void {
    if (this.batch.isEmpty) return;
    try {
      this.output(this.batch.bytes());
    } finally {
      this.batch.clear();
    }
  }

  private appendPartial(piece: Buffer): void {
    if (piece.length === 0) return;
    this.partial.push(Buffer.from(piece));
    this.partialLength += piece.length;
  }

  private takePartial(): void {
    const line = Buffer.concat(this.partial, this.partialLength);
    this.partial = [];
    this.partialLength = 0;
    this.addLine(line, isUtf8(line));
  }

  private addLine(line: Buffer, valid: boolean): void {
    const text = line.at(-1) === CARRIAGE_RETURN ? line.subarray(0, -1) : line;
    this.batch.addLine(valid ? text : Buffer.from(showBytes(text)));
  }
}

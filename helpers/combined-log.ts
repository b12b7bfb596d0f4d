import { closeSync, openSync, writeSync } from 'node:fs';
import { showBytes } from './text.js';

/** A line longer than this is written in pieces, so one endless line cannot grow the heap. */
const MAX_LINE_BYTES = 64 * 1024;

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
    return new LineWriter((line) => this.writeLine(`[${name}] ${line}`));
  }

  writeLine(line: string): void {
    if (this.fd === undefined) return;
    writeSync(this.fd, `${line}\n`);
  }

  close(): void {
    if (this.fd === undefined) return;
    closeSync(this.fd);
    this.fd = undefined;
  }
}

export class LineWriter {
  private partial: Buffer[] = [];
  private partialLength = 0;

  constructor(private readonly emit: (line: string) => void) {}

  write(chunk: Buffer): void {
    let start = 0;
    for (let newline = chunk.indexOf(10); newline >= 0; newline = chunk.indexOf(10, start)) {
      this.push(chunk.subarray(start, newline));
      this.emitPartial();
      start = newline + 1;
    }
    if (start < chunk.length) this.push(chunk.subarray(start));
    if (this.partialLength >= MAX_LINE_BYTES) this.emitPartial();
  }

  /** Writes a last line that had no newline. */
  flush(): void {
    if (this.partialLength > 0) this.emitPartial();
  }

  private push(piece: Buffer): void {
    if (piece.length === 0) return;
    this.partial.push(Buffer.from(piece));
    this.partialLength += piece.length;
  }

  private emitPartial(): void {
    const line = Buffer.concat(this.partial, this.partialLength);
    this.partial = [];
    this.partialLength = 0;
    this.emit(showBytes(line.at(-1) === 13 ? line.subarray(0, -1) : line));
  }
}

import { PrefixKernel } from './prefix-kernel.js';

const NEWLINE = 10;

/** Shared by every batch: its memory is only borrowed for the length of one call. */
let kernel: PrefixKernel | null | undefined;

/** Taken at the first line, so a daemon that prints nothing costs nothing. */
const FIRST_BYTES = 64 * 1024;

/** A batch that grew past this (a chunk of very many short lines) is not kept for the next one. */
const MAX_KEPT_BYTES = 1 << 20;

/**
 * The prefixed lines of one chunk, built in one buffer that is reused chunk after chunk: a daemon
 * printing a gigabyte of short lines costs neither an allocation nor a copy call per line beyond
 * the one that moves it.
 */
export class LineBatch {
  private buffer = Buffer.alloc(0);
  private length = 0;
  private newlines = new Int32Array(0);

  /** `useKernel: false` keeps to JavaScript (what runs where WebAssembly SIMD is not to be had). */
  constructor(
    private readonly prefix: Buffer,
    private readonly useKernel = true,
  ) {}

  /** Adds `prefix + line + "\n"`. */
  addLine(line: Uint8Array): void {
    this.reserve(this.prefix.length + line.length + 1);
    this.buffer.set(this.prefix, this.length);
    this.buffer.set(line, this.length + this.prefix.length);
    this.length += this.prefix.length + line.length;
    this.buffer[this.length++] = NEWLINE;
  }

  /**
   * Adds every line of `lines` (which ends in "\n") prefixed, as they are: the caller has made
   * sure that none needs escaping and none ends in "\r".
   */
  addPlainLines(lines: Buffer): void {
    if (kernel === undefined) kernel = PrefixKernel.create() ?? null;
    if (kernel && this.useKernel) {
      kernel.prefixLines(this.prefix, lines, (bytes) => {
        this.reserve(bytes.length);
        this.buffer.set(bytes, this.length);
        this.length += bytes.length;
      });
      return;
    }
    const count = this.findNewlines(lines);
    const prefix = this.prefix;
    const prefixLength = prefix.length;
    // The lines are staged where the last of them ends up, then each is moved down into place
    // behind its prefix: `copyWithin` moves bytes within one buffer without a view per line.
    const staged = this.length + count * prefixLength;
    this.reserve(count * prefixLength + lines.length);
    const buffer = this.buffer;
    const newlines = this.newlines;
    buffer.set(lines, staged);
    let at = this.length;
    let start = staged;
    for (let i = 0; i < count; i++) {
      for (let j = 0; j < prefixLength; j++) buffer[at + j] = prefix[j]!;
      at += prefixLength;
      const end = staged + newlines[i]! + 1;
      buffer.copyWithin(at, start, end);
      at += end - start;
      start = end;
    }
    this.length = at;
  }

  /** The batch so far; valid only until the batch is next changed or cleared. */
  bytes(): Buffer {
    return this.buffer.subarray(0, this.length);
  }

  get isEmpty(): boolean {
    return this.length === 0;
  }

  clear(): void {
    this.length = 0;
    if (this.buffer.length > MAX_KEPT_BYTES) this.buffer = Buffer.alloc(0);
    if (this.newlines.length > MAX_KEPT_BYTES / 4) this.newlines = new Int32Array(0);
  }

  /** Records where each newline of `lines` is; returns how many there are. */
  private findNewlines(lines: Buffer): number {
    let count = 0;
    for (let at = lines.indexOf(NEWLINE); at !== -1; at = lines.indexOf(NEWLINE, at + 1)) {
      if (count === this.newlines.length) {
        const grown = new Int32Array(Math.max(1024, count * 2));
        grown.set(this.newlines);
        this.newlines = grown;
      }
      this.newlines[count++] = at;
    }
    return count;
  }

  private reserve(extra: number): void {
    const needed = this.length + extra;
    if (needed <= this.buffer.length) return;
    const grown = Buffer.allocUnsafe(Math.max(needed, this.buffer.length * 2, FIRST_BYTES));
    this.buffer.copy(grown, 0, 0, this.length);
    this.buffer = grown;
  }
}

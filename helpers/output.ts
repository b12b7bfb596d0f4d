import { closeSync, createReadStream, openSync, writeSync, readSync, fstatSync } from 'node:fs';
import type { Readable } from 'node:stream';
import { showBytes, tailLines } from './text.js';

type ChunkListener = (chunk: Buffer) => void;

// Bound at import, like the clock's: a user's fake timers must not stall a wait. Unreferenced, so
// following a file never keeps the process alive.
const realSetTimeout = globalThis.setTimeout.bind(globalThis);
const realClearTimeout = globalThis.clearTimeout.bind(globalThis);
function setFollowTimer(callback: () => void, ms: number): ReturnType<typeof setTimeout> {
  const timer = realSetTimeout(callback, ms);
  timer.unref?.();
  return timer;
}
function clearFollowTimer(timer: ReturnType<typeof setTimeout>): void {
  realClearTimeout(timer);
}

/**
 * One output stream of a daemon, spooled to a file as it arrives: memory stays flat whatever the
 * daemon prints, and the file always holds every byte received so far (each chunk is written
 * before anyone is told of it). Listeners see each chunk, so waits for text are event-driven.
 */
export class OutputSpool {
  readonly path: string;
  private fd: number | undefined;
  private written: number;
  private readonly listeners = new Set<ChunkListener>();
  private readonly endListeners = new Set<() => void>();
  private openSources = 0;
  /** Following a file another process writes: its size is read from the file, growth is polled. */
  private readonly follows: boolean;
  private followTimer: ReturnType<typeof setTimeout> | undefined;
  private followedSize = 0;

  /**
   * `follow`: the spool of a daemon another process captures (a service of `daemon-steps run`):
   * read-only, its size always the file's, and listeners told of what is appended to it.
   */
  constructor(path: string, options: { follow?: boolean } = {}) {
    this.path = path;
    this.follows = options.follow ?? false;
    this.fd = openSync(path, this.follows ? 'r' : 'a');
    this.written = fstatSync(this.fd).size;
  }

  /** Bytes received so far (including those of earlier runs after a restart). */
  get size(): number {
    if (this.follows && this.fd !== undefined) return fstatSync(this.fd).size;
    return this.written;
  }

  /** Whether no stream is feeding the spool now (the daemon's pipe has closed). */
  get idle(): boolean {
    return this.openSources === 0;
  }

  /** Spools a stream until it ends. Several may be attached in turn (restarts). */
  attach(stream: Readable): void {
    this.openSources += 1;
    stream.on('data', (chunk: Buffer) => this.append(chunk));
    let ended = false;
    const finish = () => {
      if (ended) return;
      ended = true;
      this.openSources -= 1;
      for (const listener of [...this.endListeners]) listener();
    };
    stream.once('end', finish);
    stream.once('close', finish);
    stream.once('error', finish);
  }

  append(chunk: Buffer): void {
    if (this.fd === undefined || this.follows) return;
    let offset = 0;
    while (offset < chunk.length) offset += writeSync(this.fd, chunk, offset, chunk.length - offset);
    this.written += chunk.length;
    for (const listener of this.listeners) listener(chunk);
  }

  onChunk(listener: ChunkListener): () => void {
    this.listeners.add(listener);
    if (this.follows) this.followGrowth();
    return () => {
      this.listeners.delete(listener);
      if (this.listeners.size === 0) this.stopFollowing();
    };
  }

  /** While anyone listens, looks for new bytes in the file another process writes (tightly at first). */
  private followGrowth(): void {
    if (this.followTimer !== undefined) return;
    this.followedSize = this.size;
    let interval = 5;
    const look = () => {
      const size = this.size;
      if (size > this.followedSize) {
        const chunk = this.read(this.followedSize).subarray(0, size - this.followedSize);
        this.followedSize = size;
        for (const listener of [...this.listeners]) listener(chunk);
        interval = 5;
      } else interval = Math.min(interval * 2, 50);
      if (this.followTimer !== undefined) this.followTimer = setFollowTimer(look, interval);
    };
    this.followTimer = setFollowTimer(look, interval);
  }

  private stopFollowing(): void {
    if (this.followTimer !== undefined) clearFollowTimer(this.followTimer);
    this.followTimer = undefined;
  }

  /** Resolves once no stream feeds the spool, or after `maxWaitMs`, whichever is first. */
  async drained(maxWaitMs: number): Promise<void> {
    if (this.idle) return;
    await new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.endListeners.delete(check);
        resolve();
      };
      const check = () => {
        if (this.idle) done();
      };
      const timer = setTimeout(done, maxWaitMs);
      this.endListeners.add(check);
    });
  }

  /** The whole output, byte for byte. Meant for comparisons; large outputs use `contains`. */
  read(from = 0): Buffer {
    const length = Math.max(0, this.size - from);
    const buffer = Buffer.alloc(length);
    if (length === 0) return buffer;
    const fd = openSync(this.path, 'r');
    try {
      let offset = 0;
      while (offset < length) {
        const n = readSync(fd, buffer, offset, length - offset, from + offset);
        if (n === 0) break;
        offset += n;
      }
      return buffer.subarray(0, offset);
    } finally {
      closeSync(fd);
    }
  }

  /** The last bytes (at most `maxBytes`), shown as text with invalid UTF-8 escaped. */
  tail(maxLines = 10, maxBytes = 4096): string {
    const from = Math.max(0, this.size - maxBytes);
    return tailLines(showBytes(this.read(from)), maxLines);
  }

  /** Whether `needle` occurs in the output from byte `from` on (streamed: flat memory for any size). */
  contains(needle: Buffer, from = 0): Promise<boolean> {
    return fileContains(this.path, needle, from, this.size);
  }

  close(): void {
    this.stopFollowing();
    if (this.fd === undefined) return;
    closeSync(this.fd);
    this.fd = undefined;
  }
}

/**
 * Whether `needle` occurs in a file between byte `from` and `end`, streaming through it so a
 * gigabyte costs no more memory than a chunk. A missing file contains nothing.
 */
export async function fileContains(path: string, needle: Buffer, from = 0, end?: number): Promise<boolean> {
  if (needle.length === 0) return true;
  const stop = end ?? Infinity;
  if (stop - from < needle.length) return false;
  let carry: Buffer = Buffer.alloc(0);
  const stream = createReadStream(path, { start: from, end: Number.isFinite(stop) ? stop - 1 : undefined, highWaterMark: 1 << 20 });
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      const window = carry.length === 0 ? chunk : Buffer.concat([carry, chunk]);
      if (window.includes(needle)) return true;
      carry = window.subarray(Math.max(0, window.length - (needle.length - 1)));
    }
    return false;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw error;
  } finally {
    stream.destroy();
  }
}

/** The last `maxBytes` of a file (all of it when shorter); empty when there is no such file. */
export function readFileTail(path: string, maxBytes: number): Buffer {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch {
    return Buffer.alloc(0);
  }
  try {
    const size = fstatSync(fd).size;
    const length = Math.min(size, maxBytes);
    const buffer = Buffer.alloc(length);
    const n = readSync(fd, buffer, 0, length, size - length);
    return buffer.subarray(0, n);
  } finally {
    closeSync(fd);
  }
}

/**
 * Watches a spool for a byte sequence from a given offset on, across chunk boundaries: what is
 * already in the file is searched first, then each new chunk as it arrives. Resolves when seen.
 */
export function watchForBytes(spool: OutputSpool, needle: Buffer, from: number, signal: AbortSignal): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    if (signal.aborted) {
      reject(signal.reason);
      return;
    }
    const keep = Math.max(0, needle.length - 1);
    let tail: Buffer | undefined;
    const pending: Buffer[] = [];
    let settled = false;
    const finish = (error?: unknown) => {
      if (settled) return;
      settled = true;
      unsubscribe();
      signal.removeEventListener('abort', onAbort);
      if (error === undefined) resolve();
      else reject(error);
    };
    const onAbort = () => finish(signal.reason);
    const consume = (chunk: Buffer) => {
      const window = tail && tail.length > 0 ? Buffer.concat([tail, chunk]) : chunk;
      if (window.includes(needle)) finish();
      else tail = window.subarray(Math.max(0, window.length - keep));
    };
    const unsubscribe = spool.onChunk((chunk) => {
      if (tail === undefined) pending.push(chunk);
      else consume(chunk);
    });
    signal.addEventListener('abort', onAbort, { once: true });
    const scannedUpTo = spool.size;
    spool.contains(needle, from).then(
      (found) => {
        if (found) return finish();
        const start = Math.max(from, scannedUpTo - keep);
        tail = scannedUpTo > start ? spool.read(start).subarray(0, scannedUpTo - start) : Buffer.alloc(0);
        for (const chunk of pending.splice(0)) consume(chunk);
      },
      (error) => finish(error),
    );
  });
}

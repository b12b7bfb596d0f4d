import { closeSync, openSync, writeSync, readSync, fstatSync } from 'node:fs';
import type { Readable } from 'node:stream';
import { Backoff } from '../readiness/poll.js';
import { fileContains } from './file-search.js';
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

/** The most a follower reads and hands on at once of what a followed file has grown by. */
const FOLLOW_PIECE_BYTES = 1 << 20;

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
    const backoff = new Backoff(5);
    const look = () => {
      const size = this.size;
      if (size > this.followedSize) {
        // In pieces: a followed daemon may have printed gigabytes since the last look.
        while (this.followedSize < size) {
          const end = Math.min(size, this.followedSize + FOLLOW_PIECE_BYTES);
          const chunk = this.read(this.followedSize, end);
          this.followedSize = end;
          for (const listener of [...this.listeners]) listener(chunk);
        }
        backoff.reset();
      }
      if (this.followTimer !== undefined) this.followTimer = setFollowTimer(look, backoff.next());
    };
    this.followTimer = setFollowTimer(look, backoff.next());
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
        realClearTimeout(timer);
        this.endListeners.delete(check);
        resolve();
      };
      const check = () => {
        if (this.idle) done();
      };
      const timer = realSetTimeout(done, maxWaitMs);
      this.endListeners.add(check);
    });
  }

  /** The output from byte `from` to `end` (default: all of it), byte for byte. Meant for comparisons; large outputs use `contains`. */
  read(from = 0, end = this.size): Buffer {
    const length = Math.max(0, Math.min(end, this.size) - from);
    const buffer = Buffer.alloc(length);
    if (length === 0) return buffer;
    const fd = openSync(this.path, 'r');
    try {
      let offset = 0;
      while (offset < length) {
        const bytesRead = readSync(fd, buffer, offset, length - offset, from + offset);
        if (bytesRead === 0) break;
        offset += bytesRead;
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

  /** Whether `needle` occurs in the output between bytes `from` and `end` (streamed: flat memory for any size). */
  contains(needle: Buffer, from = 0, end = this.size): Promise<boolean> {
    return fileContains(this.path, needle, from, end);
  }

  close(): void {
    this.stopFollowing();
    if (this.fd === undefined) return;
    closeSync(this.fd);
    this.fd = undefined;
  }
}

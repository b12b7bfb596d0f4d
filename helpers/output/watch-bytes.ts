import { includesNeedle } from './needle-search.js';
import type { OutputSpool } from './output.js';

/**
 * Finds a byte sequence in a stream fed chunk by chunk, also where it straddles two chunks: only
 * the last `needle.length - 1` bytes are kept between chunks, so memory stays flat.
 */
export class SeamSearch {
  private tail: Buffer = Buffer.alloc(0);
  private readonly keep: number;

  constructor(private readonly needle: Buffer) {
    this.keep = Math.max(0, needle.length - 1);
  }

  /** Feeds the next chunk; true once the needle has been seen. */
  feed(chunk: Buffer): boolean {
    if (this.keep > 0 && this.tail.length > 0) {
      const seam = Buffer.concat([this.tail, chunk.subarray(0, this.keep)]);
      if (seam.includes(this.needle)) return true;
    }
    if (includesNeedle(chunk, this.needle)) return true;
    this.tail =
      chunk.length >= this.keep
        ? Buffer.from(chunk.subarray(chunk.length - this.keep))
        : Buffer.concat([this.tail, chunk]).subarray(-this.keep);
    return false;
  }
}

/**
 * Watches a spool for a byte sequence from a given offset on, across chunk boundaries. What is
 * already in the file is searched first — again and again while the daemon keeps writing, until the
 * search has caught up with the file — and from then on each new chunk as it arrives. Nothing is
 * held in memory meanwhile, whatever the daemon prints. Resolves when seen.
 */
export function watchForBytes(spool: OutputSpool, needle: Buffer, from: number, signal: AbortSignal): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    if (signal.aborted) {
      reject(signal.reason);
      return;
    }
    const keep = Math.max(0, needle.length - 1);
    let live: SeamSearch | undefined;
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
    const unsubscribe = spool.onChunk((chunk) => {
      if (live?.feed(chunk)) finish();
    });
    signal.addEventListener('abort', onAbort, { once: true });

    const catchUp = async () => {
      let start = from;
      for (;;) {
        const end = spool.size;
        if (await spool.contains(needle, start, end)) return finish();
        if (settled) return;
        const seamStart = Math.max(from, end - keep);
        if (spool.size === end) {
          // Caught up; no chunk can arrive between this check and going live (both synchronous).
          live = new SeamSearch(needle);
          if (end > seamStart) live.feed(spool.read(seamStart, end));
          return;
        }
        start = seamStart;
      }
    };
    catchUp().catch(finish);
  });
}

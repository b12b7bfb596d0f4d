import type { OutputSpool } from '../output/output.js';
import { watchForBytes } from '../output/watch-bytes.js';
import { showBytes } from '../output/text.js';
import type { Probe } from './probe.js';

/** Text on one or more streams, seen as it arrives (no polling), from a given offset on. */
export class OutputProbe implements Probe {
  readonly polled = false;
  private seen = false;
  private readonly wakers = new Set<() => void>();
  private readonly controller = new AbortController();

  constructor(
    readonly streamName: string,
    readonly text: Buffer,
    private readonly spools: Array<{ spool: OutputSpool; from: number }>,
  ) {
    for (const { spool, from } of spools) {
      watchForBytes(spool, text, from, this.controller.signal).then(
        () => {
          this.seen = true;
          for (const wake of this.wakers) wake();
        },
        () => undefined,
      );
    }
  }

  describe(): string {
    return `${this.streamName} to contain "${showBytes(this.text).replaceAll('\n', '\\n')}"`;
  }

  async check(): Promise<boolean> {
    return this.seen;
  }

  /**
   * Searches the files themselves: the watch may still be catching up with what arrived just before
   * the exit (on a loaded machine its last words can come later than a short last look).
   */
  async finalCheck(): Promise<boolean> {
    if (this.seen) return true;
    const found = await Promise.all(this.spools.map(({ spool, from }) => spool.contains(this.text, from)));
    return found.some(Boolean);
  }

  watch(wake: () => void): () => void {
    this.wakers.add(wake);
    return () => this.wakers.delete(wake);
  }

  dispose(): void {
    this.controller.abort();
  }
}


/**
 * A regular expression over the text of one or more streams from a given offset on (each stream on
 * its own, as UTF-8), looked at again whenever one of them grows.
 */
export class OutputPatternProbe implements Probe {
  readonly polled = false;

  constructor(
    readonly streamName: string,
    readonly pattern: RegExp,
    private readonly spools: Array<{ spool: OutputSpool; from: number }>,
  ) {}

  describe(): string {
    return `${this.streamName} to match ${this.pattern}`;
  }

  async check(): Promise<boolean> {
    return this.spools.some(({ spool, from }) => {
      this.pattern.lastIndex = 0;
      return this.pattern.test(spool.read(from).toString('utf8'));
    });
  }

  watch(wake: () => void): () => void {
    const unsubscribe = this.spools.map(({ spool }) => spool.onChunk(() => wake()));
    return () => unsubscribe.forEach((stop) => stop());
  }
}

import { existsSync } from 'node:fs';
import type { Probe } from './probe.js';

/** A file that exists. */
export class FileProbe implements Probe {
  readonly polled = true;
  constructor(readonly path: string, readonly shownAs: string = path) {}

  describe(): string {
    return `file ${this.shownAs} to exist`;
  }

  async check(): Promise<boolean> {
    return existsSync(this.path);
  }
}


import { appendFileSync } from 'node:fs';

/**
 * Where `daemon-steps` reports what it does: the terminal's stderr (stdout carries only the lines
 * for `eval`) — or, once a daemonized control process has let its caller go, a log file.
 */
export class Log {
  private file: string | undefined;
  private forward: ((text: string) => void) | undefined;

  constructor(private readonly quiet = false) {}

  /** Progress: left out with --quiet. */
  info(line: string): void {
    if (!this.quiet) this.write(line);
  }

  /** Failures: always shown. */
  error(text: string): void {
    this.write(text);
  }

  /** From now on, write to this file instead of stderr. */
  redirect(file: string): void {
    this.forward = undefined;
    this.file = file;
  }

  /** From now on, hand each line to `forward` (a daemonized control process sends them to its caller). */
  forwardTo(forward: (text: string) => void): void {
    this.forward = forward;
  }

  private write(text: string): void {
    const lines = `${text.replace(/\n$/, '')}\n`;
    if (this.forward) {
      this.forward(lines);
      return;
    }
    if (this.file === undefined) {
      process.stderr.write(lines);
      return;
    }
    try {
      appendFileSync(this.file, `${new Date().toISOString()} ${lines}`);
    } catch {
      // the directory is gone: we are stopping
    }
  }
}

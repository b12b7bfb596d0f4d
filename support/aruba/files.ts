import { appendFileSync, chmodSync, cpSync, existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { DaemonStepsError, ExpectationError, InvalidArgumentError } from '../../helpers/index.js';
import type { ArubaSession } from './session.js';

/**
 * Aruba's file steps, in the scenario's current directory (its workspace unless `I cd to` moved
 * it): a path that leaves the workspace is refused. `%/NAME` names NAME in the fixtures directory.
 */
export class ArubaFiles {
  constructor(
    private readonly session: ArubaSession,
    private readonly project = process.cwd(),
  ) {}

  path(written: string): string {
    return this.session.expandPath(written);
  }

  write(written: string, content: string | Buffer, mode?: string): void {
    const file = this.path(written);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, content);
    if (mode !== undefined) chmodSync(file, parseMode(mode));
  }

  /** Adds to the end of a file, making it if it is not there. */
  append(written: string, content: string): void {
    const file = this.path(written);
    mkdirSync(path.dirname(file), { recursive: true });
    appendFileSync(file, content);
  }

  mkdir(written: string, mode?: string): void {
    const directory = this.path(written);
    mkdirSync(directory, { recursive: true });
    if (mode !== undefined) chmodSync(directory, parseMode(mode));
  }

  remove(written: string, force: boolean): void {
    const target = this.path(written);
    if (!force && !existsSync(target)) {
      throw new DaemonStepsError(`cannot remove "${written}": there is no ${target}; add "with full force" to remove it only if it is there`);
    }
    rmSync(target, { recursive: true, force: true });
  }

  /** The fixtures directory: the first of Aruba's candidates the project has. */
  fixtures(): string {
    const candidates = ['features/fixtures', 'spec/fixtures', 'test/fixtures', 'fixtures'].map((candidate) => path.join(this.project, candidate));
    const found = candidates.find((candidate) => existsSync(candidate) && statSync(candidate).isDirectory());
    if (found) return found;
    throw new DaemonStepsError(`there is no fixtures directory; create one of ${candidates.join(', ')}`);
  }

  private source(written: string): string {
    const source = written.startsWith('%/') ? path.join(this.fixtures(), written.slice(2)) : this.path(written);
    if (!existsSync(source)) throw new InvalidArgumentError(`cannot copy or move "${written}": ${source} does not exist`);
    return source;
  }

  copy(from: string, to: string): void {
    if (to.startsWith('%/')) throw new InvalidArgumentError(`cannot copy to "${to}": a fixture cannot be a destination`);
    const target = this.path(to);
    mkdirSync(path.dirname(target), { recursive: true });
    cpSync(this.source(from), target, { recursive: true });
  }

  move(from: string, to: string): void {
    const target = this.path(to);
    mkdirSync(path.dirname(target), { recursive: true });
    renameSync(this.source(from), target);
  }

  /** Copies a fixture into the current directory and goes into it (`I use a fixture named`). */
  useFixture(name: string): void {
    this.copy(`%/${name}`, name);
    this.session.cd(name);
  }

  isFile(written: string): boolean {
    const file = this.path(written);
    return existsSync(file) && statSync(file).isFile();
  }

  isDirectory(written: string): boolean {
    const directory = this.path(written);
    return existsSync(directory) && statSync(directory).isDirectory();
  }

  read(written: string): string {
    if (!this.isFile(written)) throw new ExpectationError(`there is no file "${written}" (${this.path(written)})`, { actual: 'no file', expected: 'a file', diffable: false });
    return readFileSync(this.path(written), 'utf8');
  }

  size(written: string): number | undefined {
    return this.isFile(written) ? statSync(this.path(written)).size : undefined;
  }

  /** Permissions as Aruba writes them: octal digits without leading zeros ("644"). */
  permissions(written: string): string {
    const target = this.path(written);
    if (!existsSync(target)) throw new DaemonStepsError(`cannot read the permissions of "${written}": ${target} does not exist`);
    return (statSync(target).mode & 0o7777).toString(8);
  }

  /** Every path under the current directory, relative to it, for `a file matching %r<…>`. */
  allPaths(): string[] {
    const base = this.path('.');
    const paths: string[] = [];
    const walk = (directory: string) => {
      for (const entry of readdir(directory)) {
        const full = path.join(directory, entry);
        paths.push(path.relative(base, full));
        if (statSync(full).isDirectory()) walk(full);
      }
    };
    walk(base);
    return paths;
  }
}

function readdir(directory: string): string[] {
  return existsSync(directory) && statSync(directory).isDirectory() ? readdirSync(directory) : [];
}

/** A mode as Aruba takes it: octal digits, maybe after `0` or `0o` ("0644", "0o755", "755"). */
export function parseMode(mode: string): number {
  const match = /^(?:0o?)?([0-7]{3,4})$/.exec(mode.trim());
  if (!match) throw new InvalidArgumentError(`mode "${mode}" is not an octal file mode; write one like "0644" or "0o755"`);
  return Number.parseInt(match[1]!, 8);
}

import { existsSync } from 'node:fs';
import { ExpectationError } from '../errors.js';
import { fileContains, readFileTail } from '../output/file-search.js';
import { quoteBytes, showBytes } from '../output/text.js';

/** How much of a file's end a failure shows, and carries as its `actual`. */
const TAIL_BYTES = 2000;

/** `written` is the path as the scenario wrote it, `file` where it resolved to. */
export function expectFileExists(file: string, written: string): void {
  if (existsSync(file)) return;
  throw new ExpectationError(`the file ${written} does not exist (looked for ${file})`, { actual: false, expected: true, diffable: false });
}

export function expectFileAbsent(file: string, written: string): void {
  if (!existsSync(file)) return;
  throw new ExpectationError(`the file ${written} exists (${file}), but it should not`, { actual: true, expected: false, diffable: false });
}

/** Searches the whole file, in chunks; a failure shows (and carries as `actual`) its last 2000 bytes. */
export async function expectFileContains(file: string, written: string, needle: Buffer): Promise<void> {
  expectFileExists(file, written);
  if (await fileContains(file, needle)) return;
  const tail = showBytes(readFileTail(file, TAIL_BYTES));
  throw new ExpectationError(`the file ${written} does not contain ${quoteBytes(needle)}; it ends with:\n${tail}`, {
    actual: tail,
    expected: showBytes(needle),
    diffable: false,
  });
}

/** The scenario's combined log (`[NAME] line` for each line of every daemon), at `path`. */
export async function expectCombinedLogContains(path: string, needle: Buffer): Promise<void> {
  if (await fileContains(path, needle)) return;
  const tail = showBytes(readFileTail(path, TAIL_BYTES));
  throw new ExpectationError(`the combined log does not contain ${quoteBytes(needle)}; it ends with:\n${tail}\n(all of it: ${path})`, {
    actual: tail,
    expected: showBytes(needle),
    diffable: false,
  });
}

import { lstatSync, mkdirSync } from 'node:fs';
import { UnsafeDirectoryError } from '../errors.js';
import { describeFileType } from './regular-file.js';

/**
 * Makes sure `directory` is a directory only this user can use, creating it (mode 0700) if it is
 * not there. One that is already there must be a real directory (not a link: lstat), owned by this
 * user and closed to everyone else; anything else may have been planted by another user to redirect
 * or block what we keep in it, so it is refused, never repaired.
 */
export function ensurePrivateDirectory(directory: string): void {
  try {
    mkdirSync(directory, { mode: 0o700 });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  const problem = whyNotPrivate(directory);
  if (problem) throw new UnsafeDirectoryError(directory, problem);
}

function whyNotPrivate(directory: string): string | undefined {
  const stats = lstatSync(directory);
  if (!stats.isDirectory()) return `it is ${describeFileType(stats)}, not a directory`;
  // Windows has neither owners by number nor modes; its temporary directory is the user's own.
  if (process.platform === 'win32') return undefined;
  const uid = process.getuid!();
  if (stats.uid !== uid) return `it belongs to uid ${stats.uid}, not to you (uid ${uid})`;
  if ((stats.mode & 0o077) !== 0) return `others may use it (mode ${(stats.mode & 0o7777).toString(8).padStart(4, '0')}; 0700 or stricter is needed)`;
  return undefined;
}

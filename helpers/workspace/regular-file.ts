import { closeSync, constants, fstatSync, openSync, readFileSync, type Stats } from 'node:fs';

export type RegularFileRead =
  | { kind: 'read'; text: string; mtimeMs: number; ino: number }
  | { kind: 'missing' }
  /** Something other than a regular file is there: `what` names it ("a FIFO", "a symbolic link", …). */
  | { kind: 'not-regular'; what: string };

export interface ReadRegularFileOptions {
  /** Whether a symbolic link at `file` itself is followed (default: no, it counts as not regular). */
  followLink?: boolean;
}

/**
 * Reads a file only if it is a regular file, and never blocks doing so. Opening a FIFO for reading
 * waits for a writer (forever, holding the whole process), and a file in a directory others can
 * write may be a link planted to point elsewhere: so the file is opened without blocking and
 * (unless told) without following a link, and what was opened is checked before it is read.
 */
export function readRegularFile(file: string, options: ReadRegularFileOptions = {}): RegularFileRead {
  const flags = constants.O_RDONLY | constants.O_NONBLOCK | (options.followLink ? 0 : constants.O_NOFOLLOW);
  let fd: number;
  try {
    fd = openSync(file, flags);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return { kind: 'missing' };
    // ELOOP: the last component is a link (O_NOFOLLOW); ENXIO: a socket, or a device with nothing behind it.
    if (code === 'ELOOP') return { kind: 'not-regular', what: 'a symbolic link' };
    if (code === 'ENXIO') return { kind: 'not-regular', what: 'a socket or device' };
    throw error;
  }
  try {
    const stats = fstatSync(fd);
    if (!stats.isFile()) return { kind: 'not-regular', what: describeFileType(stats) };
    return { kind: 'read', text: readFileSync(fd, 'utf8'), mtimeMs: stats.mtimeMs, ino: stats.ino };
  } finally {
    closeSync(fd);
  }
}

export function describeFileType(stats: Stats): string {
  if (stats.isFIFO()) return 'a FIFO';
  if (stats.isDirectory()) return 'a directory';
  if (stats.isSymbolicLink()) return 'a symbolic link';
  if (stats.isSocket()) return 'a socket';
  if (stats.isCharacterDevice() || stats.isBlockDevice()) return 'a device';
  return 'something other than a regular file';
}

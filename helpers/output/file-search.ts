import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { includesNeedle } from './needle-search.js';

/** Read at a time by `fileContains`; one buffer of this size is reused for the whole file. */
const SEARCH_READ_BYTES = 4 * 1024 * 1024;

/**
 * Whether `needle` occurs in a file between byte `from` and `end`, reading through it into one
 * reused buffer, so a gigabyte costs no more memory than that buffer (and no allocation per read).
 * It reads from the end backwards: what is looked for is most often what a daemon printed last,
 * and is then found without reading the rest. A missing file contains nothing.
 */
export async function fileContains(path: string, needle: Buffer, from = 0, end?: number): Promise<boolean> {
  if (needle.length === 0) return true;
  if ((end ?? Infinity) - from < needle.length) return false;
  let file: FileHandle;
  try {
    file = await open(path, 'r');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw error;
  }
  try {
    const stop = Math.min(end ?? Infinity, (await file.stat()).size);
    if (stop - from < needle.length) return false;
    // Each block also reads the first bytes of the one after it, for a needle that straddles the two.
    const overlap = needle.length - 1;
    const buffer = Buffer.allocUnsafe(Math.min(SEARCH_READ_BYTES + overlap, stop - from));
    for (let blockEnd = stop; blockEnd > from; ) {
      const blockStart = Math.max(from, blockEnd - SEARCH_READ_BYTES);
      const length = Math.min(stop, blockEnd + overlap) - blockStart;
      let got = 0;
      while (got < length) {
        const { bytesRead } = await file.read(buffer, got, length - got, blockStart + got);
        if (bytesRead === 0) break;
        got += bytesRead;
      }
      if (includesNeedle(buffer.subarray(0, got), needle)) return true;
      blockEnd = blockStart;
    }
    return false;
  } finally {
    await file.close();
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
    const bytesRead = readSync(fd, buffer, 0, length, size - length);
    return buffer.subarray(0, bytesRead);
  } finally {
    closeSync(fd);
  }
}

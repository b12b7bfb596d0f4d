import { closeSync, openSync, unlinkSync, writeSync } from 'node:fs';
import { thisRun } from '../containment/marker.js';
import { isAlive } from '../containment/proc.js';
import { readRegularFile, type RegularFileRead } from '../workspace/regular-file.js';

/** A lock without a readable owner is being written right now, unless it has been so for this long. */
const UNFINISHED_LOCK_MS = 10_000;

/**
 * Takes the lock file `file` for this process (true), or finds it taken (false). A lock is created
 * exclusively and names its owner (pid and start time); one whose owner has died is taken over.
 *
 * Taking over is deleting the dead lock, then creating ours: two steps. Had two processes found the
 * dead lock at once, the slower could delete the faster one's fresh lock, and both would hold it.
 * So only the process that holds the takeover marker named after the dead owner may delete that
 * owner's lock, and it looks again, holding it, that the lock still names that owner: an owner
 * never comes back to life, and nobody else may delete its lock meanwhile. The marker is a lock
 * like any other, so one left behind by a process that died taking over is taken over in turn.
 * Ours is created after the marker is let go: whoever takes the marker next finds no lock of that
 * owner any more, and creating is exclusive, so of two claimants one wins.
 */
export function claimLockFile(file: string): boolean {
  if (createExclusively(file)) return true;
  return removeAbandonedLock(file) && createExclusively(file);
}

/**
 * Removes the lock file `file` if its owner is proved dead (`daemon-steps clean`), by the same
 * takeover marker a claim uses, so that a fresh lock another process takes at the same moment is
 * never the one removed. True when it removed it.
 */
export function removeAbandonedLock(file: string): boolean {
  const owner = abandonedOwner(file);
  if (owner === undefined) return false;
  const marker = `${file}.takeover-${owner}`;
  if (!claimLockFile(marker)) return false;
  try {
    if (abandonedOwner(file) !== owner) return false;
    removeIfThere(file);
    return true;
  } finally {
    removeIfThere(marker);
  }
}

/** What a lock file holds; `missing` too when it cannot be read. Never blocks, never follows a link. */
export function readLockFile(file: string): RegularFileRead {
  try {
    return readRegularFile(file);
  } catch {
    return { kind: 'missing' };
  }
}

function removeIfThere(file: string): void {
  try {
    unlinkSync(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
}

function createExclusively(file: string): boolean {
  let fd: number;
  try {
    fd = openSync(file, 'wx');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
  try {
    writeSync(fd, `${thisRun.pid} ${thisRun.startTime}\n`);
  } finally {
    closeSync(fd);
  }
  return true;
}

/**
 * Who owned a lock proved abandoned: "PID-STARTTIME" of a dead owner, "unfinished-INODE" for one
 * never written; undefined while its owner lives. A lock that is not a regular file (a FIFO, a link)
 * is nobody's we could prove dead: never taken over.
 */
function abandonedOwner(file: string): string | undefined {
  const lock = readLockFile(file);
  if (lock.kind !== 'read') return undefined;
  const [pid, startTime] = lock.text.trim().split(' ').map(Number);
  if (!pid || !Number.isInteger(pid)) return Date.now() - lock.mtimeMs > UNFINISHED_LOCK_MS ? `unfinished-${lock.ino}` : undefined;
  return isAlive(pid, startTime) ? undefined : `${pid}-${startTime}`;
}

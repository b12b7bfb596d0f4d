import { mkdirSync, rmSync, readdirSync, rmdirSync, unlinkSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { thisRun } from '../containment/marker.js';

/** This run's directory under the system's temporary directory; each scope gets one inside it. */
export const runDirectory = path.join(os.tmpdir(), `daemon-steps-${thisRun.runId}`);

let workspaceCounter = 0;

/**
 * A new, empty directory for one scenario (or scope), named after it so a kept one is easy to find.
 * Only its owner may look inside (0700), nor into the run's directory: a kept workspace holds what
 * the daemons printed, tokens and passwords included.
 */
export function createWorkspace(label: string): string {
  workspaceCounter += 1;
  const slug = label.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 50) || 'scenario';
  const directory = path.join(runDirectory, `${String(workspaceCounter).padStart(3, '0')}-${slug}`);
  mkdirSync(directory, { recursive: true, mode: 0o700 });
  return directory;
}

export function removeWorkspace(directory: string): void {
  try {
    removeTree(directory);
  } catch {
    rmSync(directory, { recursive: true, force: true });
  }
}

/**
 * A workspace's files are known from one listing, so each is unlinked without the look (lstat) and
 * the failed rmdir that a general recursive remove costs per entry; anything unusual throws, and
 * the general remove takes over.
 */
function removeTree(directory: string): void {
  for (const entry of readdirSync(directory, { withFileTypes: true })) {
    const entryPath = path.join(directory, entry.name);
    if (entry.isDirectory()) removeTree(entryPath);
    else unlinkSync(entryPath);
  }
  rmdirSync(directory);
}

/** Removes the run's directory if every workspace in it has been removed. */
export function removeRunDirectoryIfEmpty(): void {
  try {
    if (readdirSync(runDirectory).length === 0) rmdirSync(runDirectory);
  } catch {
    // never created, or something was kept in it
  }
}

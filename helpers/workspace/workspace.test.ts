import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { createWorkspace, removeRunDirectoryIfEmpty, removeWorkspace, runDirectory } from './workspace.js';

test('a workspace, and the run directory it is in, can be read by their owner only: kept ones hold the output', () => {
  const workspace = createWorkspace('private');
  try {
    writeFileSync(path.join(workspace, 'web.stdout'), 'token=secret\n');
    assert.equal((statSync(workspace).mode & 0o777).toString(8), '700');
    assert.equal((statSync(runDirectory).mode & 0o777).toString(8), '700');
  } finally {
    removeWorkspace(workspace);
    removeRunDirectoryIfEmpty();
  }
});

test('removing a workspace takes nested directories and links along, and never what a link points to', () => {
  const outside = mkdtempSync(path.join(os.tmpdir(), 'daemon-steps-outside-'));
  const workspace = createWorkspace('remove');
  try {
    writeFileSync(path.join(outside, 'precious'), 'keep me\n');
    mkdirSync(path.join(workspace, 'data', 'deeper'), { recursive: true });
    writeFileSync(path.join(workspace, 'data', 'deeper', 'db.sqlite'), 'x');
    symlinkSync(outside, path.join(workspace, 'data', 'link-to-outside'));
    symlinkSync(path.join(outside, 'precious'), path.join(workspace, 'link-to-file'));
    removeWorkspace(workspace);
    assert.equal(existsSync(workspace), false);
    assert.equal(existsSync(path.join(outside, 'precious')), true);
    removeWorkspace(workspace); // already gone: nothing to do, no error
  } finally {
    rmSync(outside, { recursive: true, force: true });
    removeRunDirectoryIfEmpty();
  }
});

import assert from 'node:assert/strict';
import { statSync, writeFileSync } from 'node:fs';
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

import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { DaemonScope } from '../scope.js';
import { runDirectory } from './workspace.js';

test('disposing of the last scope of a run leaves nothing in the temporary directory', async () => {
  const first = new DaemonScope({ label: 'first' });
  const second = new DaemonScope({ label: 'second' });
  assert.equal(path.dirname(first.workspace), runDirectory);

  await first.dispose();
  assert.equal(existsSync(first.workspace), false);
  assert.equal(existsSync(runDirectory), true, 'another scope still has its workspace in it');

  await second.dispose();
  assert.equal(existsSync(runDirectory), false);
});

test('a kept workspace keeps the run directory too', async () => {
  const scope = new DaemonScope({ label: 'kept' });
  await scope.dispose(true);
  assert.equal(existsSync(scope.workspace), true);
  await new DaemonScope({ label: 'other' }).dispose();
  assert.equal(existsSync(runDirectory), true);
  await new DaemonScope({ label: 'cleanup', workspace: scope.workspace }).dispose();
  assert.equal(existsSync(runDirectory), false);
});

import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { installFixture, writeWorkspaceFile } from './files.js';

describe('helper scripts and workspace files', () => {
  let dir: string;
  let fixtures: string;
  let workspace: string;
  before(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'files-test-'));
    fixtures = path.join(dir, 'fixtures');
    workspace = path.join(dir, 'workspace');
    mkdirSync(path.join(fixtures, 'tools'), { recursive: true });
    mkdirSync(workspace);
    writeFileSync(path.join(fixtures, 'tools', 'serve.sh'), '#!/bin/sh\necho hi\n', { mode: 0o644 });
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('copies a fixture into the workspace, creating directories, and makes it executable', () => {
    const target = installFixture('tools/serve.sh', fixtures, workspace);
    assert.equal(target, path.join(workspace, 'tools', 'serve.sh'));
    assert.equal(readFileSync(target, 'utf8'), '#!/bin/sh\necho hi\n');
    assert.equal(statSync(target).mode & 0o777, 0o755);
  });

  it('says where it looked for a missing fixture and how to provide it', () => {
    assert.throws(() => installFixture('nope.py', fixtures, workspace), {
      name: 'MissingFixtureError',
      message:
        `no helper script 'nope.py': looked for ${fixtures}/nope.py; put it in ${fixtures} ` +
        '(or set DAEMON_STEPS_FIXTURES / worldParameters.daemonSteps.fixtures), ' +
        'or write it inline with "Given a daemon helper shell script nope.py with:" and a docstring',
    });
    assert.throws(() => installFixture('tools', fixtures, workspace), { name: 'MissingFixtureError' });
  });

  it('writes a workspace file, executable only when asked', () => {
    const plain = writeWorkspaceFile(path.join(workspace, 'conf', 'app.ini'), 'a=1\n', false);
    assert.equal(readFileSync(plain, 'utf8'), 'a=1\n');
    assert.equal(statSync(plain).mode & 0o111, 0);
    const script = writeWorkspaceFile(path.join(workspace, 'run.sh'), '#!/bin/sh\n', true);
    assert.equal(statSync(script).mode & 0o777, 0o755);
  });
});

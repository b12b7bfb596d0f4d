import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
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
        'or write the file into the workspace yourself',
    });
    assert.throws(() => installFixture('tools', fixtures, workspace), { name: 'MissingFixtureError' });
  });

  it('writes a workspace file, executable only when asked', () => {
    const plain = writeWorkspaceFile(workspace, 'conf/app.ini', 'a=1\n', false);
    assert.equal(readFileSync(plain, 'utf8'), 'a=1\n');
    assert.equal(statSync(plain).mode & 0o111, 0);
    const script = writeWorkspaceFile(workspace, 'run.sh', '#!/bin/sh\n', true);
    assert.equal(statSync(script).mode & 0o777, 0o755);
  });

  it('writes inside the workspace however the path is written', () => {
    assert.equal(writeWorkspaceFile(workspace, path.join(workspace, 'abs.txt'), 'x', false), path.join(workspace, 'abs.txt'));
    assert.equal(writeWorkspaceFile(workspace, 'conf/../inside.txt', 'x', false), path.join(workspace, 'inside.txt'));
  });

  describe('refuses a path that leaves the workspace, and touches nothing there', () => {
    let elsewhere: string;
    let privateKey: string;
    before(() => {
      elsewhere = path.join(dir, 'elsewhere');
      mkdirSync(elsewhere);
      privateKey = path.join(elsewhere, 'private.key');
      writeFileSync(privateKey, 'secret\n', { mode: 0o600 });
      symlinkSync(elsewhere, path.join(workspace, 'out'));
    });

    const untouched = () => {
      assert.equal(readFileSync(privateKey, 'utf8'), 'secret\n');
      assert.equal(statSync(privateKey).mode & 0o777, 0o600);
    };

    it('an absolute path elsewhere', () => {
      assert.throws(() => writeWorkspaceFile(workspace, privateKey, 'x', false), {
        name: 'OutsideDirectoryError',
        message: `'${privateKey}' is outside the workspace (${workspace}): it names ${privateKey}; write a path relative to the workspace, without '..' past it`,
      });
      untouched();
    });

    it('.. past the workspace, for a file and a helper script', () => {
      assert.throws(() => writeWorkspaceFile(workspace, '../elsewhere/private.key', 'x', true), {
        message: `'../elsewhere/private.key' is outside the workspace (${workspace}): it names ${privateKey}; write a path relative to the workspace, without '..' past it`,
      });
      assert.throws(() => installFixture('../escaped.sh', fixtures, workspace), {
        message: `'../escaped.sh' is outside the workspace (${workspace}): it names ${path.join(dir, 'escaped.sh')}; write a path relative to the workspace, without '..' past it`,
      });
      assert.equal(existsSync(path.join(dir, 'escaped.sh')), false);
      untouched();
    });

    it('a symbolic link inside the workspace that points out, also to a directory still to be made', () => {
      assert.throws(() => writeWorkspaceFile(workspace, 'out/private.key', 'x', false), {
        message: `'out/private.key' is outside the workspace (${workspace}): ${workspace}/out/private.key leads to ${privateKey} through a symbolic link; write a path relative to the workspace, without '..' past it`,
      });
      assert.throws(() => writeWorkspaceFile(workspace, 'out/new/x.sh', 'x', true), { name: 'OutsideDirectoryError' });
      assert.equal(existsSync(path.join(elsewhere, 'new')), false);
      untouched();
    });

    it('a helper script named by a path outside the workspace', () => {
      assert.throws(() => installFixture(privateKey, fixtures, workspace), { name: 'OutsideDirectoryError' });
      untouched();
    });
  });

  it('looks a helper script up inside the fixtures directory only', () => {
    const inWorkspace = path.join(workspace, 'run.sh');
    assert.throws(() => installFixture(inWorkspace, fixtures, workspace), {
      message: `'${inWorkspace}' is outside the fixtures directory (${fixtures}): it names ${inWorkspace}; write a path relative to the fixtures directory, without '..' past it`,
    });
  });
});

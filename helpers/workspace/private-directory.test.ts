import assert from 'node:assert/strict';
import { chmodSync, chownSync, lstatSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { ensurePrivateDirectory } from './private-directory.js';

const scratch = mkdtempSync(path.join(os.tmpdir(), 'private-directory-test-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

const advice = (directory: string) =>
  `; another user may have put it there. Remove it (rm -rf ${directory}) and run again: daemon-steps creates it afresh, usable by you alone`;

describe('ensurePrivateDirectory', () => {
  it('creates a directory only this user can use, and accepts it afterwards', () => {
    const directory = path.join(scratch, 'fresh');
    ensurePrivateDirectory(directory);
    const stats = lstatSync(directory);
    assert.equal(stats.isDirectory(), true);
    assert.equal(stats.uid, process.getuid!());
    assert.equal(stats.mode & 0o077, 0, `mode ${(stats.mode & 0o777).toString(8)}`);
    ensurePrivateDirectory(directory);
  });

  it('refuses a symbolic link planted where it should be, though it leads to a private directory', () => {
    const elsewhere = path.join(scratch, 'elsewhere');
    mkdirSync(elsewhere, { mode: 0o700 });
    const planted = path.join(scratch, 'planted-link');
    symlinkSync(elsewhere, planted);
    assert.throws(() => ensurePrivateDirectory(planted), {
      name: 'UnsafeDirectoryError',
      message: `cannot use ${planted}: it is a symbolic link, not a directory${advice(planted)}`,
    });
  });

  it('refuses a directory others may write in', () => {
    const open = path.join(scratch, 'open');
    mkdirSync(open);
    chmodSync(open, 0o1777);
    assert.throws(() => ensurePrivateDirectory(open), {
      message: `cannot use ${open}: others may use it (mode 1777; 0700 or stricter is needed)${advice(open)}`,
    });
    chmodSync(open, 0o750);
    assert.throws(() => ensurePrivateDirectory(open), { message: /others may use it \(mode 0750;/ });
  });

  it('refuses a directory that belongs to another user', { skip: process.getuid!() !== 0 && 'only root can give a directory away' }, () => {
    const theirs = path.join(scratch, 'theirs');
    mkdirSync(theirs, { mode: 0o700 });
    chownSync(theirs, 65534, 65534);
    assert.throws(() => ensurePrivateDirectory(theirs), {
      message: `cannot use ${theirs}: it belongs to uid 65534, not to you (uid 0)${advice(theirs)}`,
    });
  });
});

import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { resolveProgram } from './program.js';

const daemon = { name: 'web', command: './server.sh 8080' };

describe('resolveProgram', () => {
  let dir: string;
  let bin: string;
  before(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'program-test-'));
    bin = path.join(dir, 'bin');
    mkdirSync(bin);
    mkdirSync(path.join(dir, 'sub'));
    writeFileSync(path.join(dir, 'server.sh'), '#!/bin/sh\n');
    chmodSync(path.join(dir, 'server.sh'), 0o755);
    writeFileSync(path.join(dir, 'plain.sh'), '#!/bin/sh\n');
    chmodSync(path.join(dir, 'plain.sh'), 0o644);
    writeFileSync(path.join(bin, 'tool'), '#!/bin/sh\n');
    chmodSync(path.join(bin, 'tool'), 0o755);
    writeFileSync(path.join(bin, 'stale'), '');
    chmodSync(path.join(bin, 'stale'), 0o644);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('resolves a path from the working directory, and a bare name from PATH', () => {
    assert.equal(resolveProgram('./server.sh', dir, '', daemon), path.join(dir, 'server.sh'));
    assert.equal(resolveProgram(path.join(dir, 'server.sh'), '/', '', daemon), path.join(dir, 'server.sh'));
    assert.equal(resolveProgram('tool', dir, `/nonexistent${path.delimiter}${bin}`, daemon), path.join(bin, 'tool'));
    assert.equal(resolveProgram('tool', dir, 'bin', daemon), path.join(bin, 'tool'));
  });

  it('says where it looked for a missing file and how to create it', () => {
    assert.throws(() => resolveProgram('./nope.sh', dir, '', daemon), {
      name: 'ProgramNotFoundError',
      message:
        `cannot start daemon 'web' (./server.sh 8080): program './nope.sh' not found: there is no file ${dir}/nope.sh; ` +
        'create it first, or give the program by its absolute path',
    });
    assert.throws(() => resolveProgram('/nonexistent/nope', dir, '', daemon), {
      message: "cannot start daemon 'web' (./server.sh 8080): program '/nonexistent/nope' not found: there is no file /nonexistent/nope; check the path",
    });
  });

  it('says a directory is not a program', () => {
    assert.throws(() => resolveProgram('./sub', dir, '', daemon), {
      name: 'ProgramNotFoundError',
      message: `cannot start daemon 'web' (./server.sh 8080): ./sub is a directory (${dir}/sub), not a program; name the program in it, e.g. ./sub/PROGRAM`,
    });
  });

  it('says which file is not executable and how to run it anyway', () => {
    assert.throws(() => resolveProgram('./plain.sh', dir, '', daemon), {
      name: 'ProgramNotExecutableError',
      message:
        `cannot start daemon 'web' (./server.sh 8080): ./plain.sh is not executable (${dir}/plain.sh); ` +
        'make it executable (chmod +x), or run it through its interpreter, e.g. "sh ./plain.sh"',
    });
    assert.throws(() => resolveProgram('stale', dir, bin), {
      name: 'ProgramNotExecutableError',
      message: `cannot start 'stale': stale is not executable (${bin}/stale); make it executable (chmod +x), or run it through its interpreter, e.g. "sh stale"`,
    });
  });

  it('names the PATH it searched, and points at a file of that name in the working directory', () => {
    assert.throws(() => resolveProgram('no-such-program', dir, '/usr/bin:/bin', daemon), {
      name: 'ProgramNotFoundError',
      message: "cannot start daemon 'web' (./server.sh 8080): program 'no-such-program' not found in PATH (/usr/bin:/bin); install it, or write the path to it",
    });
    assert.throws(() => resolveProgram('server.sh', dir, '/usr/bin:/bin', daemon), {
      message: `cannot start daemon 'web' (./server.sh 8080): program 'server.sh' not found in PATH (/usr/bin:/bin); there is a file ${dir}/server.sh: write ./server.sh to run it`,
    });
  });
});

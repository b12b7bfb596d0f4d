import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { expectCombinedLogContains, expectFileAbsent, expectFileContains, expectFileExists } from './expect-files.js';

const directory = mkdtempSync(path.join(os.tmpdir(), 'expect-files-'));
after(() => rmSync(directory, { recursive: true, force: true }));

describe('expectations on files', () => {
  it('a file that lacks the text shows its end, which is also `actual`; no diff of a text and a part of it', async () => {
    const file = path.join(directory, 'app.log');
    writeFileSync(file, 'started\nlistening\n');
    await expectFileContains(file, 'app.log', Buffer.from('listening'));
    await assert.rejects(expectFileContains(file, 'app.log', Buffer.from('ready\n')), {
      name: 'ExpectationError',
      message: 'the file app.log does not contain "ready\\n"; it ends with:\nstarted\nlistening\n',
      actual: 'started\nlistening\n',
      expected: 'ready\n',
      diffable: false,
    });
    await assert.rejects(expectCombinedLogContains(file, Buffer.from('[web] up')), {
      message: `the combined log does not contain "[web] up"; it ends with:\nstarted\nlistening\n\n(all of it: ${file})`,
      actual: 'started\nlistening\n',
      expected: '[web] up',
    });
  });

  it('exists, does not exist, and contains in a file that is not there', async () => {
    const missing = path.join(directory, 'missing.pid');
    expectFileAbsent(missing, 'missing.pid');
    assert.throws(() => expectFileExists(missing, 'missing.pid'), { message: `the file missing.pid does not exist (looked for ${missing})`, actual: false, expected: true });
    await assert.rejects(expectFileContains(missing, 'missing.pid', Buffer.from('1')), { message: `the file missing.pid does not exist (looked for ${missing})` });
    assert.throws(() => expectFileAbsent(directory, 'here'), { message: `the file here exists (${directory}), but it should not`, actual: true, expected: false });
  });
});

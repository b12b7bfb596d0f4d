import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { readSettingsFile, removeSettingsFile, writeSettingsFile, type ServicesSettings } from './services-settings.js';

const directory = mkdtempSync(path.join(os.tmpdir(), 'settings-test-'));
after(() => rmSync(directory, { recursive: true, force: true }));

function settings(n: number): ServicesSettings {
  const services: ServicesSettings['services'] = {};
  // Big enough that a write which is not atomic would be seen half done.
  for (let i = 0; i < 200; i++) {
    services[`service${i}`] = { pid: n, startTime: 1, port: 1000 + i, host: '127.0.0.1', command: 'x'.repeat(100), directory: '/', stdout: '/o', stderr: '/e', marker: 'm' };
  }
  return { version: 1, file: '/f', control: { pid: n, startTime: 2, runId: 'r' }, workspace: '/w', services, variables: {} };
}

describe('the settings file', () => {
  it('is read back as written, and is never seen half written by a reader in another process', async () => {
    const file = path.join(directory, 'settings.json');
    writeSettingsFile(file, settings(0));
    assert.deepEqual(readSettingsFile(file, 'DAEMON_STEPS_SETTINGS'), settings(0));
    // A reader that parses the file as fast as it can while it is rewritten; it counts what it could not parse.
    const reader = spawn(
      process.execPath,
      ['-e', `const fs = require('fs'); let reads = 0, broken = 0; const end = Date.now() + 1500;
        while (Date.now() < end) { try { JSON.parse(fs.readFileSync(${JSON.stringify(file)}, 'utf8')); } catch { broken++; } reads++; }
        console.log(JSON.stringify({ reads, broken }));`],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    let output = '';
    reader.stdout.on('data', (chunk) => (output += chunk));
    const exited = new Promise((resolve) => reader.once('exit', resolve));
    let writes = 0;
    while (reader.exitCode === null && writes < 100_000) {
      writeSettingsFile(file, settings(++writes));
      if (writes % 50 === 0) await new Promise((resolve) => setImmediate(resolve));
    }
    await exited;
    const { reads, broken } = JSON.parse(output) as { reads: number; broken: number };
    assert.ok(reads > 100 && writes > 100, `reads ${reads}, writes ${writes}`);
    assert.equal(broken, 0);
    assert.deepEqual(readdirSync(directory), ['settings.json'], 'no temporary file is left');
    removeSettingsFile(file);
    assert.equal(existsSync(file), false);
  });

  it('says what a missing, broken or foreign file means', () => {
    const missing = path.join(directory, 'gone.json');
    assert.throws(() => readSettingsFile(missing, 'DAEMON_STEPS_SETTINGS'), {
      name: 'SharedServiceError',
      message: `DAEMON_STEPS_SETTINGS=${missing} names a settings file that does not exist: the services that daemon-steps run started there have stopped`,
    });
    const broken = path.join(directory, 'broken.json');
    writeFileSync(broken, '{"version": 1,');
    assert.throws(() => readSettingsFile(broken, 'DAEMON_STEPS_SETTINGS'), { message: new RegExp(`^the settings file ${broken} \\(DAEMON_STEPS_SETTINGS\\) is not valid JSON: `) });
    writeFileSync(broken, '{"version": 2}');
    assert.throws(() => readSettingsFile(broken, 'DAEMON_STEPS_SETTINGS'), {
      message: `the settings file ${broken} (DAEMON_STEPS_SETTINGS) was not written by this version of daemon-steps run (no "version": 1 with "control" and "services")`,
    });
  });
});

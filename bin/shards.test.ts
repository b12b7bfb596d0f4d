import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

const shards = fileURLToPath(new URL('./shards.js', import.meta.url));
const project = fileURLToPath(new URL('../..', import.meta.url));
const directory = mkdtempSync(path.join(os.tmpdir(), 'shards-test-'));
after(() => rmSync(directory, { recursive: true, force: true }));

describe('shards.js, which npm test runs the features with', () => {
  it('runs each shard once, shows each whole, and fails when one shard fails', () => {
    const feature = path.join(directory, 'two.feature');
    writeFileSync(
      feature,
      `Feature: two scenarios, one in each shard
  Scenario: passes
    When I run "true" as t
    Then background process t exited with code 0

  Scenario: fails
    When I run "false" as t
    Then background process t exited with code 0
`,
    );
    const run = spawnSync(process.execPath, [shards, '2', feature], { cwd: project, encoding: 'utf8', env: { ...process.env, DAEMON_STEPS_KEEP_WORKSPACE: 'never' } });
    assert.equal(run.status, 1, run.stdout + run.stderr);
    assert.match(run.stdout, /^\n# shard 1\/2: exit code 0 after [\d.]+ s\n[^]*1 scenario \(1 passed\)\n[^]*\n# shard 2\/2: exit code 1 after [\d.]+ s\n[^]*1 scenario \(1 failed\)\n[^]*\n# 2 shards at once: shard 2\/2 failed after [\d.]+ s\n$/);
  });

  it('refuses a number of shards that is not one', () => {
    const run = spawnSync(process.execPath, [shards, 'two'], { cwd: project, encoding: 'utf8' });
    assert.equal(run.status, 2);
    assert.equal(run.stderr, 'shards: the number of shards must be a whole number of at least 1, got two\nUsage: node dist/bin/shards.js TOTAL [cucumber-js options…]\n');
  });
});

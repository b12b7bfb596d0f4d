import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { runFeature } from '../support/cucumber-run.test.helper.js';

describe('process-table steps under cucumber-js --parallel 2', () => {
  it("ignore the daemons of another scenario running at the same time, and see the scenario's own", async () => {
    const rendezvous = mkdtempSync(path.join(os.tmpdir(), 'rendezvous-'));
    try {
      const run = await runFeature('features/fixtures/parallel-process-table.md', { args: ['--parallel', '2'], env: { RENDEZVOUS: rendezvous } });
      assert.equal(run.exitCode, 0, run.output);
      const own = run.scenario('a scenario sees its own daemon while the other scenario looks');
      const other = run.scenario('a scenario does not see the daemon of a scenario running at the same time');
      assert.notEqual(own.workerId, other.workerId, 'the two scenarios ran in two workers');
      for (const scenario of [own, other]) {
        assert.deepEqual(
          scenario.steps.map((s) => s.status),
          scenario.steps.map(() => 'PASSED'),
          scenario.name,
        );
      }
    } finally {
      rmSync(rendezvous, { recursive: true, force: true });
    }
  });
});

import { After, AfterAll, Before, BeforeAll, Status } from '@cucumber/cucumber';
import { describeSweep, sweepAbandonedRuns } from '../helpers/leftovers.js';
import { removeRunDirectoryIfEmpty } from '../helpers/workspace.js';
import { describeFailureOutput } from './report.js';
import { stopSharedServices } from './shared-services.js';
import { beginScenario, endScenario, existingScenarioState } from './state.js';
import { STEP_TIMEOUT_MS } from './timeouts.js';

interface Attacher {
  attach?: (data: string, mediaType?: string) => void | Promise<void>;
  log?: (text: string) => void | Promise<void>;
}

/** Ends what an earlier run left behind when its runner died (the reaper does this too, unless it was killed with it). */
BeforeAll({ name: 'daemon-steps: leftovers of earlier runs', timeout: STEP_TIMEOUT_MS }, async function () {
  const line = describeSweep(await sweepAbandonedRuns());
  if (line) process.stderr.write(`${line}\n`);
});

Before({ name: 'daemon-steps: workspace' }, function ({ pickle }) {
  beginScenario(this, pickle.name);
});

/**
 * Stops every daemon of the scenario in parallel (SIGTERM, grace, SIGKILL) and removes its files;
 * when the scenario failed, the daemons' output goes into the report and the workspace is kept.
 */
After({ name: 'daemon-steps: teardown', timeout: STEP_TIMEOUT_MS }, async function ({ result }) {
  const state = existingScenarioState(this);
  if (!state) return;
  endScenario(this);
  const failed = result?.status === Status.FAILED;
  const { scope } = state;
  const keep = scope.config.keepWorkspace === 'always' || (failed && scope.config.keepWorkspace === 'on-failure');
  try {
    await scope.stopAll();
  } finally {
    const world = this as Attacher;
    if (failed && world.attach) {
      for (const attachment of describeFailureOutput(scope, keep)) await world.attach(attachment, 'text/plain');
    }
    await scope.dispose(keep);
  }
});

/** Stops this worker's shared services, then removes the run's directory if nothing in it is kept. */
AfterAll({ name: 'daemon-steps: shared services', timeout: STEP_TIMEOUT_MS }, async function () {
  await stopSharedServices();
  removeRunDirectoryIfEmpty();
});

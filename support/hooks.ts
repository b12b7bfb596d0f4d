import { Status } from '@cucumber/cucumber';
import { After, AfterAll, AfterStep, Before, BeforeAll } from './define.js';
import { keepsWorkspace, resolveConfig } from '../helpers/config.js';
import { describeSweep, sweepAbandonedRuns } from '../helpers/containment/leftovers.js';
import { removeRunDirectoryIfEmpty } from '../helpers/workspace/workspace.js';
import { describeFailureOutput } from './report.js';
import { stopSharedServices } from './shared-services.js';
import { beginScenario, endScenario, existingScenarioState, type ScenarioState } from './state.js';
import { STEP_TIMEOUT_MS } from './timeouts.js';

interface Attacher {
  attach?: (data: string, options: { mediaType: string; fileName?: string }) => void | Promise<void>;
}

/**
 * Ends what an earlier run of this user left behind when its runner and its watchdog both died (the
 * watchdog does this itself otherwise). `sweep: off` (DAEMON_STEPS_SWEEP=off) leaves it alone.
 */
BeforeAll({ name: 'daemon-steps: leftovers of earlier runs', timeout: STEP_TIMEOUT_MS }, async function () {
  const parameters = (this as { parameters?: { daemonSteps?: unknown } } | undefined)?.parameters;
  if (!resolveConfig(parameters?.daemonSteps ?? {}).sweep) return;
  const line = describeSweep(await sweepAbandonedRuns());
  if (line) process.stderr.write(`${line}\n`);
});

Before({ name: 'daemon-steps: workspace' }, function ({ pickle }) {
  beginScenario(this, pickle.name);
});

async function reportOutput(world: object, state: ScenarioState): Promise<void> {
  const { attach } = world as Attacher;
  if (!attach || state.outputReported) return;
  state.outputReported = true;
  for (const { name, text } of describeFailureOutput(state.scope, keepsWorkspace(state.scope.config.keepWorkspace, true))) {
    await attach.call(world, text, { mediaType: 'text/plain', fileName: name });
  }
}

/**
 * When a step fails, the daemons' output goes into the report at that step, where a reader looks
 * first (the HTML report shows a hook's attachments apart from the steps).
 */
AfterStep(async function ({ result }) {
  if (result?.status !== Status.FAILED) return;
  const state = existingScenarioState(this);
  if (state) await reportOutput(this, state);
});

/**
 * Stops every daemon of the scenario in parallel (SIGTERM, grace, SIGKILL) and removes its files;
 * when the scenario failed, the workspace is kept, and the daemons' output goes into the report
 * here unless the failing step took it already (a hook failed, say).
 */
After({ name: 'daemon-steps: teardown', timeout: STEP_TIMEOUT_MS }, async function ({ result }) {
  const state = existingScenarioState(this);
  if (!state) return;
  endScenario(this);
  const failed = result?.status === Status.FAILED;
  try {
    await state.scope.stopAll();
  } finally {
    if (failed) await reportOutput(this, state);
    await state.scope.dispose(keepsWorkspace(state.scope.config.keepWorkspace, failed));
  }
});

/** Stops this worker's shared services, then removes the run's directory if nothing in it is kept. */
AfterAll({ name: 'daemon-steps: shared services', timeout: STEP_TIMEOUT_MS }, async function () {
  await stopSharedServices();
  removeRunDirectoryIfEmpty();
});

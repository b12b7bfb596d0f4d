import { DaemonScope, resolveConfig, type Daemon, type DaemonRegistry } from '../helpers/index.js';
import type { StartOutcome } from '../helpers/process/expect-start.js';

/** What a scenario keeps between steps, beside the World rather than in it. */
export interface ScenarioState {
  scope: DaemonScope;
  /** The scenario's name, for messages. */
  label?: string;
  /** The outcome of the last `I try to start …`, for `starting the daemon succeeds` / `fails with`. */
  lastStart?: StartOutcome;
  /** The daemons' output is in the report already, at the step that failed. */
  outputReported?: boolean;
}

// Keyed by the World object, so any World works (the consumer's own, or cucumber's default) and
// nothing asks for setWorldConstructor.
const states = new WeakMap<object, ScenarioState>();

interface WorldLike {
  parameters?: { daemonSteps?: unknown };
}

/** Creates the scenario's state (its workspace, registry and combined log). */
export function beginScenario(world: object, label: string): ScenarioState {
  const config = resolveConfig((world as WorldLike).parameters?.daemonSteps ?? {});
  const state: ScenarioState = { scope: new DaemonScope({ label, config }), label };
  states.set(world, state);
  return state;
}

export function scenarioState(world: object): ScenarioState {
  return states.get(world) ?? beginScenario(world, 'scenario');
}

export function existingScenarioState(world: object): ScenarioState | undefined {
  return states.get(world);
}

export function endScenario(world: object): void {
  states.delete(world);
}

export function scenarioScope(world: object): DaemonScope {
  return scenarioState(world).scope;
}

/**
 * The scenario's daemons, for a project's own step definitions:
 * `daemons(this).get('web').port`.
 */
export function daemons(world: object): DaemonRegistry<Daemon> {
  return scenarioScope(world).registry;
}

export type { Daemon };

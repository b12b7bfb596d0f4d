import type { Clock } from '../supervision/clock.js';
import type { CombinedLog } from '../output/combined-log.js';
import type { ContainmentSetting } from '../containment/containment.js';
import type { ReadyCondition } from '../readiness/probe.js';
import type { WaitDefaults } from '../readiness/wait-options.js';

export interface DaemonSpec {
  name: string;
  /** The command with its placeholders expanded, for messages. */
  commandLine: string;
  /** argv with placeholders expanded; argv[0] is resolved like a shell would. */
  argv: string[];
  cwd: string;
  /** Variables added to the runner's environment for this daemon only. */
  env?: Record<string, string>;
  /** Where `<name>.stdout` and `<name>.stderr` are written. */
  outputDirectory: string;
  /** DAEMON_STEPS_RUN value: how this daemon and all its descendants are recognised. */
  marker: string;
  host?: string;
  port?: number;
  /** What must hold before it counts as ready (all of them); checked again after each restart. */
  ready?: readonly ReadyCondition[];
  /** The readiness deadline the daemon was started with (`, within N seconds`), for restarts. */
  readinessTimeoutMs?: number;
  combinedLog?: CombinedLog;
  clock?: Clock;
  /** The timeouts of its waits when a wait names none (the scope's settings; default `DEFAULTS`). */
  waitDefaults?: WaitDefaults;
  /** Whether it goes into a cgroup of its own (default `auto`: where the machine allows). */
  containment?: ContainmentSetting;
  /**
   * Kept running by a supervisor (`, restarting on exit`): an exit is followed by a restart unless
   * it is FATAL or STOPPED, so a wait for its output spans its restarts.
   */
  supervised?: boolean;
}

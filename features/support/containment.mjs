// Test-only hook for this project's own suite (not part of the library): scenarios tagged @cgroup
// prove what only cgroup containment can do, so they are skipped where this run has none (a
// runner that may not create cgroups, or DAEMON_STEPS_CONTAINMENT=process-group).
import { Before } from '@cucumber/cucumber';
import { containmentInUse, resolveConfig } from 'daemon-steps/helpers';

Before({ tags: '@cgroup' }, function () {
  const containment = containmentInUse(resolveConfig(this.parameters.daemonSteps ?? {}).containment);
  if (containment.kind !== 'cgroup') return 'skipped';
});

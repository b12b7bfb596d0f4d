import { endRunWhenGone } from '../helpers/containment/reaper.js';

let following = false;

/**
 * A worker of `cucumber-js --parallel N` is this run's runner, but the run belongs to the
 * coordinator that forked it. When the coordinator dies alone (SIGKILL, SIGTERM, OOM), cucumber's
 * workers go on until their step ends: so the run's watchdog watches the coordinator too, and the
 * worker, which can no longer report to anyone, leaves as soon as its channel to the coordinator
 * closes (the watchdog then ends its daemons).
 */
export function followCoordinator(): void {
  // Both `daemon-steps` and `daemon-steps/aruba` call this; one watch is enough.
  if (following || process.env.CUCUMBER_WORKER_ID === undefined || typeof process.send !== 'function') return;
  following = true;
  const coordinator = process.ppid;
  endRunWhenGone(coordinator);
  process.once('disconnect', () => {
    process.stderr.write(`daemon-steps: the cucumber-js coordinator (pid ${coordinator}) is gone; worker ${process.env.CUCUMBER_WORKER_ID} ends its daemons and exits\n`);
    process.exit(1);
  });
}

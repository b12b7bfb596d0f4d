/**
 * The reaper's watchdog process (started by `ensureReaper()`, never imported). It holds the read
 * end of a pipe whose write end only the runner holds: when the runner dies, however it dies
 * (SIGKILL and OOM included), the kernel closes that end, the watchdog reads end-of-file, ends
 * every process of the run and exits. The runner writes one line per thing to watch:
 * `group <pgid> <leader start time>` for a process group it creates, `cgroup <directory>` for the
 * run's cgroup (the watchdog moves itself into `<directory>/watchdog`, which is how a sweep knows
 * the run is looked after), `watch <pid> <start time>` for another process whose death ends the
 * run (the coordinator of a parallel run), and `release` before it closes the pipe on purpose.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { Cgroup } from './cgroup.js';
import { WATCHDOG_CGROUP } from './containment.js';
import { describeMembers, endCgroup, endRun } from './leftovers.js';
import { parseMarker } from './marker.js';
import { isAlive } from './proc.js';

const { values } = parseArgs({ options: { run: { type: 'string' }, grace: { type: 'string' } } });
const runId = values.run ?? '';
const runner = parseMarker(`${runId}:`);
if (!runner) {
  process.stderr.write(`daemon-steps reaper: '--run ${runId}' is not a run id (pid.starttime.random)\n`);
  process.exit(2);
}
const graceMs = Number(values.grace ?? 1000);
const groups = new Map<number, number>();
const watched: Array<{ pid: number; startTime: number }> = [{ pid: runner.pid, startTime: runner.startTime }];
let runCgroup: Cgroup | undefined;
let ending = false;
// The pipe closes before a dying runner is seen dead in /proc: only this line tells a release from a death.
let released = false;

let pending = '';
process.stdin.setEncoding('latin1');
process.stdin.on('data', (chunk: string) => {
  const lines = (pending + chunk).split('\n');
  pending = lines.pop() ?? '';
  for (const line of lines) {
    if (line === 'release') released = true;
    const group = /^group (\d+) (\d+)$/.exec(line);
    if (group) groups.set(Number(group[1]), Number(group[2]));
    const process = /^watch (\d+) (\d+)$/.exec(line);
    if (process) watched.push({ pid: Number(process[1]), startTime: Number(process[2]) });
    if (line.startsWith('cgroup ')) enterRunCgroup(line.slice('cgroup '.length));
  }
});
process.stdin.on('end', () => void end(!released));
process.stdin.on('error', () => void end(!released));

// The coordinator first: when it dies its worker (the runner) leaves too, and the coordinator is the cause.
const firstGone = () => [...watched.slice(1), watched[0]!].find((each) => !isAlive(each.pid, each.startTime));
const anyWatchedGone = () => firstGone() !== undefined;
// The coordinator holds no pipe to us, so it is looked at; should some process have inherited the
// pipe's write end, the runner's death is still noticed the same way.
const watch = setInterval(() => {
  if (anyWatchedGone()) void end(true);
}, 100);
// SIGTERM (from an outer run's teardown, say) means: clean up now.
for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP'] as const) process.on(signal, () => void end(anyWatchedGone()));

function enterRunCgroup(directory: string): void {
  runCgroup = new Cgroup(directory);
  try {
    writeFileSync(path.join(runCgroup.child(WATCHDOG_CGROUP).directory, 'cgroup.procs'), String(process.pid));
  } catch (error) {
    process.stderr.write(`daemon-steps reaper: cannot enter ${directory}/${WATCHDOG_CGROUP}: ${(error as Error).message}\n`);
  }
}

/** Leaves the run's cgroup for the one above it, so that the run's cgroup can be removed. */
function leaveRunCgroup(cgroup: Cgroup): void {
  try {
    writeFileSync(path.join(path.dirname(cgroup.directory), 'cgroup.procs'), String(process.pid));
  } catch {
    // Then the run's cgroup stays until a sweep finds it empty and abandoned.
  }
  cgroup.remove();
}

/** A cgroup that holds the live runner is not ended (see refuseIfHoldingRunner); the marker's sweep still runs. */
function refused(error: Error): [] {
  process.stderr.write(`daemon-steps reaper: ${error.message}\n`);
  return [];
}

async function end(runnerGone: boolean): Promise<void> {
  if (ending) return;
  ending = true;
  clearInterval(watch);
  const cgroup = runCgroup;
  // Both at once, so a deaf process costs one grace, not two; a contained daemon carries the marker
  // too and so may get SIGTERM twice, which with its runner gone only hastens its end.
  const [inCgroup, marked] = await Promise.all([
    cgroup ? endCgroup(cgroup, { graceMs, except: (each) => each.directory === path.join(cgroup.directory, WATCHDOG_CGROUP) }).catch(refused) : [],
    endRun(runId, { graceMs, groups }),
  ]);
  if (cgroup) leaveRunCgroup(cgroup);
  const ended = [...new Map([...inCgroup, ...marked].map((member) => [`${member.pid}.${member.startTime}`, member])).values()];
  if (ended.length > 0) {
    const gone = firstGone();
    const why = !runnerGone
      ? `the run was released by its runner (pid ${runner!.pid})`
      : gone && gone.pid !== runner!.pid
        ? `the process that started the run (pid ${gone.pid}) is gone`
        : `the test runner (pid ${runner!.pid}) is gone`;
    process.stderr.write(`daemon-steps: ${why}; ended ${describeMembers(ended)}\n`);
  }
  process.exit(0);
}

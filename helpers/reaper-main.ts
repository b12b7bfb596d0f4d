/**
 * The reaper's watchdog process (started by `ensureReaper()`, never imported). It holds the read
 * end of a pipe whose write end only the runner holds: when the runner dies, however it dies
 * (SIGKILL and OOM included), the kernel closes that end, the watchdog reads end-of-file, ends
 * every process of the run and exits. The runner writes one line per process group it creates:
 * `group <pgid> <leader start time>`, and `release` before it closes the pipe on purpose.
 */
import { parseArgs } from 'node:util';
import { describeMembers, endRun } from './leftovers.js';
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
    const match = /^group (\d+) (\d+)$/.exec(line);
    if (match) groups.set(Number(match[1]), Number(match[2]));
  }
});
process.stdin.on('end', () => void end(!released));
process.stdin.on('error', () => void end(!released));
// Belt and braces: should some process have inherited the pipe's write end, the runner's death still counts.
const watch = setInterval(() => {
  if (!isAlive(runner.pid, runner.startTime)) void end(true);
}, 500);
// SIGTERM (from an outer run's teardown, say) means: clean up now.
for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP'] as const) process.on(signal, () => void end(!isAlive(runner.pid, runner.startTime)));

async function end(runnerGone: boolean): Promise<void> {
  if (ending) return;
  ending = true;
  clearInterval(watch);
  const ended = await endRun(runId, { graceMs, groups });
  if (ended.length > 0) {
    const why = runnerGone ? `the test runner (pid ${runner!.pid}) is gone` : `the run was released by its runner (pid ${runner!.pid})`;
    process.stderr.write(`daemon-steps: ${why}; ended ${describeMembers(ended)}\n`);
  }
  process.exit(0);
}

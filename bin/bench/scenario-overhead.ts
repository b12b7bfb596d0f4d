/**
 * What a scenario pays for daemon-steps: a workspace, a start and a stop of `sleep` (SIGTERM, wait
 * until it is gone), and the teardown — beside a bare spawn, kill and wait. And what `there is no
 * "X" process` costs, beside listing processes with ps-list.
 */
import { spawn } from 'node:child_process';
import { execa } from 'execa';
import { once } from 'node:events';
import psList from 'ps-list';
import { containmentInUse, DaemonScope, findProcesses, resolveConfig, type ContainmentSetting } from '../../helpers/index.js';
import { median, monotonicMs } from './measure.js';
import type { BenchRow, BenchSection } from './table.js';

const TRIALS = 30;
const SPACED_TRIALS = 10;
const SPACING_MS = 100;

/** How long `work` takes, `trials` times, `pauseMs` apart (the pauses not counted). */
async function timed(work: () => Promise<unknown>, trials: number, pauseMs = 0): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < trials; i++) {
    if (pauseMs > 0) await new Promise((resolve) => setTimeout(resolve, pauseMs));
    const started = monotonicMs();
    await work();
    times.push(monotonicMs() - started);
  }
  return times;
}

export const scenarioOverheadSection: BenchSection = {
  title: 'per scenario: start and stop a daemon; look at the process table',
  async run(): Promise<BenchRow[]> {
    const startAndStop = (containment: ContainmentSetting) => async () => {
      const scope = new DaemonScope({ label: 'bench-overhead', config: resolveConfig({ containment }) });
      await scope.start({ name: 'sleeper', command: 'sleep 31901' });
      await scope.dispose();
    };
    const ours = await timed(startAndStop('process-group'), TRIALS);
    const cgroupsHere = containmentInUse('auto').kind === 'cgroup';
    const inCgroup = cgroupsHere ? await timed(startAndStop('cgroup'), TRIALS) : undefined;
    // As scenarios start daemons: a while apart. Moving a process into a cgroup takes the kernel's
    // lock on every process's cgroup, which costs a grace period of RCU unless a move came just before.
    const spacedGroup = await timed(startAndStop('process-group'), SPACED_TRIALS, SPACING_MS);
    const spacedCgroup = cgroupsHere ? await timed(startAndStop('cgroup'), SPACED_TRIALS, SPACING_MS) : undefined;
    const bare = await timed(async () => {
      const child = spawn('sleep', ['31902'], { stdio: 'ignore' });
      await once(child, 'spawn');
      const exited = once(child, 'exit');
      child.kill('SIGTERM');
      await exited;
    }, TRIALS);

    // What execa adds to a spawn as daemon-steps makes it (detached, three pipes), beside Node's own.
    const piped = (withExeca: boolean) => async () => {
      const child = withExeca
        ? execa('sleep', ['31903'], { detached: true, cleanup: false, buffer: false, reject: false, stdin: 'pipe', stdout: 'pipe', stderr: 'pipe', encoding: 'buffer' })
        : spawn('sleep', ['31903'], { detached: true, stdio: 'pipe' });
      await once(child, 'spawn');
      const closed = once(child, 'close');
      process.kill(-child.pid!, 'SIGTERM');
      await closed;
    };
    const viaExeca: number[] = [];
    const viaNode: number[] = [];
    for (let i = 0; i < TRIALS; i++) {
      viaExeca.push(...(await timed(piped(true), 1)));
      viaNode.push(...(await timed(piped(false), 1)));
    }

    // A few daemons of this scope and of another one, as in a real run.
    const mine = new DaemonScope({ label: 'bench-table-mine' });
    const theirs = new DaemonScope({ label: 'bench-table-theirs' });
    try {
      for (let i = 0; i < 3; i++) {
        await mine.start({ name: `m${i}`, command: `sleep ${31910 + i}` });
        await theirs.start({ name: `t${i}`, command: `sleep ${31920 + i}` });
      }
      const noProcess = await timed(async () => {
        if ((await findProcesses('sleep 31999', mine.marker)).length > 0) throw new Error('unexpected process');
      }, 50);
      const withPsList = await timed(async () => {
        const found = (await psList({ all: true })).filter((p) => (p.cmd ?? p.name).includes('sleep 31999'));
        if (found.length > 0) throw new Error('unexpected process');
      }, 20);
      return [
        { measure: 'start + stop of `sleep`, with workspace (process group)', ours: median(ours), against: { name: 'bare spawn + kill + wait', value: median(bare) }, unit: 'ms', goal: '< 4 ms', met: median(ours) < 4 },
        ...(inCgroup
          ? [
              { measure: '… contained in a cgroup of its own', ours: median(inCgroup), against: { name: 'bare spawn + kill + wait', value: median(bare) }, unit: 'ms', goal: '< 4 ms', met: median(inCgroup) < 4 } satisfies BenchRow,
              { measure: '… contained in a cgroup of its own', ours: median(inCgroup), against: { name: 'by process group and marker', value: median(ours) }, unit: 'ms' } satisfies BenchRow,
            ]
          : []),
        { measure: `… one every ${SPACING_MS} ms, as in scenarios (process group)`, ours: median(spacedGroup), against: { name: 'back to back', value: median(ours) }, unit: 'ms' },
        ...(spacedCgroup && inCgroup
          ? [{ measure: `… one every ${SPACING_MS} ms, as in scenarios (cgroup)`, ours: median(spacedCgroup), against: { name: 'back to back', value: median(inCgroup) }, unit: 'ms' } satisfies BenchRow]
          : []),
        { measure: 'spawn + kill + wait, detached, three pipes: execa 9 as daemon-steps calls it', ours: median(viaExeca), against: { name: "Node's spawn, the same", value: median(viaNode) }, unit: 'ms' },
        { measure: '`there is no "X" process`, median', ours: median(noProcess), against: { name: 'ps-list 9 + filter', value: median(withPsList) }, unit: 'ms', goal: '< 30 ms', met: median(noProcess) < 30 },
      ];
    } finally {
      await Promise.all([mine.dispose(), theirs.dispose()]);
    }
  },
};

/**
 * Stopping, measured: a daemon that exits on SIGTERM (beside Subplot's stop, reimplemented as it
 * is: SIGTERM, then a check once a second), one that ignores SIGTERM, a teardown of twenty (beside
 * the same stops one after another), and the reaper's reaction to a runner killed with SIGKILL.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { DaemonScope, MARKER_VARIABLE, resolveConfig, waitFor } from '../../helpers/index.js';
import { isAlive, listPids, readEnvironmentVariable } from '../../helpers/containment/proc.js';
import { median } from './measure.js';
import type { BenchRow, BenchSection } from './table.js';

const fixtures = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../features/fixtures');
const GRACE_MS = 1000;
const STUBBORN = `${fixtures}/stubborn-tree.py`;

async function timed(action: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await action();
  return performance.now() - started;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Subplot's lib/daemon `daemon_stop`, as it is: SIGTERM to the pid, then kill(pid, 0) once a second until it fails. */
async function subplotStop(pid: number): Promise<void> {
  process.kill(pid, 'SIGTERM');
  for (;;) {
    try {
      process.kill(pid, 0);
    } catch {
      return;
    }
    await sleep(1000);
  }
}

async function subplotStopOfQuickDaemon(): Promise<number> {
  const child = spawn('sleep', ['1000'], { stdio: 'ignore' });
  await once(child, 'spawn');
  return timed(() => subplotStop(child.pid!));
}

function newScope(): DaemonScope {
  return new DaemonScope({ label: 'bench stop', config: resolveConfig({ stopGrace: GRACE_MS / 1000 }) });
}

/** Ten daemons that exit on SIGTERM and ten families that ignore it (each: daemon, child, grandchild, setsid orphan). */
async function startTwenty(scope: DaemonScope, round: number) {
  return Promise.all(
    Array.from({ length: 20 }, (_, i) =>
      i % 2 === 0
        ? scope.start({ name: `quick-${round}-${i}`, command: 'sleep 1000' })
        : scope.start({ name: `stubborn-${round}-${i}`, command: STUBBORN, ready: [waitFor.output('family ready', 'stdout')] }),
    ),
  );
}

function processesOf(runId: string): number {
  return listPids().filter((pid) => readEnvironmentVariable(pid, MARKER_VARIABLE)?.startsWith(`${runId}:`) && isAlive(pid)).length;
}

/** From SIGKILL to a runner (engine only, no cucumber) until its SIGTERM-ignoring family is gone. */
async function reaperAfterSigkill(): Promise<number> {
  const runner = spawn(process.execPath, [path.join(fixtures, 'engine-runner.mjs'), 'idle'], { stdio: ['ignore', 'pipe', 'ignore'] });
  const [line] = (await once(createInterface({ input: runner.stdout! }), 'line')) as [string];
  const { runId } = JSON.parse(line) as { runId: string };
  const elapsed = await timed(async () => {
    runner.kill('SIGKILL');
    while (processesOf(runId) > 0) await sleep(2);
  });
  // A killed runner cannot remove its workspace.
  rmSync(path.join(os.tmpdir(), `daemon-steps-${runId}`), { recursive: true, force: true });
  return elapsed;
}

export const stopSection: BenchSection = {
  title: 'stopping (grace 1 s)',
  async run(): Promise<BenchRow[]> {
    const scope = newScope();
    try {
      const quick: number[] = [];
      for (let i = 0; i < 20; i++) {
        const daemon = await scope.start({ name: `sleeper-${i}`, command: 'sleep 1000' });
        quick.push(await timed(() => daemon.stop({ graceMs: GRACE_MS })));
      }
      const subplot: number[] = [];
      for (let i = 0; i < 5; i++) subplot.push(await subplotStopOfQuickDaemon());

      const stubborn: number[] = [];
      for (let i = 0; i < 3; i++) {
        const daemon = await scope.start({ name: `stubborn-${i}`, command: STUBBORN, ready: [waitFor.output('family ready', 'stdout')] });
        stubborn.push(await timed(() => daemon.stop({ graceMs: GRACE_MS })));
      }

      const teardowns: number[] = [];
      for (let round = 0; round < 3; round++) {
        const twenty = newScope();
        await startTwenty(twenty, round);
        teardowns.push(await timed(() => twenty.stopAll()));
        await twenty.dispose();
      }
      const oneByOne = newScope();
      const daemons = await startTwenty(oneByOne, 0);
      const sequential = await timed(async () => {
        for (const daemon of daemons) await daemon.stop({ graceMs: GRACE_MS });
      });
      await oneByOne.dispose();

      const reaper: number[] = [];
      for (let i = 0; i < 3; i++) reaper.push(await reaperAfterSigkill());

      const ms = (value: number) => `${Math.round(value)} ms`;
      return [
        {
          measure: 'stop, daemon exits on SIGTERM (median of 20)',
          ours: median(quick),
          against: { name: "Subplot's stop: SIGTERM, check each 1 s (median of 5)", value: median(subplot) },
          unit: 'ms',
          goal: '< 20 ms',
          met: median(quick) < 20,
        },
        {
          measure: "stop, a family ignoring SIGTERM (median of 3; Subplot's never returns)",
          ours: median(stubborn),
          unit: 'ms',
          goal: `< ${ms(GRACE_MS + 50)}`,
          met: median(stubborn) < GRACE_MS + 50,
        },
        {
          measure: 'teardown, 20 daemons, 10 families ignore SIGTERM (median of 3)',
          ours: median(teardowns),
          against: { name: 'the same stops one after another', value: sequential },
          unit: 'ms',
          goal: `< ${ms(GRACE_MS + 300)}`,
          met: median(teardowns) < GRACE_MS + 300,
        },
        {
          measure: 'reaper: runner SIGKILLed, until its family is gone (median of 3)',
          ours: median(reaper),
          unit: 'ms',
          goal: '< 2000 ms',
          met: median(reaper) < 2000,
        },
      ];
    } finally {
      await scope.dispose();
    }
  },
};

/**
 * Output at scale: a daemon writes 1 GiB of log lines. How much does the runner's memory grow
 * while daemon-steps takes it in (to files, and to the combined log), and how long does `contains`
 * take on it — beside a runner that keeps the output in memory. Each is measured in a fresh Node
 * process (this file run as a script), so one measurement's heap cannot colour another's, three
 * times each, taking turns; the median time and the largest growth are shown. A gigabyte written
 * to new pages of the page cache varies by a second from one run to the next on a virtual machine,
 * for both alike.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { DaemonScope, expectOutputContains, parseText } from '../../helpers/index.js';
import { removeRunDirectoryIfEmpty } from '../../helpers/workspace/workspace.js';
import { median, monotonicMs } from './measure.js';
import type { BenchRow, BenchSection } from './table.js';

const GIB = 1 << 30;
const TRIALS = 3;
const LOUD = `sh -c 'yes "2024-05-01T12:00:00Z INFO request handled in 3 ms: GET /api/items?page=2 200" | head -c ${GIB}; echo; echo THE END'`;

interface VolumeFigures {
  growthMiB: number;
  seconds: number;
  containsMs?: number;
}

/** Samples the RSS every 10 ms while `work` runs; the growth over the RSS before it. */
async function rssGrowth<T>(work: () => Promise<T>): Promise<{ growthMiB: number; result: T }> {
  const baseline = process.memoryUsage.rss();
  let peak = baseline;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage.rss())), 10);
  try {
    const result = await work();
    peak = Math.max(peak, process.memoryUsage.rss());
    return { growthMiB: (peak - baseline) / (1 << 20), result };
  } finally {
    clearInterval(sampler);
  }
}

async function measureOurs(): Promise<VolumeFigures> {
  const scope = new DaemonScope({ label: 'bench-gigabyte' });
  try {
    // Warm up the code paths (and the allocator) on a little output first.
    await scope.run({ name: 'warm', command: `sh -c 'yes warming up | head -c 8000000'` });
    const started = monotonicMs();
    const { growthMiB, result: loud } = await rssGrowth(async () => {
      const daemon = await scope.run({ name: 'loud', command: LOUD, timeout: 600_000 });
      await expectOutputContains(daemon, 'stdout', parseText('THE END\\n'));
      return daemon;
    });
    const seconds = (monotonicMs() - started) / 1000;
    const searchStarted = monotonicMs();
    await expectOutputContains(loud, 'stdout', parseText('not in there'), false);
    return { growthMiB, seconds, containsMs: monotonicMs() - searchStarted };
  } finally {
    await scope.dispose();
    removeRunDirectoryIfEmpty();
  }
}

/** What a runner that keeps a daemon's output in memory (an array of chunks) costs. */
async function measureInMemory(): Promise<VolumeFigures> {
  const started = monotonicMs();
  const { growthMiB } = await rssGrowth(
    () =>
      new Promise<void>((resolve, reject) => {
        const chunks: Buffer[] = [];
        const child = spawn('sh', ['-c', LOUD.slice("sh -c '".length, -1)], { stdio: ['ignore', 'pipe', 'ignore'] });
        child.stdout.on('data', (chunk: Buffer) => chunks.push(chunk));
        child.once('error', reject);
        child.once('close', () => (Buffer.concat(chunks.slice(-1)).includes('THE END') ? resolve() : reject(new Error('output incomplete'))));
      }),
  );
  return { growthMiB, seconds: (monotonicMs() - started) / 1000 };
}

function inChildProcess(which: 'ours' | 'in-memory'): Promise<VolumeFigures> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [fileURLToPath(import.meta.url), which], { stdio: ['ignore', 'pipe', 'inherit'] });
    let text = '';
    child.stdout.on('data', (chunk: Buffer) => (text += chunk));
    child.once('close', (code) => (code === 0 ? resolve(JSON.parse(text) as VolumeFigures) : reject(new Error(`${which}: exited with ${code}`))));
  });
}

export const outputVolumeSection: BenchSection = {
  title: 'output at scale: a daemon writes 1 GiB of log lines',
  async run(): Promise<BenchRow[]> {
    const trials: Array<{ ours: VolumeFigures; inMemory: VolumeFigures }> = [];
    for (let i = 0; i < TRIALS; i++) trials.push({ ours: await inChildProcess('ours'), inMemory: await inChildProcess('in-memory') });
    const summaryOf = (pick: (trial: (typeof trials)[number]) => VolumeFigures): VolumeFigures => ({
      // Memory is held to its worst trial, time to the median.
      growthMiB: Math.max(...trials.map((trial) => pick(trial).growthMiB)),
      seconds: median(trials.map((trial) => pick(trial).seconds)),
      containsMs: median(trials.map((trial) => pick(trial).containsMs ?? 0)),
    });
    const ours = summaryOf((trial) => trial.ours);
    const inMemory = summaryOf((trial) => trial.inMemory);
    return [
      { measure: `runner RSS growth while taking in 1 GiB (largest of ${TRIALS})`, ours: ours.growthMiB, against: { name: 'keeping it in memory', value: inMemory.growthMiB }, unit: 'MiB', goal: '< 64 MiB', met: ours.growthMiB < 64 },
      {
        measure: `time to take in 1 GiB (files + combined log; median of ${TRIALS})`,
        ours: ours.seconds * 1000,
        against: { name: 'keeping it in memory', value: inMemory.seconds * 1000 },
        unit: 'ms',
        goal: '≤ 2500 ms',
        met: ours.seconds <= 2.5,
      },
      { measure: '`doesn’t contain` over all of 1 GiB', ours: ours.containsMs!, unit: 'ms' },
    ];
  },
};

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const figures = process.argv[2] === 'ours' ? await measureOurs() : await measureInMemory();
  process.stdout.write(JSON.stringify(figures));
}

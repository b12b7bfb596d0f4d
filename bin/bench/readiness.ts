/**
 * Readiness: how late each tool notices that a port has opened (or that the daemon died), and what
 * the waiting costs in CPU. The same daemon for all: it binds at once, listens (or dies) after a
 * delay, and notes the moment.
 */
import waitOn from 'wait-on';
import { allocateFreePort, DaemonScope } from '../../helpers/index.js';
import { realClock } from '../../helpers/supervision/clock.js';
import { tryConnect } from '../../helpers/readiness/tcp.js';
import { BenchDaemons, cpuShare, median, monotonicMs, percentile, randomDelayMs } from './measure.js';
import type { BenchRow, BenchSection } from './table.js';

const LATENCY_TRIALS = { ours: 40, waitOn: 8, poll: 20 };
const CPU_TRIALS = 3;
const SLOW_START_MS = 2000;
const WAIT_ON_TIMEOUT_MS = 2000;

/** The plain loop many suites write: try to connect, sleep 100 ms, try again. */
async function pollEvery100ms(port: number): Promise<void> {
  for (;;) {
    if ((await tryConnect('127.0.0.1', port, 1000)).connected) return;
    await realClock.sleep(100);
  }
}

export const readinessSection: BenchSection = {
  title: 'readiness: a port that opens, a daemon that dies',
  async run(): Promise<BenchRow[]> {
    const daemons = new BenchDaemons();
    const scope = new DaemonScope({ label: 'bench-readiness' });
    let count = 0;
    const ours = async (delayMs: number, mode: 'quiet' | 'chatty' | 'die' = 'quiet') => {
      count += 1;
      const name = `d${count}`;
      const { argv, stamp } = daemons.command(0, delayMs, mode);
      argv[2] = `\${${name}.port}`;
      return { daemon: await scope.spawn({ name, command: argv.join(' '), port: 'free' }), stamp };
    };
    const theirs = async (delayMs: number, mode: 'quiet' | 'die' = 'quiet') => {
      const port = await allocateFreePort();
      const { argv, stamp } = daemons.command(port, delayMs, mode);
      return { child: daemons.spawn(argv), port, stamp };
    };
    try {
      const latency = { ours: [] as number[], waitOn: [] as number[], poll: [] as number[] };
      for (let i = 0; i < LATENCY_TRIALS.ours; i++) {
        const { daemon, stamp } = await ours(randomDelayMs());
        await daemon.waitUntilReady({ timeout: 10_000 });
        latency.ours.push(monotonicMs() - daemons.moment(stamp));
        await daemon.stop({ graceMs: 1000 });
      }
      for (let i = 0; i < LATENCY_TRIALS.waitOn; i++) {
        const { child, port, stamp } = await theirs(randomDelayMs());
        await waitOn({ resources: [`tcp:127.0.0.1:${port}`] });
        latency.waitOn.push(monotonicMs() - daemons.moment(stamp));
        await daemons.stop(child);
      }
      for (let i = 0; i < LATENCY_TRIALS.poll; i++) {
        const { child, port, stamp } = await theirs(randomDelayMs());
        await pollEvery100ms(port);
        latency.poll.push(monotonicMs() - daemons.moment(stamp));
        await daemons.stop(child);
      }

      const cpu = { ours: [] as number[], chatty: [] as number[], captureOnly: [] as number[], waitOn: [] as number[], poll: [] as number[] };
      const slowLatency: number[] = [];
      for (let i = 0; i < CPU_TRIALS; i++) {
        const quiet = await ours(SLOW_START_MS);
        cpu.ours.push((await cpuShare(() => quiet.daemon.waitUntilReady({ timeout: 10_000 }))).percent);
        slowLatency.push(monotonicMs() - daemons.moment(quiet.stamp));
        await quiet.daemon.stop({ graceMs: 1000 });
        const chatty = await ours(SLOW_START_MS, 'chatty');
        cpu.chatty.push((await cpuShare(() => chatty.daemon.waitUntilReady({ timeout: 10_000 }))).percent);
        await chatty.daemon.stop({ graceMs: 1000 });
        // The same output taken in with nothing to wait for: what capturing it costs by itself.
        count += 1;
        const { argv } = daemons.command(0, SLOW_START_MS, 'chatty');
        argv[2] = String(await allocateFreePort());
        const capturing = await scope.spawn({ name: `d${count}`, command: argv.join(' ') });
        cpu.captureOnly.push((await cpuShare(() => realClock.sleep(SLOW_START_MS))).percent);
        await capturing.stop({ graceMs: 1000 });
        const waiting = await theirs(SLOW_START_MS);
        cpu.waitOn.push((await cpuShare(() => waitOn({ resources: [`tcp:127.0.0.1:${waiting.port}`] }))).percent);
        await daemons.stop(waiting.child);
        const polling = await theirs(SLOW_START_MS);
        cpu.poll.push((await cpuShare(() => pollEvery100ms(polling.port))).percent);
        await daemons.stop(polling.child);
      }

      const death = { ours: [] as number[], waitOn: [] as number[] };
      for (let i = 0; i < 20; i++) {
        const { daemon, stamp } = await ours(randomDelayMs(), 'die');
        await daemon.waitUntilReady({ timeout: 60_000 }).then(
          () => Promise.reject(new Error('a daemon that died was reported ready')),
          () => undefined,
        );
        death.ours.push(monotonicMs() - daemons.moment(stamp));
      }
      for (let i = 0; i < 2; i++) {
        const { child, port, stamp } = await theirs(randomDelayMs(), 'die');
        await waitOn({ resources: [`tcp:127.0.0.1:${port}`], timeout: WAIT_ON_TIMEOUT_MS }).catch(() => undefined);
        death.waitOn.push(monotonicMs() - daemons.moment(stamp));
        await daemons.stop(child);
      }

      const waitOnName = 'wait-on 9 (defaults)';
      const pollName = 'connect every 100 ms';
      return [
        { measure: 'port opens → noticed, median', ours: median(latency.ours), against: { name: waitOnName, value: median(latency.waitOn) }, unit: 'ms', goal: '< 2 ms', met: median(latency.ours) < 2 },
        { measure: 'port opens → noticed, median', ours: median(latency.ours), against: { name: pollName, value: median(latency.poll) }, unit: 'ms' },
        { measure: 'port opens → noticed, p95', ours: percentile(latency.ours, 0.95), against: { name: waitOnName, value: percentile(latency.waitOn, 0.95) }, unit: 'ms', goal: '< 10 ms', met: percentile(latency.ours, 0.95) < 10 },
        { measure: 'port opens → noticed, p95', ours: percentile(latency.ours, 0.95), against: { name: pollName, value: percentile(latency.poll, 0.95) }, unit: 'ms' },
        { measure: `CPU while waiting ${SLOW_START_MS / 1000} s for a port`, ours: median(cpu.ours), against: { name: waitOnName, value: median(cpu.waitOn) }, unit: '%', goal: '< 3 %', met: median(cpu.ours) < 3 },
        { measure: `CPU while waiting ${SLOW_START_MS / 1000} s for a port`, ours: median(cpu.ours), against: { name: pollName, value: median(cpu.poll) }, unit: '%' },
        { measure: `port opens after ${SLOW_START_MS / 1000} s → noticed, median`, ours: median(slowLatency), unit: 'ms' },
        { measure: `… the daemon printing a line every ms`, ours: median(cpu.chatty), against: { name: 'taking in that output alone', value: median(cpu.captureOnly) }, unit: '%' },
        { measure: 'daemon dies → start fails, median', ours: median(death.ours), against: { name: `wait-on (timeout ${WAIT_ON_TIMEOUT_MS / 1000} s)`, value: median(death.waitOn) }, unit: 'ms', goal: '< 50 ms', met: median(death.ours) < 50 },
        { measure: 'daemon dies → start fails, worst of 20', ours: Math.max(...death.ours), unit: 'ms', goal: '< 50 ms', met: Math.max(...death.ours) < 50 },
      ];
    } finally {
      await scope.dispose();
      daemons.remove();
    }
  },
};

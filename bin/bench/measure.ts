/**
 * What the benchmark sections share: statistics, CPU accounting, and a daemon that takes a while
 * before it listens (or dies), noting the exact moment on the monotonic clock that Node's
 * `process.hrtime` also reads, so "noticed N ms after it listened" is measured, not guessed.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil(p * sorted.length) - 1)]!;
}

export const median = (values: number[]) => percentile(values, 0.5);

/** Monotonic milliseconds, the same clock as Python's time.monotonic_ns(). */
export function monotonicMs(): number {
  return Number(process.hrtime.bigint()) / 1e6;
}

/** CPU time (user + system) this process spent while `work` ran, as a share of the wall time. */
export async function cpuShare<T>(work: () => Promise<T>): Promise<{ percent: number; wallMs: number; result: T }> {
  const cpuBefore = process.cpuUsage();
  const started = monotonicMs();
  const result = await work();
  const wallMs = monotonicMs() - started;
  const cpu = process.cpuUsage(cpuBefore);
  return { percent: ((cpu.user + cpu.system) / 1000 / wallMs) * 100, wallMs, result };
}

const DAEMON = String.raw`
import os, socket, sys, time
port, delay_ms, stamp, mode = int(sys.argv[1]), float(sys.argv[2]), sys.argv[3], sys.argv[4]
began = time.monotonic()
listener = socket.socket()
listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
listener.bind(("127.0.0.1", port))  # bound but not listening: connections are refused
while time.monotonic() - began < delay_ms / 1000:
    if mode == "chatty":
        print("still starting up, please wait", flush=True)
        time.sleep(0.001)
    else:
        time.sleep(max(0, delay_ms / 1000 - (time.monotonic() - began)))
with open(stamp, "w") as f:
    f.write(str(time.monotonic_ns()))  # noted just before, so a latency is never understated
if mode == "die":
    os._exit(3)
listener.listen()
while True:
    connection, _ = listener.accept()
    connection.close()
`;

/** A scratch directory with the daemon script, and the real Python (not a shim that costs a shell). */
export class BenchDaemons {
  readonly directory = mkdtempSync(path.join(os.tmpdir(), 'daemon-steps-bench-'));
  readonly script = path.join(this.directory, 'listen-later.py');
  readonly python = execFileSync('python3', ['-c', 'import sys; print(sys.executable)'], { encoding: 'utf8' }).trim();
  private counter = 0;

  constructor() {
    writeFileSync(this.script, DAEMON);
  }

  /** A command line that listens on `port` after `delayMs` (or dies, or chatters first), and where it notes when. */
  command(port: number, delayMs: number, mode: 'quiet' | 'chatty' | 'die' = 'quiet'): { argv: string[]; stamp: string } {
    this.counter += 1;
    const stamp = path.join(this.directory, `moment-${this.counter}`);
    return { argv: [this.python, this.script, String(port), String(delayMs), stamp, mode], stamp };
  }

  /** When the daemon listened (or died), in monotonic ms. */
  moment(stamp: string): number {
    return Number(BigInt(readFileSync(stamp, 'utf8').trim())) / 1e6;
  }

  /** Spawns a command outside daemon-steps, for the tools we compare with. */
  spawn(argv: string[]): ChildProcess {
    return spawn(argv[0]!, argv.slice(1), { stdio: 'ignore' });
  }

  async stop(child: ChildProcess): Promise<void> {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = once(child, 'exit');
    child.kill('SIGKILL');
    await exited;
  }

  remove(): void {
    rmSync(this.directory, { recursive: true, force: true });
  }
}

/** A delay that puts the moment a daemon listens at a random point of any poll cycle. */
export function randomDelayMs(): number {
  return 50 + Math.random() * 100;
}

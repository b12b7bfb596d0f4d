import { mkdirSync, openSync, closeSync, writeSync, readFileSync, unlinkSync, readdirSync, readlinkSync, statSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { isAlive, listPids, readCommandLine, hasProcFs } from './proc.js';
import { thisRun } from './marker.js';
import { DaemonStepsError, PortReservedError } from './errors.js';
import { realClock, type Clock } from './clock.js';

const lockDirectory = path.join(os.tmpdir(), 'daemon-steps-ports');
/** Ports this process holds: free ones handed out (kept until it exits) and fixed reservations. */
const freeHere = new Set<number>();
const reservedHere = new Set<number>();

/**
 * A port nobody uses, and never the same one twice in a run: the kernel picks a free port, and a
 * lock file per port (created exclusively, naming its owner) keeps parallel workers and concurrent
 * runs on this machine from being handed the same one. Locks are held until this process exits;
 * one whose owner has died is taken over.
 */
export async function allocateFreePort(host = '127.0.0.1'): Promise<number> {
  mkdirSync(lockDirectory, { recursive: true });
  for (let attempt = 0; attempt < 50; attempt++) {
    const port = await askKernelForPort(host);
    if (freeHere.has(port) || reservedHere.has(port) || !lockPort(port)) continue;
    freeHere.add(port);
    releaseAllPortsOnExit();
    return port;
  }
  throw new DaemonStepsError(`could not find a free port on ${host} after 50 attempts; is the machine out of ports?`);
}

/**
 * Reserves a fixed port (`, on port 8888`) for one scope, machine-wide: another scope, another
 * worker under --parallel or another run that wants the same port waits until it is released
 * (at most `waitMs`), so scenarios that hard-code a port take turns instead of failing at random.
 * Returns the release.
 */
export async function reserveFixedPort(port: number, waitMs: number, clock: Clock = realClock): Promise<() => void> {
  // A free port this run handed out is ours already: waiting for it could only time out. Whether
  // it is in use is for the caller's busy-port check to say, naming the holder.
  if (freeHere.has(port)) return () => undefined;
  mkdirSync(lockDirectory, { recursive: true });
  const deadline = clock.now() + waitMs;
  let interval = 5;
  while (reservedHere.has(port) || !lockPort(port)) {
    if (clock.now() >= deadline) {
      const owner = describeLockOwner(port);
      throw new PortReservedError(
        port,
        owner,
        waitMs <= 0
          ? `port ${port} is reserved by ${owner}`
          : `port ${port} has been reserved by ${owner} for more than ${waitMs / 1000} s; ` +
            'scenarios that share a fixed port take turns — let that one finish, or use ", on a free port"',
      );
    }
    await clock.sleep(interval);
    interval = Math.min(interval * 2, 50);
  }
  return holdReservation(port);
}

/**
 * Reserves a port machine-wide if nobody (this run, another worker, another run) holds it, without
 * waiting: the release, or undefined when it is taken. Whether something listens on it is the
 * caller's question (`isPortInUse`).
 */
export function tryReservePort(port: number): (() => void) | undefined {
  mkdirSync(lockDirectory, { recursive: true });
  if (freeHere.has(port) || reservedHere.has(port) || !lockPort(port)) return undefined;
  return holdReservation(port);
}

function holdReservation(port: number): () => void {
  reservedHere.add(port);
  releaseAllPortsOnExit();
  let released = false;
  return () => {
    if (released) return;
    released = true;
    reservedHere.delete(port);
    unlinkQuietly(lockPath(port));
  };
}

function describeLockOwner(port: number): string {
  if (reservedHere.has(port)) return 'another scenario of this run';
  try {
    const pid = Number(readFileSync(lockPath(port), 'utf8').trim().split(' ')[0]);
    if (!pid) return 'another run';
    return `another run (pid ${pid}: ${readCommandLine(pid) || 'unknown command'})`;
  } catch {
    return 'another run';
  }
}

let releaseRegistered = false;

function releaseAllPortsOnExit(): void {
  if (releaseRegistered) return;
  releaseRegistered = true;
  process.once('exit', () => {
    for (const port of [...freeHere, ...reservedHere]) unlinkQuietly(lockPath(port));
  });
}

function askKernelForPort(host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.once('error', reject);
    server.listen({ host, port: 0, exclusive: true }, () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no address'))));
    });
  });
}

function lockPath(port: number): string {
  return path.join(lockDirectory, `${port}.lock`);
}

function lockPort(port: number): boolean {
  const file = lockPath(port);
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(file, 'wx');
      writeSync(fd, `${thisRun.pid} ${thisRun.startTime}\n`);
      closeSync(fd);
      return true;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      if (!isStaleLock(file)) return false;
      unlinkQuietly(file);
    }
  }
  return false;
}

/** A lock without a readable owner is being written right now, unless it has been so for this long. */
const UNFINISHED_LOCK_MS = 10_000;

function isStaleLock(file: string): boolean {
  try {
    const [pid, startTime] = readFileSync(file, 'utf8').trim().split(' ').map(Number);
    if (!pid || !Number.isInteger(pid)) return Date.now() - statSync(file).mtimeMs > UNFINISHED_LOCK_MS;
    return !isAlive(pid, startTime);
  } catch {
    return false;
  }
}

function unlinkQuietly(file: string): void {
  try {
    unlinkSync(file);
  } catch {
    // already gone
  }
}

/** Whether something already listens on host:port (we try to bind it ourselves). */
export function isPortInUse(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.once('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EADDRINUSE' || error.code === 'EACCES') resolve(true);
      else reject(error);
    });
    server.listen({ host, port, exclusive: true }, () => server.close(() => resolve(false)));
  });
}

/** Whether host:port accepts a TCP connection now. */
export function isPortOpen(port: number, host = '127.0.0.1', timeoutMs = 1000): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    const done = (open: boolean) => {
      socket.destroy();
      resolve(open);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

/** "pid 123 (python3 -m http.server 8080)" for the process listening on a TCP port, where Linux tells. */
export function describePortHolder(port: number): string | undefined {
  if (!hasProcFs) return undefined;
  const inodes = new Set<string>();
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let text: string;
    try {
      text = readFileSync(table, 'utf8');
    } catch {
      continue;
    }
    for (const line of text.split('\n').slice(1)) {
      const fields = line.trim().split(/\s+/);
      const local = fields[1];
      if (!local || fields[3] !== '0A') continue;
      if (parseInt(local.split(':')[1] ?? '', 16) === port) inodes.add(fields[9]!);
    }
  }
  if (inodes.size === 0) return undefined;
  for (const pid of listPids()) {
    let fds: string[];
    try {
      fds = readdirSync(`/proc/${pid}/fd`);
    } catch {
      continue;
    }
    for (const fd of fds) {
      let target: string;
      try {
        target = readlinkSync(`/proc/${pid}/fd/${fd}`);
      } catch {
        continue;
      }
      const inode = /^socket:\[(\d+)\]$/.exec(target)?.[1];
      if (inode && inodes.has(inode)) return `pid ${pid} (${readCommandLine(pid) || 'unknown command'})`;
    }
  }
  return undefined;
}

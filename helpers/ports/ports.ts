import { sayRemedy, wording } from '../remedies.js';
import { readFileSync, readdirSync, readlinkSync, unlinkSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { DaemonStepsError, PortReservedError, UnsafeDirectoryError } from '../errors.js';
import { claimLockFile, readLockFile } from './lock-file.js';
import { ensurePrivateDirectory } from '../workspace/private-directory.js';
import { listPids, readCommandLine } from '../containment/proc.js';
import { canBind, resolveHost, tryConnect } from '../readiness/tcp.js';
import { Backoff, pollUntil } from '../readiness/poll.js';
import { settleWait, type WaitOptions } from '../readiness/wait-options.js';
import { readTcpSockets, TCP_LISTEN } from './tcp-table.js';

/**
 * Ports are one namespace per machine, so their locks are kept in one place per machine and user:
 * under /tmp whatever TMPDIR says (two CI jobs that each set their own TMPDIR still share the
 * ports), and under the temporary directory only where /tmp cannot be used. Per user, in a
 * directory only that user can use: in a directory everyone may write, another user could plant a
 * link that redirects our lock files, or a FIFO that blocks whoever reads it.
 */
let lockDirectory: string | undefined;

/**
 * Ports this process holds a lock for. `owner` is the scope using it now (undefined once that
 * scope has ended); `untilExit` marks ports handed out as free ports, which stay locked until the
 * process exits so that no scenario of this run, in any worker, is given one twice.
 */
const held = new Map<number, { owner: string | undefined; untilExit: boolean }>();

export interface FreePortOptions {
  /** The scope that will use the port (its marker); a fixed-port reservation by the same scope is not kept waiting. */
  owner?: string;
  /** Where to look, inclusive; default: below the kernel's ephemeral range (see `freePortRange`). */
  range?: readonly [number, number];
}

/**
 * A port nobody uses, and never the same one twice in a run, even across `--parallel` workers and
 * several runs on one machine: a lock file per port (created exclusively, naming its owner process)
 * is taken before the port is checked, and held until this process exits. Locks whose owner has
 * died are taken over.
 *
 * Ports are chosen at random *below* the kernel's ephemeral range (by default 20000 to 32767 on
 * Linux): the kernel hands out ephemeral ports to every outgoing connection, so a port picked from
 * that range can be taken by some client's connection before the daemon binds it.
 */
export async function allocateFreePort(host = '127.0.0.1', options: FreePortOptions = {}): Promise<number> {
  const addresses = await bindCheckAddresses(host);
  const range = options.range ?? freePortRange();
  const attempts = range ? Math.min(400, range[1] - range[0] + 1) : 50;
  const first = range ? randomPort(range) : 0;
  for (let attempt = 0; attempt < attempts; attempt++) {
    // From a random start, every port of the range in turn (wrapping), so a crowded range is still searched whole.
    const port = range ? range[0] + ((first - range[0] + attempt) % (range[1] - range[0] + 1)) : await askKernelForPort(addresses[0]!);
    if (held.has(port) || !lockPort(port)) continue;
    if (!(await isUnusedOn(port, addresses))) {
      unlinkQuietly(lockPath(port));
      continue;
    }
    hold(port, { owner: options.owner, untilExit: true });
    return port;
  }
  const where = range ? `between ${range[0]} and ${range[1]}` : 'from the kernel';
  throw new DaemonStepsError(`could not find a free port on ${host} ${where} after ${attempts} attempt${attempts === 1 ? '' : 's'}; is the machine out of ports?`);
}

/** Where free ports are chosen: below the ephemeral range, or above it, or (undefined) let the kernel choose. */
export function freePortRange(): [number, number] | undefined {
  const [low, high] = ephemeralRange();
  const floor = 20000;
  if (low - 1 - floor >= 1000) return [floor, low - 1];
  if (65535 - (high + 1) >= 1000) return [high + 1, 65535];
  return undefined;
}

function ephemeralRange(): [number, number] {
  try {
    const [low, high] = readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/).map(Number);
    if (low && high) return [low, high];
  } catch {
    // not Linux
  }
  return [49152, 65535]; // IANA's, used by macOS and Windows
}

function randomPort([low, high]: readonly [number, number]): number {
  return low + Math.floor(Math.random() * (high - low + 1));
}

/** The addresses a daemon on `host` could bind, and the wildcard: a port is free only if it is free on all. */
async function bindCheckAddresses(host: string): Promise<string[]> {
  const addresses = await resolveHost(host);
  return [...new Set([...addresses, '0.0.0.0', ...(addresses.some((a) => net.isIPv6(a)) ? ['::'] : [])])];
}

async function isFreeOn(port: number, addresses: string[]): Promise<boolean> {
  for (const address of addresses) if (!(await canBind(address, port))) return false;
  return true;
}

/**
 * Free to hand out: no socket in any state uses the port (where Linux lists them), and it can be
 * bound on each address. Binding alone is not enough: Node binds with SO_REUSEADDR, which succeeds
 * on a port in TIME_WAIT (a connection this side closed first, such as one of our own probes), and a
 * daemon that binds without SO_REUSEADDR would then fail with EADDRINUSE.
 */
async function isUnusedOn(port: number, addresses: string[]): Promise<boolean> {
  if (readTcpSockets()?.some((socket) => socket.localPort === port)) return false;
  return isFreeOn(port, addresses);
}

/**
 * Reserves a fixed port (`, on port 8888`) for one scope, across this user's runs: another scope,
 * another worker under --parallel or another run that wants the same port waits until it is
 * released (at most `timeout`, default 0: no wait), so scenarios that hard-code a port take turns
 * instead of failing at random. A port the same scope (`owner`) already holds (e.g. another
 * daemon's free port) is not waited for. Returns the release.
 */
export async function reserveFixedPort(port: number, options: WaitOptions & { owner?: string } = {}): Promise<() => void> {
  const [{ owner }, { timeoutMs: waitMs, signal, clock }] = [options, settleWait(options, 0)];
  const reserved = await pollUntil(
    () => {
      const mine = held.get(port);
      if (mine && (mine.owner === undefined || mine.owner === owner)) {
        mine.owner = owner;
        return true;
      }
      if (!mine && lockPort(port)) {
        hold(port, { owner, untilExit: false });
        return true;
      }
      return undefined;
    },
    { timeoutMs: waitMs, clock, signal, awaited: `port ${port} to be released by whoever reserved it`, backoff: new Backoff(5) },
  );
  if (!reserved) {
    const holder = describeLockOwner(port);
    throw new PortReservedError(
      port,
      holder,
      waitMs <= 0
        ? `port ${port} is reserved by ${holder}`
        : `port ${port} has been reserved by ${holder} for more than ${waitMs / 1000} s; ` +
          sayRemedy({ kind: 'take-turns-on-fixed-port' }),
    );
  }
  return releaseOnce(port, owner);
}

/**
 * Reserves a port across this user's runs if nobody (this run, another worker, another run) holds
 * it, without waiting: the release, or undefined when it is taken. Whether something listens on it
 * is the caller's question (`isPortInUse`).
 */
export function tryReservePort(port: number, owner?: string): (() => void) | undefined {
  if (held.has(port) || !lockPort(port)) return undefined;
  hold(port, { owner, untilExit: false });
  return releaseOnce(port, owner);
}

/** Ends a scope's use of every port it holds: fixed ports are unlocked, free ports stay locked until exit. */
export function releasePorts(owner: string): void {
  for (const [port, entry] of held) if (entry.owner === owner) releasePort(port, owner);
}

/** The release of one reservation: the first call releases, later ones do nothing. */
function releaseOnce(port: number, owner: string | undefined): () => void {
  let released = false;
  return () => {
    if (released) return;
    released = true;
    releasePort(port, owner);
  };
}

function releasePort(port: number, owner: string | undefined): void {
  const entry = held.get(port);
  if (!entry || entry.owner !== owner) return;
  if (entry.untilExit) {
    entry.owner = undefined;
  } else {
    held.delete(port);
    unlinkQuietly(lockPath(port));
  }
}

function hold(port: number, entry: { owner: string | undefined; untilExit: boolean }): void {
  if (held.size === 0) process.once('exit', releaseAllPorts);
  held.set(port, entry);
}

function describeLockOwner(port: number): string {
  if (held.has(port)) return `another ${wording().scope} of this run`;
  const lock = readLockFile(lockPath(port));
  if (lock.kind === 'not-regular') return `${lockPath(port)}, which is ${lock.what}, not a lock file daemon-steps wrote (remove it)`;
  if (lock.kind !== 'read') return 'another run';
  const [pid] = lock.text.trim().split(' ');
  return `another run (pid ${pid}: ${readCommandLine(Number(pid)) || 'unknown command'})`;
}

function releaseAllPorts(): void {
  for (const port of held.keys()) unlinkQuietly(lockPath(port));
  held.clear();
}

function askKernelForPort(address: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.once('error', reject);
    server.listen({ host: address, port: 0, exclusive: true }, () => {
      const bound = server.address();
      server.close(() => (typeof bound === 'object' && bound ? resolve(bound.port) : reject(new Error('no address'))));
    });
  });
}

function lockPath(port: number): string {
  return path.join(lockDirectoryPath(), `${port}.lock`);
}

/** `/tmp/daemon-steps-<uid>/ports`, created private to this user, or refused if it is not. */
export function lockDirectoryPath(): string {
  if (lockDirectory) return lockDirectory;
  const bases = process.platform === 'win32' ? [os.tmpdir()] : ['/tmp', os.tmpdir()];
  const user = process.platform === 'win32' ? os.userInfo().username : String(process.getuid!());
  let failure: unknown;
  for (const base of bases) {
    const userDirectory = path.join(base, `daemon-steps-${user}`);
    const directory = path.join(userDirectory, 'ports');
    try {
      ensurePrivateDirectory(userDirectory);
      ensurePrivateDirectory(directory);
      return (lockDirectory = directory);
    } catch (error) {
      // One that is there but not safe is refused: another base would split the machine's locks.
      if (error instanceof UnsafeDirectoryError) throw error;
      failure = error;
    }
  }
  throw failure;
}

function lockPort(port: number): boolean {
  return claimLockFile(lockPath(port));
}

function unlinkQuietly(file: string): void {
  try {
    unlinkSync(file);
  } catch {
    // already gone
  }
}

/** Whether something already listens on host:port (we try to bind it ourselves, on each address of the host). */
export async function isPortInUse(port: number, host = '127.0.0.1'): Promise<boolean> {
  return !(await isFreeOn(port, await resolveHost(host)));
}

/**
 * Whether a port is free to hand out on host: nothing listens on it, and (on Linux) no other socket
 * uses it either, not even one in TIME_WAIT. `isPortInUse` asks only the first.
 */
export async function isPortFree(port: number, host = '127.0.0.1'): Promise<boolean> {
  return isUnusedOn(port, await resolveHost(host));
}

/** Whether host:port accepts a TCP connection now (on any address of the host). */
export async function isPortOpen(port: number, host = '127.0.0.1', timeoutMs = 1000): Promise<boolean> {
  const outcomes = await Promise.all((await resolveHost(host)).map((address) => tryConnect(address, port, timeoutMs)));
  return outcomes.some((outcome) => outcome.connected);
}

/** "pid 123 (python3 -m http.server 8080)" for the process listening on a TCP port, where Linux tells. */
export function describePortHolder(port: number): string | undefined {
  const listening = readTcpSockets()?.filter((socket) => socket.state === TCP_LISTEN && socket.localPort === port) ?? [];
  if (listening.length === 0) return undefined;
  const inodes = new Set(listening.map((socket) => socket.inode));
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

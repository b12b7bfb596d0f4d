import { DaemonStepsError, InvalidArgumentError } from '../errors.js';
import { isPortFree, tryReservePort } from './ports.js';
import { isPortNumber } from './port-number.js';

export interface PortPoolOptions {
  /** The first port of the pool. Default 20000. */
  base?: number;
  /** How many ports from the base it may hand out. Default 1000. */
  size?: number;
  /** Where "is it free" is checked. Default 127.0.0.1. */
  host?: string;
}

/** A port handed out by a pool, held until released. */
export interface PooledPort {
  readonly port: number;
  release(): void;
}

export const DEFAULT_POOL_BASE = 20000;

/**
 * Ports from a base upwards, the lowest free one first (Showroom's demos: 20000, 20001, …; a
 * released port is handed out again). "Free" means really free: not held by this pool, not
 * reserved by another worker or run on this machine (the lock files of `ports.ts`), and no socket
 * uses it, not even one in TIME_WAIT. Nothing outlives the run: the reservations end with the process.
 */
export class PortPool {
  readonly base: number;
  readonly size: number;
  readonly host: string;

  constructor(options: PortPoolOptions = {}) {
    this.base = options.base ?? DEFAULT_POOL_BASE;
    this.size = options.size ?? 1000;
    this.host = options.host ?? '127.0.0.1';
    if (!isPortNumber(this.base) || !Number.isInteger(this.size) || this.size < 1 || !isPortNumber(this.base + this.size - 1)) {
      throw new InvalidArgumentError(`port pool from ${this.base}, ${this.size} ports: the ports must lie between 1 and 65535`);
    }
  }

  /** The lowest free port of the pool, reserved until `release()`. */
  async acquire(): Promise<PooledPort> {
    for (let port = this.base; port < this.base + this.size; port++) {
      const release = tryReservePort(port);
      if (!release) continue;
      if (!(await isPortFree(port, this.host))) {
        release();
        continue;
      }
      return { port, release };
    }
    throw new DaemonStepsError(
      `no free port left in the pool ${this.base}–${this.base + this.size - 1} on ${this.host}; ` +
        'remove processes you no longer need, or give the pool another base or more ports',
    );
  }
}

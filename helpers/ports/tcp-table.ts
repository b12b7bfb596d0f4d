import { readFileSync } from 'node:fs';
import { hasProcFs } from '../containment/proc.js';

/** A TCP socket as Linux lists it in /proc/net/tcp and /proc/net/tcp6. */
export interface TcpSocket {
  localPort: number;
  /** The kernel's state in hex as listed: '0A' listening, '06' TIME_WAIT, '01' established, … */
  state: string;
  inode: string;
}

export const TCP_LISTEN = '0A';

/**
 * Every TCP socket of this network namespace, IPv4 and IPv6, in any state (those of every user,
 * and those in TIME_WAIT that no process holds any more); undefined where there is no /proc.
 */
export function readTcpSockets(): TcpSocket[] | undefined {
  if (!hasProcFs) return undefined;
  const sockets: TcpSocket[] = [];
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let text: string;
    try {
      text = readFileSync(table, 'utf8');
    } catch {
      continue; // no IPv6 in this kernel
    }
    for (const line of text.split('\n').slice(1)) {
      const fields = line.trim().split(/\s+/);
      const local = fields[1];
      if (!local || fields[3] === undefined || fields[9] === undefined) continue;
      sockets.push({ localPort: parseInt(local.split(':')[1] ?? '', 16), state: fields[3], inode: fields[9] });
    }
  }
  return sockets;
}

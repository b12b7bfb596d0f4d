import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import net from 'node:net';

/**
 * Leaves a real connection in TIME_WAIT on `port` of 127.0.0.1: a listener accepts a connection,
 * the server's side closes first (so the TIME_WAIT is on the listening port, not the client's), the
 * client answers, and the listener is closed. For the next minute or so nothing listens on the port,
 * yet the kernel still has a socket on it.
 */
export async function leaveTimeWait(port: number): Promise<void> {
  const server = net.createServer();
  const accepted = once(server, 'connection') as Promise<[net.Socket]>;
  await new Promise<void>((resolve) => server.listen({ host: '127.0.0.1', port }, resolve));
  // Without allowHalfOpen, the client ends its side as soon as it sees the server's end.
  const client = net.connect({ host: '127.0.0.1', port });
  const [serverSide] = await accepted;
  const bothClosed = Promise.all([once(serverSide, 'close'), once(client, 'close')]);
  serverSide.end();
  await bothClosed;
  await new Promise((resolve) => server.close(resolve));
}

/** The states ('06' is TIME_WAIT) of the TCP sockets on a local port, as /proc/net/tcp lists them. */
export function tcpStatesOn(port: number): string[] {
  const local = `:${port.toString(16).toUpperCase().padStart(4, '0')}`;
  return readFileSync('/proc/net/tcp', 'utf8')
    .split('\n')
    .slice(1)
    .map((line) => line.trim().split(/\s+/))
    .filter((fields) => fields[1]?.endsWith(local))
    .map((fields) => fields[3]!);
}

/**
 * A cap on the connections one client address holds open at once (MAX_CONNECTIONS_PER_IP):
 * a client that opens connections and never finishes its requests can otherwise hold every
 * file descriptor of the process until the timeouts close them (issue 16). Counted per
 * process (each cluster worker holds its own share); off by default, since behind a reverse
 * proxy every connection comes from the proxy's address.
 */
import type { Server } from 'node:http';
import type { Socket } from 'node:net';

/** Closes at once each connection over `limit` from one address; `0` leaves all open. */
export function capConnectionsPerAddress(server: Server, limit: number): void {
  if (limit <= 0) return;
  const open = new Map<string, number>();
  server.on('connection', (socket: Socket) => {
    const address = socket.remoteAddress ?? '';
    const count = open.get(address) ?? 0;
    if (count >= limit) {
      // Nothing is read from it: no answer to write, and no descriptor kept.
      socket.destroy();
      return;
    }
    open.set(address, count + 1);
    socket.once('close', () => {
      const left = (open.get(address) ?? 1) - 1;
      if (left <= 0) open.delete(address);
      else open.set(address, left);
    });
  });
}

/** A TCP port on 127.0.0.1 that was free a moment ago, for a server the benchmark starts. */
import net from 'node:net';

/** Asks the system for a free port and releases it at once. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() =>
        typeof address === 'object' && address
          ? resolve(address.port)
          : reject(new Error('no port')),
      );
    });
  });
}

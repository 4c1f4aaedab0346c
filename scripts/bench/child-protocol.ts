/**
 * The IPC messages between the benchmark and its server processes, and the child side of them.
 * Control goes over IPC rather than HTTP so that the servers expose no extra routes.
 */
import fs from 'node:fs';
import { Session } from 'node:inspector/promises';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';

/** Parent → child. */
export type ControlMessage =
  | { type: 'rss' }
  | { type: 'profile-start' }
  | { type: 'profile-stop'; file: string }
  | { type: 'stop' };

/** Child → parent. */
export type ChildMessage =
  | { type: 'listening'; port: number }
  | { type: 'rss'; rss: number }
  | { type: 'profile-started' }
  | { type: 'profile-stopped'; file: string }
  | { type: 'failed'; message: string };

function send(message: ChildMessage): void {
  if (!process.send) throw new Error('This script is started by scripts/bench.ts (needs IPC).');
  process.send(message);
}

/**
 * Listens on 127.0.0.1 (a free port), tells the parent the port, then answers its control
 * messages until told to stop. The CPU profiler is only started on request, so a normal run
 * pays nothing for it.
 */
export async function serveForBenchmark(app: FastifyInstance, listenPort = 0): Promise<void> {
  await app.listen({ host: '127.0.0.1', port: listenPort });
  const { port } = app.server.address() as AddressInfo;
  let session: Session | undefined;

  process.on('message', (raw: ControlMessage) => {
    void (async () => {
      switch (raw.type) {
        case 'rss':
          send({ type: 'rss', rss: process.memoryUsage().rss });
          return;
        case 'profile-start':
          session = new Session();
          session.connect();
          await session.post('Profiler.enable');
          // 100 µs: fine enough for sub-millisecond handlers, cheap enough not to skew much.
          await session.post('Profiler.setSamplingInterval', { interval: 100 });
          await session.post('Profiler.start');
          send({ type: 'profile-started' });
          return;
        case 'profile-stop': {
          if (!session) return;
          const { profile } = await session.post('Profiler.stop');
          session.disconnect();
          session = undefined;
          fs.writeFileSync(raw.file, JSON.stringify(profile));
          send({ type: 'profile-stopped', file: raw.file });
          return;
        }
        case 'stop':
          await app.close();
          process.exit(0);
      }
    })().catch((error: unknown) => send({ type: 'failed', message: String(error) }));
  });
  // The parent going away (crash, Ctrl-C) must not leave a server behind.
  process.on('disconnect', () => process.exit(0));
  send({ type: 'listening', port });
}

/** Reports a start-up failure (on stderr, which the parent shares) and exits. */
export function failStartup(error: unknown): never {
  console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
  process.exit(1);
}

/**
 * Parent side of a benchmark server process: start it, wait for its port, query its memory,
 * drive its CPU profiler and stop it. Servers run in their own process so that the load
 * generator never shares an event loop with the server it measures.
 */
import { type ChildProcess, fork } from 'node:child_process';
import path from 'node:path';
import type { ChildMessage, ControlMessage } from './child-protocol.js';

export interface ServerProcess {
  readonly name: string;
  readonly port: number;
  readonly url: string;
  /** Resident set size of the server process, in bytes. */
  rss(): Promise<number>;
  /** Starts the in-process CPU profiler. */
  profileStart(): Promise<void>;
  /** Stops the profiler and writes a `.cpuprofile` to `file`. */
  profileStop(file: string): Promise<void>;
  /** Asks the server to close, and kills it if it does not within 5 s. */
  stop(): Promise<void>;
}

const START_TIMEOUT_MS = 60_000;
const REPLY_TIMEOUT_MS = 30_000;

/** Starts `scripts/bench/<script>` under tsx with the given arguments. */
export async function startServer(
  name: string,
  script: string,
  args: readonly string[],
): Promise<ServerProcess> {
  const child = fork(path.resolve(import.meta.dirname, script), [...args], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`${name}: no port within 60 s`)),
      START_TIMEOUT_MS,
    );
    child.on('message', (message: ChildMessage) => {
      if (message.type === 'listening') {
        clearTimeout(timer);
        resolve(message.port);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${name} exited during start-up (code ${code})`));
    });
  });

  const request = <T extends ChildMessage['type']>(
    message: ControlMessage,
    reply: T,
  ): Promise<Extract<ChildMessage, { type: T }>> =>
    new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        child.off('message', onMessage);
        reject(new Error(`${name}: no '${reply}' reply`));
      }, REPLY_TIMEOUT_MS);
      const onMessage = (answer: ChildMessage) => {
        if (answer.type === 'failed') {
          clearTimeout(timer);
          child.off('message', onMessage);
          reject(new Error(`${name}: ${answer.message}`));
        } else if (answer.type === reply) {
          clearTimeout(timer);
          child.off('message', onMessage);
          resolve(answer as Extract<ChildMessage, { type: T }>);
        }
      };
      child.on('message', onMessage);
      child.send(message);
    });

  return {
    name,
    port,
    url: `http://127.0.0.1:${port}`,
    rss: async () => (await request({ type: 'rss' }, 'rss')).rss,
    profileStart: async () => {
      await request({ type: 'profile-start' }, 'profile-started');
    },
    profileStop: async (file) => {
      await request({ type: 'profile-stop', file }, 'profile-stopped');
    },
    stop: () => stopChild(child),
  };
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.send({ type: 'stop' } satisfies ControlMessage);
  });
}

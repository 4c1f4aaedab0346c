/**
 * Turns at writing for the SQLite worker processes of one cluster. SQLite lets one process
 * write at a time; without coordination a worker that finds the database busy retries its
 * `BEGIN` until the other commits, holding its only connection (so its reads wait too) and
 * burning CPU on failed tries. With turns, the cluster primary hands a token from worker to
 * worker in arrival order: a worker waiting for its turn keeps serving (parsing, reading,
 * rendering) and queues its writes, which then go into one transaction together
 * (sqlite-group-commit.ts). Correctness never depends on the turns: SQLite's own lock still
 * serialises writers, and processes outside the cluster (the CLI, another instance) simply
 * meet it as before.
 */
import type { Cluster, Worker } from 'node:cluster';
import { EventEmitter } from 'node:events';

/** Waits for this process's turn to write, and gives it back. */
export interface WriteTurns {
  take(): Promise<void>;
  giveBack(): void;
}

/** No coordination: a single process, or a database that serialises writers itself. */
export const EVERY_TURN: WriteTurns = {
  take: () => Promise.resolve(),
  giveBack: () => {},
};

/** The environment variable the primary sets on workers it arbitrates for. */
export const WRITE_TURNS_ENV = 'ITINERA_SQLITE_WRITE_TURNS';

const KEY = 'itineraWriteTurn';
type TurnMessage = { [KEY]: 'take' | 'give-back' | 'yours' };

function isTurnMessage(message: unknown): message is TurnMessage {
  return typeof message === 'object' && message !== null && KEY in message;
}

/** What a worker needs of its IPC channel to the primary (the `process` object). */
export interface PrimaryChannel {
  send?: (message: TurnMessage) => boolean;
  on(event: 'message', listener: (message: unknown) => void): unknown;
  on(event: 'disconnect', listener: () => void): unknown;
}

/**
 * The worker's side: asks the cluster primary for each turn. If the channel to the primary
 * closes, every turn is granted at once from then on (SQLite's lock still guards the data).
 */
export function turnsFromPrimary(channel: PrimaryChannel = process as PrimaryChannel): WriteTurns {
  const waiting: (() => void)[] = [];
  let connected = typeof channel.send === 'function';
  channel.on('message', (message) => {
    if (isTurnMessage(message) && message[KEY] === 'yours') waiting.shift()?.();
  });
  channel.on('disconnect', () => {
    connected = false;
    for (const grant of waiting.splice(0)) grant();
  });
  const send = (message: TurnMessage): void => {
    if (connected) channel.send?.(message);
  };
  return {
    take() {
      if (!connected) return Promise.resolve();
      return new Promise<void>((resolve) => {
        waiting.push(resolve);
        send({ [KEY]: 'take' });
      });
    },
    giveBack() {
      send({ [KEY]: 'give-back' });
    },
  };
}

/** What the arbiter needs of a worker. */
export interface TurnTaker {
  readonly id: number;
  send(message: TurnMessage): unknown;
  isDead?(): boolean;
}

/**
 * The primary's side: one token, handed to workers in the order they ask. A worker that exits
 * while holding it or waiting for it is dropped, so a crash never stalls the others.
 */
export class WriteTurnArbiter {
  private holder: TurnTaker | undefined;
  private readonly queue: TurnTaker[] = [];

  /** Handles a message from `worker`; returns false when it was not about turns. */
  handle(worker: TurnTaker, message: unknown): boolean {
    if (!isTurnMessage(message)) return false;
    if (message[KEY] === 'take') {
      this.queue.push(worker);
      this.grantNext();
    } else if (message[KEY] === 'give-back' && this.holder?.id === worker.id) {
      this.holder = undefined;
      this.grantNext();
    }
    return true;
  }

  /** Forgets a worker that exited. */
  drop(worker: TurnTaker): void {
    for (let i = this.queue.length - 1; i >= 0; i--) {
      if (this.queue[i]?.id === worker.id) this.queue.splice(i, 1);
    }
    if (this.holder?.id === worker.id) {
      this.holder = undefined;
      this.grantNext();
    }
  }

  private grantNext(): void {
    while (!this.holder) {
      const next = this.queue.shift();
      if (!next) return;
      if (next.isDead?.()) continue;
      this.holder = next;
      next.send({ [KEY]: 'yours' });
    }
  }
}

/** Arbitrates the write turns of a cluster's workers (call once in the primary). */
export function arbitrateWriteTurns(cluster: Cluster): WriteTurnArbiter {
  const arbiter = new WriteTurnArbiter();
  cluster.on('message', (worker: Worker, message: unknown) => {
    arbiter.handle(worker, message);
  });
  cluster.on('exit', (worker: Worker) => arbiter.drop(worker));
  return arbiter;
}

/**
 * Turns for the primary's own writes (notification delivery): it queues for the same token as
 * its workers, without IPC. Cluster workers have ids from 1, so -1 is never a worker's.
 */
export function turnsInPrimary(arbiter: WriteTurnArbiter): WriteTurns {
  // The workers' protocol over an in-process channel: the arbiter answers synchronously.
  const channel = new EventEmitter() as EventEmitter & PrimaryChannel;
  const self: TurnTaker = { id: -1, send: (message) => channel.emit('message', message) };
  channel.send = (message) => arbiter.handle(self, message);
  return turnsFromPrimary(channel);
}

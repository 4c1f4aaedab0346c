/**
 * Write turns of SQLite cluster workers: the primary's arbiter hands one token around in
 * arrival order and survives workers dying; a worker waiting for its turn batches its writes.
 */
import { EventEmitter } from 'node:events';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { connectDatabase } from '../../src/db/connect.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import {
  type PrimaryChannel,
  type TurnTaker,
  turnsFromPrimary,
  turnsInPrimary,
  WriteTurnArbiter,
  type WriteTurns,
} from '../../src/db/sqlite-write-turns.js';

const TAKE = { itineraWriteTurn: 'take' } as const;
const GIVE_BACK = { itineraWriteTurn: 'give-back' } as const;

function worker(id: number): TurnTaker & { granted: number; dead: boolean } {
  const taker = {
    id,
    granted: 0,
    dead: false,
    send(message: unknown) {
      expect(message).toEqual({ itineraWriteTurn: 'yours' });
      taker.granted++;
    },
    isDead: () => taker.dead,
  };
  return taker;
}

describe('the write-turn arbiter', () => {
  it("queues the primary's own writes (notification delivery) with its workers", async () => {
    const arbiter = new WriteTurnArbiter();
    const a = worker(1);
    const primary = turnsInPrimary(arbiter);
    arbiter.handle(a, TAKE);
    let granted = false;
    const turn = primary.take().then(() => {
      granted = true;
    });
    await Promise.resolve();
    expect(granted).toBe(false);
    arbiter.handle(a, GIVE_BACK);
    await turn;
    expect(granted).toBe(true);
    arbiter.handle(a, TAKE);
    expect(a.granted).toBe(1);
    primary.giveBack();
    expect(a.granted).toBe(2);
  });

  it('grants one turn at a time, in the order workers ask', () => {
    const arbiter = new WriteTurnArbiter();
    const [a, b, c] = [worker(1), worker(2), worker(3)];
    arbiter.handle(a, TAKE);
    arbiter.handle(b, TAKE);
    arbiter.handle(c, TAKE);
    expect([a.granted, b.granted, c.granted]).toEqual([1, 0, 0]);
    // Only the holder can give the turn back.
    arbiter.handle(c, GIVE_BACK);
    expect([a.granted, b.granted, c.granted]).toEqual([1, 0, 0]);
    arbiter.handle(a, GIVE_BACK);
    expect([a.granted, b.granted, c.granted]).toEqual([1, 1, 0]);
    arbiter.handle(a, TAKE);
    arbiter.handle(b, GIVE_BACK);
    expect([a.granted, b.granted, c.granted]).toEqual([1, 1, 1]);
    arbiter.handle(c, GIVE_BACK);
    expect([a.granted, b.granted, c.granted]).toEqual([2, 1, 1]);
  });

  it('passes the turn on when its holder exits, and skips workers that died waiting', () => {
    const arbiter = new WriteTurnArbiter();
    const [a, b, c] = [worker(1), worker(2), worker(3)];
    arbiter.handle(a, TAKE);
    arbiter.handle(b, TAKE);
    arbiter.handle(c, TAKE);
    b.dead = true;
    arbiter.drop(a);
    expect([a.granted, b.granted, c.granted]).toEqual([1, 0, 1]);
    // A worker that exits while waiting is forgotten.
    arbiter.handle(a, TAKE);
    arbiter.drop(a);
    arbiter.handle(c, GIVE_BACK);
    expect(a.granted).toBe(1);
  });

  it('ignores messages that are not about turns', () => {
    const arbiter = new WriteTurnArbiter();
    expect(arbiter.handle(worker(1), { type: 'rss' })).toBe(false);
    expect(arbiter.handle(worker(1), 'hello')).toBe(false);
  });
});

class FakeChannel extends EventEmitter {
  readonly sent: unknown[] = [];
  send = (message: unknown) => {
    this.sent.push(message);
    return true;
  };
}

describe("a worker's turns", () => {
  it('asks the primary for each turn and waits for it', async () => {
    const channel = new FakeChannel();
    const turns = turnsFromPrimary(channel as unknown as PrimaryChannel);
    let granted = false;
    const taken = turns.take().then(() => {
      granted = true;
    });
    expect(channel.sent).toEqual([TAKE]);
    await new Promise((r) => setImmediate(r));
    expect(granted).toBe(false);
    channel.emit('message', { type: 'other' });
    channel.emit('message', { itineraWriteTurn: 'yours' });
    await taken;
    turns.giveBack();
    expect(channel.sent).toEqual([TAKE, GIVE_BACK]);
  });

  it('writes without turns once the primary is gone', async () => {
    const channel = new FakeChannel();
    const turns = turnsFromPrimary(channel as unknown as PrimaryChannel);
    const waiting = turns.take();
    channel.emit('disconnect');
    await waiting;
    await turns.take();
    expect(channel.sent).toEqual([TAKE]);
  });
});

describe('group commit with turns', () => {
  it('waits for the turn, batching the writes that arrive meanwhile into one transaction', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'itinera-turns-'));
    const grants: (() => void)[] = [];
    let giveBacks = 0;
    const turns: WriteTurns = {
      take: () => new Promise<void>((resolve) => grants.push(resolve)),
      giveBack: () => {
        giveBacks++;
      },
    };
    const database = connectDatabase(
      { dialect: 'sqlite', filename: path.join(dir, 'turns.db') },
      { writeTurns: turns },
    );
    try {
      await migrateToLatest(database.db, database.dialect);
      const company = (name: string) => ({ id: name, name, region: 'us', created_at: 1 });
      const ran: string[] = [];
      const writes = ['a', 'b', 'c'].map((name) =>
        database.write(name, async (trx) => {
          ran.push(name);
          await trx.insertInto('companies').values(company(name)).execute();
          return name;
        }),
      );
      await new Promise((r) => setTimeout(r, 20));
      // Nothing runs before the turn; the three writes wait for one turn together.
      expect(ran).toEqual([]);
      expect(grants).toHaveLength(1);
      grants.shift()?.();
      expect(await Promise.all(writes)).toEqual(['a', 'b', 'c']);
      expect(giveBacks).toBe(1);
      expect(grants).toHaveLength(0);
      const stored = await database.db.selectFrom('companies').select('name').execute();
      expect(stored.map((r) => r.name).sort()).toEqual(['a', 'b', 'c']);
    } finally {
      await database.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

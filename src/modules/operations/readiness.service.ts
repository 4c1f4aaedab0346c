/**
 * Whether this process should get traffic (`/readyz`): the database answers a trivial query
 * in time, every migration in the code is applied, and the process is not draining.
 *
 * Draining is the shutdown's first step (`app.beginDrain()`): readiness turns 503 while requests
 * are still served, so that load balancers stop sending before the server closes. Once
 * `app.close()` starts, Fastify itself answers every request 503 (`return503OnClosing`).
 */
import type { DatabaseHandle } from '../../db/connect.js';
import { migrationStatus } from '../../db/migrate.js';
import { pingDatabase } from './operations.repository.js';

/** How long the database may take to answer before the process counts as not ready. */
export const READINESS_TIMEOUT_MS = 2_000;

/** Each check's outcome: `ok`, or what is wrong. */
export interface ReadinessReport {
  ready: boolean;
  checks: {
    database: string;
    migrations: string;
    shutdown?: string;
  };
}

function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

/** The readiness of one app. */
export class ReadinessService {
  private draining = false;

  constructor(
    private readonly database: DatabaseHandle,
    private readonly timeoutMs: number = READINESS_TIMEOUT_MS,
  ) {}

  /** From now on the process is not ready: it is about to shut down. */
  beginDrain(): void {
    this.draining = true;
  }

  /**
   * Runs the checks. `onError` hears why the database check failed (for the log; the answer
   * only says that it did).
   */
  async check(onError: (error: unknown) => void = () => {}): Promise<ReadinessReport> {
    if (this.draining) {
      // The database may be closing too: do not touch it.
      return {
        ready: false,
        checks: { database: 'not checked', migrations: 'not checked', shutdown: 'draining' },
      };
    }
    const { db, dialect } = this.database;
    try {
      await withTimeout(pingDatabase(db), this.timeoutMs);
    } catch (error) {
      onError(error);
      return { ready: false, checks: { database: 'unreachable', migrations: 'not checked' } };
    }
    try {
      const { pending, unknown } = await withTimeout(migrationStatus(db, dialect), this.timeoutMs);
      // A database a newer version migrated is as unfit as one not yet migrated.
      const migrations =
        unknown.length > 0
          ? `newer than this version: ${unknown.join(', ')}`
          : pending.length > 0
            ? `pending: ${pending.join(', ')}`
            : 'ok';
      return { ready: migrations === 'ok', checks: { database: 'ok', migrations } };
    } catch (error) {
      onError(error);
      return { ready: false, checks: { database: 'ok', migrations: 'unreadable' } };
    }
  }

  /** The most recent migration applied, for `/version`. */
  async latestMigration(): Promise<string | null> {
    const { db, dialect } = this.database;
    return (await withTimeout(migrationStatus(db, dialect), this.timeoutMs)).latestApplied;
  }
}

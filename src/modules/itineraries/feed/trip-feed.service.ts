/**
 * The trip change feed (Itinera's extension, docs/CHANGE-FEED.md): the changes of the trips a
 * company-level token can see, in commit order, from an opaque cursor; and the retention purge.
 */
import type { DatabaseHandle } from '../../../db/connect.js';
import { errors } from '../../../errors.js';
import { type AgencyApp, agencyOf } from '../access/agency-rule.js';
import { decodeCursor, encodeCursor } from './feed-cursor.js';
import {
  type FeedChange,
  type FeedPosition,
  hasUnnumberedChanges,
  numberTripChanges,
  purgedThrough,
  purgeTripChanges,
  readTripChanges,
} from './trip-feed.repository.js';

/** Changes per page unless `limit` says otherwise. */
export const FEED_DEFAULT_LIMIT = 100;
/** Most changes per page: a page is one index range read, kept well under a megabyte of JSON. */
export const FEED_MAX_LIMIT = 1000;
/** How long changes are kept: a client away longer gets 410 and must resync from the list. */
export const FEED_RETENTION_DAYS = 7;

const DAY_MS = 24 * 60 * 60 * 1000;
// The purge runs at most once a minute per process, on a read, and deletes at most
// PURGE_BATCH × PURGE_BATCHES rows then, each batch its own short write transaction.
const PURGE_INTERVAL_MS = 60_000;
const PURGE_BATCH = 1000;
const PURGE_BATCHES = 10;

/** What the feed reads of the caller (an accounts Principal). */
export interface FeedCaller {
  kind: 'user' | 'company';
  app: AgencyApp;
  /** The companies the token reaches. */
  companyIds: readonly string[];
}

export interface FeedPage {
  changes: FeedChange[];
  /** The cursor to send as `after` for the changes that follow this page. */
  next: string;
}

export interface TripFeedOptions {
  /** The key cursors are signed with (a server secret). */
  cursorKey: () => Promise<string>;
  /** Retention in milliseconds (default FEED_RETENTION_DAYS). */
  retentionMs?: number;
  now?: () => number;
  /** Where a failed purge is reported (the read goes on). */
  onPurgeError?: (error: unknown) => void;
}

function before(a: FeedPosition, b: FeedPosition): boolean {
  return a.seq < b.seq || (a.seq === b.seq && a.id < b.id);
}

export class TripFeedService {
  private lastPurge = Number.NEGATIVE_INFINITY;
  private readonly retentionMs: number;
  private readonly now: () => number;

  constructor(
    private readonly database: DatabaseHandle,
    private readonly options: TripFeedOptions,
  ) {
    this.retentionMs = options.retentionMs ?? FEED_RETENTION_DAYS * DAY_MS;
    this.now = options.now ?? Date.now;
  }

  /**
   * One page of changes after `after` (absent: from the oldest change retained). Company-level
   * tokens only; the companies of the token, and for a TMC app only trips of no agency or its
   * own (the list's rules). 400 for a cursor this server did not issue, 410 for one older than
   * what is retained.
   */
  async read(principal: FeedCaller, after: string | undefined, limit?: number): Promise<FeedPage> {
    if (principal.kind !== 'company') {
      throw errors.forbidden(
        'The trip change feed needs a company-level access token (client_credentials grant).',
      );
    }
    const key = await this.options.cursorKey();
    const from = after === undefined ? undefined : decodeCursor(key, after);
    if (after !== undefined && from === undefined) {
      throw errors.badRequest(
        'The after parameter is not a cursor this feed issued; send the next value of a previous answer, or no after to start from the oldest change kept.',
      );
    }
    await this.purgeIfDue();
    // Committed changes get their numbers now, in a transaction that commits before the read.
    if (await hasUnnumberedChanges(this.database.db)) {
      await this.database.write('trip-feed:number', (trx) => numberTripChanges(trx));
    }
    const agencyId = agencyOf(principal.app) ?? undefined;
    // `in ()` is no SQL: a token reaching no company sees nothing.
    const changes =
      principal.companyIds.length === 0
        ? []
        : await readTripChanges(this.database.db, {
            companyIds: principal.companyIds,
            ...(agencyId !== undefined ? { agencyId } : {}),
            after: from ?? { seq: 0, id: 0 },
            limit: limit ?? FEED_DEFAULT_LIMIT,
          });
    // Read after the changes: a purge that removed changes this read should have returned
    // committed before it, so its mark is seen here (purge and mark move in one transaction).
    const purged = await purgedThrough(this.database.db);
    if (from && before(from, purged)) {
      throw errors.gone(
        `The cursor points before the oldest change kept (changes are kept ${this.retentionMs / DAY_MS} days); resync from the trip list, then follow the feed from a request without after.`,
      );
    }
    const last = changes.at(-1);
    const position = last ?? from ?? purged;
    return { changes, next: encodeCursor(key, { seq: position.seq, id: position.id }) };
  }

  /** Deletes changes older than the retention, in bounded batches, at most once a minute. */
  private async purgeIfDue(): Promise<void> {
    const now = this.now();
    if (now - this.lastPurge < PURGE_INTERVAL_MS) return;
    this.lastPurge = now;
    const cutoff = now - this.retentionMs;
    try {
      for (let i = 0; i < PURGE_BATCHES; i += 1) {
        const deleted = await this.database.write('trip-feed:purge', (trx) =>
          purgeTripChanges(trx, cutoff, PURGE_BATCH),
        );
        if (deleted < PURGE_BATCH) break;
      }
    } catch (error) {
      this.options.onPurgeError?.(error);
    }
  }
}

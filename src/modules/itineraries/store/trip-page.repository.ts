/**
 * The Itinerary v4 reads' queries: keyset pages of the `trips` table in (end, id) order, and a
 * trip owner's name. A page starts strictly after (or, going back, before) a position, never at
 * an offset, so trips written between two requests cannot shift or repeat what a client pages
 * through.
 */
import type { Executor } from '../../../db/database.js';
import type { TripOwner } from '../rules/records.js';
import { ofNoAgencyOr } from './trip.repository.js';

export interface TripPageFilter {
  companyIds: readonly string[];
  /** Trips ending on or after this instant (epoch ms). */
  endFrom: number;
  /** Trips ending on or before this instant, if given. */
  endTo?: number;
  /** Statuses left out. */
  excludedStatuses: readonly number[];
  /** Only trips of no agency or of this one (a TMC app's agency). */
  agencyId?: string;
}

/** A trip's place in the list. */
export interface TripPosition {
  endAt: number;
  id: string;
}

/**
 * Up to `limit` trips next to `from` in list order: after it going forward, before it going
 * back (then nearest first); from the start of the list without `from`.
 */
export async function tripsNextTo(
  db: Executor,
  filter: TripPageFilter,
  from: (TripPosition & { direction: 'after' | 'before' }) | undefined,
  limit: number,
): Promise<TripPosition[]> {
  let query = db
    .selectFrom('trips')
    .select(['trips.id', 'trips.end_at'])
    .where('trips.company_id', 'in', [...filter.companyIds])
    .where('trips.end_at', '>=', filter.endFrom);
  if (filter.endTo !== undefined) query = query.where('trips.end_at', '<=', filter.endTo);
  if (filter.excludedStatuses.length > 0) {
    query = query.where('trips.status', 'not in', [...filter.excludedStatuses]);
  }
  if (filter.agencyId !== undefined) query = query.where(ofNoAgencyOr(filter.agencyId));
  const backwards = from?.direction === 'before';
  if (from) {
    const beyond = backwards ? '<' : '>';
    query = query.where((eb) =>
      eb.or([
        eb('trips.end_at', beyond, from.endAt),
        eb.and([eb('trips.end_at', '=', from.endAt), eb('trips.id', beyond, from.id)]),
      ]),
    );
  }
  const order = backwards ? 'desc' : 'asc';
  const rows = await query
    .orderBy('trips.end_at', order)
    .orderBy('trips.id', order)
    .limit(limit)
    .execute();
  return rows.map((row) => ({ id: row.id, endAt: Number(row.end_at) }));
}

/** The owner of a trip as its views name them (the v4 reads load no other user data). */
export async function findTripOwner(db: Executor, ownerId: string): Promise<TripOwner | undefined> {
  return db
    .selectFrom('users')
    .select(['users.id', 'users.login_id', 'users.company_id'])
    .where('users.id', '=', ownerId)
    .executeTakeFirst();
}

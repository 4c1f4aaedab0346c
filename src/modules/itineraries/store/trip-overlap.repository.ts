/**
 * The merge engine's look-up (booking.service.ts): a traveller's live trips whose dates overlap
 * a posted booking's, on the owner/window index. Records are mapped by trip.repository.ts.
 */
import { sql } from 'kysely';
import { selectCompiled } from '../../../db/compiled-once.js';
import type { Executor } from '../../../db/database.js';
import type { TripRecord } from '../rules/records.js';
import {
  COLUMNS_BUT_RENDERING,
  earliestStartEndingAfter,
  ofNoAgencyOr,
  type RecordRow,
  tripFromRow,
} from './trip.repository.js';

export interface OverlapQuery {
  companyId: string;
  ownerId: string;
  from: number;
  to: number;
  /** Statuses a booking may join (live trips only). */
  statuses: readonly number[];
  /** A TMC app's agency: trips of other agencies are left alone. */
  agencyId?: string;
  /**
   * The booking's guest key: a guest booking joins only guest trips of the same guests, the
   * traveller's own booking (null) only trips that are not guest trips.
   */
  guestKey: string | null;
}

/**
 * The query behind `findOverlappingTrips`, for callers that want its plan (the benchmark shows
 * that it runs on the owner/window index).
 */
export function overlappingTripsQuery(db: Executor, query: OverlapQuery) {
  // Whole records, so that the chosen trip is at hand without a second look-up, except the
  // stored rendering: the merge rebuilds and re-renders the trip, and the rendering is the
  // largest column (read from overflow pages).
  let select = db
    .selectFrom('trips')
    .select([...COLUMNS_BUT_RENDERING, sql<string | null>`null`.as('rendering')])
    .where('company_id', '=', query.companyId)
    .where('owner_id', '=', query.ownerId)
    .where('start_at', '>=', earliestStartEndingAfter(query.from, [query.companyId]))
    .where('end_at', '>=', query.from)
    .where('start_at', '<=', query.to)
    .where('status', 'in', [...query.statuses])
    .where('guest_key', query.guestKey === null ? 'is' : '=', query.guestKey);
  if (query.agencyId !== undefined) select = select.where(ofNoAgencyOr(query.agencyId));
  return select;
}

/**
 * The traveller's live trips whose dates overlap [from, to] (inclusive), through the
 * owner/window index.
 */
export async function findOverlappingTrips(
  db: Executor,
  query: OverlapQuery,
): Promise<TripRecord[]> {
  const { agencyId, statuses, guestKey } = query;
  const byAgency = agencyId !== undefined;
  const guest = guestKey !== null;
  // `guest_key is null` binds nothing: the parameters list the key only for a guest booking.
  const rows = await selectCompiled<RecordRow>(
    db,
    `overlapping-trips:${statuses.length}:${byAgency ? 'agency' : 'any'}:${guest ? 'guest' : 'own'}`,
    (db, [companyId, ownerId, from, to, ...rest]) =>
      overlappingTripsQuery(db, {
        companyId: companyId as string,
        ownerId: ownerId as string,
        from: from as unknown as number,
        to: to as unknown as number,
        statuses: rest.slice(0, statuses.length) as unknown as number[],
        guestKey: guest ? (rest[statuses.length] as string) : null,
        agencyId: byAgency ? rest[statuses.length + (guest ? 1 : 0)] : undefined,
      }),
    [
      query.companyId,
      query.ownerId,
      query.from,
      query.to,
      ...statuses,
      ...(guest ? [guestKey] : []),
      ...(byAgency ? [agencyId] : []),
    ],
  );
  return rows.map(tripFromRow);
}

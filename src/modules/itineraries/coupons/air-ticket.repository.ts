/**
 * The `air_tickets` table (migration 2026-12-04T0920): which trips hold a ticket number, per
 * company. The trip write-back replaces a trip's rows with every write; UpdateCoupon reads them.
 * Every function takes the executor (database or open transaction) first.
 */
import { runCompiled, selectCompiled } from '../../../db/compiled-once.js';
import type { Executor } from '../../../db/database.js';

/** Rows per INSERT at most. */
const CHUNK = 500;

/**
 * Makes `ticketNumbers` the tickets of the trip (none: the trip holds no ticket). `replace`:
 * false for a new trip, which has no rows yet (one statement fewer on the write path).
 */
export async function storeTicketsOfTrip(
  db: Executor,
  trip: { id: string; companyId: string },
  ticketNumbers: readonly string[],
  replace: boolean,
): Promise<void> {
  if (replace) {
    await runCompiled(
      db,
      'delete-air-tickets-of-trip',
      (db, [tripId]) => db.deleteFrom('air_tickets').where('trip_id', '=', tripId as string),
      [trip.id],
    );
  }
  // In rows of at most CHUNK: a statement's parameters are bounded (SQLite: 32,766).
  for (let start = 0; start < ticketNumbers.length; start += CHUNK) {
    const chunk = ticketNumbers.slice(start, start + CHUNK);
    const parameters = chunk.flatMap((number) => [trip.companyId, number, trip.id]);
    await runCompiled(
      db,
      `insert-air-tickets:${chunk.length}`,
      (db, placeholders) =>
        db.insertInto('air_tickets').values(
          chunk.map((_, row) => ({
            company_id: placeholders[row * 3] as string,
            ticket_number: placeholders[row * 3 + 1] as string,
            trip_id: placeholders[row * 3 + 2] as string,
          })),
        ),
      parameters,
    );
  }
}

/** The trips of `companyIds` holding the ticket `ticketNumber`, through the table's key. */
export async function findTripsHoldingTicket(
  db: Executor,
  companyIds: readonly string[],
  ticketNumber: string,
): Promise<string[]> {
  if (companyIds.length === 0) return [];
  const rows = await selectCompiled<{ trip_id: string }>(
    db,
    `trips-holding-ticket:${companyIds.length}`,
    (db, [number, ...companies]) =>
      db
        .selectFrom('air_tickets')
        .select('trip_id')
        .where('company_id', 'in', companies as string[])
        .where('ticket_number', '=', number as string),
    [ticketNumber, ...companyIds],
  );
  return rows.map((row) => row.trip_id);
}

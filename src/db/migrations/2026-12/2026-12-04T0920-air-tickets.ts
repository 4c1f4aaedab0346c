/**
 * `air_tickets`: the ticket numbers held by each trip's bookings, so that UpdateCoupon finds a
 * ticket through an index instead of a LIKE over every stored booking document of the caller's
 * companies (src/modules/itineraries/coupons/). One row per (company, ticket number, trip); the
 * trip write-back keeps a trip's rows in the transaction of every write, and deleting a trip
 * deletes them (foreign key, on delete cascade).
 *
 * `up` fills the table from the bookings already stored. The ticket number is read from the
 * documents as the application reads it (coupon-rules.ts `ticketNumbersOf`): each
 * `AirlineTickets/AirlineTicket` with both a `PlatingCarrierNumericCode` and a
 * `PlatingControlNumber`, trimmed and joined. It is copied here, as migrations do not import
 * the application.
 */
import { type Kysely, sql } from 'kysely';

/** Bookings read per round of the backfill (and rows inserted per statement at most). */
const PAGE = 500;

/** A stored document as the backfill reads it: the booking's own elements. */
type Node = Record<string, unknown>;

/** The ticket numbers of one booking document (JSON text on SQLite, a value on PostgreSQL). */
function ticketNumbers(stored: unknown): string[] {
  const document = (typeof stored === 'string' ? JSON.parse(stored) : stored) as Node | null;
  const tickets = document?.AirlineTickets;
  if (!Array.isArray(tickets)) return [];
  const numbers: string[] = [];
  for (const item of tickets as { element?: unknown; node?: Node }[]) {
    if (item?.element !== 'AirlineTicket' || !item.node) continue;
    const carrier = item.node.PlatingCarrierNumericCode;
    const control = item.node.PlatingControlNumber;
    if (typeof carrier !== 'string' || typeof control !== 'string') continue;
    if (!carrier.trim() || !control.trim()) continue;
    numbers.push(`${carrier.trim()}${control.trim()}`);
  }
  return numbers;
}

interface BookingTickets {
  id: string;
  trip_id: string;
  company_id: string;
  document: unknown;
}

export function airTickets() {
  return {
    // biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on the app's types
    async up(db: Kysely<any>): Promise<void> {
      await db.schema
        .createTable('air_tickets')
        .addColumn('company_id', 'text', (c) => c.notNull())
        .addColumn('ticket_number', 'text', (c) => c.notNull())
        .addColumn('trip_id', 'text', (c) => c.notNull().references('trips.id').onDelete('cascade'))
        // The look-up's index: a ticket number within the caller's companies.
        .addPrimaryKeyConstraint('air_tickets_pk', ['company_id', 'ticket_number', 'trip_id'])
        .execute();
      // Every trip write replaces its trip's rows, and a trip delete cascades: both by trip.
      await db.schema.createIndex('air_tickets_trip').on('air_tickets').column('trip_id').execute();

      // Only documents naming a ticket are parsed; pages follow the booking ids.
      let after = '';
      for (;;) {
        const page = (await db
          .selectFrom('bookings as b')
          .innerJoin('trips as t', 't.id', 'b.trip_id')
          .select(['b.id', 'b.trip_id', 't.company_id', 'b.document'])
          .where('b.id', '>', after)
          .where(sql<string>`cast(${sql.ref('b.document')} as text)`, 'like', '%AirlineTicket%')
          .orderBy('b.id')
          .limit(PAGE)
          .execute()) as BookingTickets[];
        if (page.length === 0) break;
        after = page[page.length - 1]?.id ?? after;
        const rows = page.flatMap((b) =>
          ticketNumbers(b.document).map((number) => ({
            company_id: b.company_id,
            ticket_number: number,
            trip_id: b.trip_id,
          })),
        );
        for (let i = 0; i < rows.length; i += PAGE) {
          await db
            .insertInto('air_tickets')
            .values(rows.slice(i, i + PAGE))
            // Two bookings of one trip may hold the same ticket: one row says it.
            .onConflict((c) => c.doNothing())
            .execute();
        }
      }
    },

    // biome-ignore lint/suspicious/noExplicitAny: see up()
    async down(db: Kysely<any>): Promise<void> {
      await db.schema.dropTable('air_tickets').ifExists().execute();
    },
  };
}

/**
 * Expense readiness (src/domain/expense-readiness.ts, docs/COMPATIBILITY.md "Expense
 * readiness"): each trip stores the instant it becomes expensable (`expensable_at`, null: never)
 * and whether it holds ticketed air (`pre_expensable`, ready at once for a company with the
 * PreExpenseAir option, `companies.pre_expense_air`). The trip list filters on them
 * (`readyToExpense`), so the window indexes carry them too and its page query stays on the
 * index alone.
 *
 * `up` computes both for the trips already stored, from their bookings' documents, as the
 * application does at every write (the rule is copied here: migrations do not import the
 * application). Only trips with a Car, Hotel, Ride or Air segment can qualify; others keep the
 * defaults (never expensable).
 */
import type { Kysely } from 'kysely';

/** Trips read per round of the backfill. */
const PAGE = 500;

type Node = Record<string, unknown>;
interface Item {
  element?: unknown;
  node?: Node;
}

function items(node: Node | undefined, name: string): Item[] {
  const value = node?.[name];
  return Array.isArray(value) ? (value as Item[]) : [];
}

/** The rule of src/domain/expense-readiness.ts over stored booking documents. */
function readiness(documents: unknown[], endAt: number | null) {
  let afterTrip = false;
  let ticketedAir = false;
  for (const stored of documents) {
    const booking = (typeof stored === 'string' ? JSON.parse(stored) : stored) as Node | null;
    if (!booking) continue;
    const segments = items(booking, 'Segments');
    if (
      segments.some((s) => s.element === 'Car' || s.element === 'Hotel' || s.element === 'Ride')
    ) {
      afterTrip = true;
    }
    if (ticketedAir || !segments.some((s) => s.element === 'Air')) continue;
    for (const ticket of items(booking, 'AirlineTickets')) {
      if (ticket.element !== 'AirlineTicket') continue;
      for (const coupon of items(ticket.node, 'AirlineTicketCoupons')) {
        const status = coupon.node?.CouponStatus;
        if (
          coupon.element === 'AirlineTicketCoupon' &&
          typeof status === 'string' &&
          ['OPEN', 'USED', 'PRTD'].includes(status.trim().toUpperCase())
        ) {
          ticketedAir = true;
        }
      }
    }
  }
  return {
    expensable_at: afterTrip || ticketedAir ? endAt : null,
    pre_expensable: ticketedAir ? 1 : 0,
  };
}

const OWNER_COLUMNS = ['company_id', 'owner_id', 'start_at', 'id', 'end_at', 'status', 'guest_key'];
const COMPANY_COLUMNS = ['company_id', 'start_at', 'id', 'end_at', 'status', 'guest_key'];
const READINESS_COLUMNS = ['expensable_at', 'pre_expensable'];

// biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on the app's types
async function windowIndexes(db: Kysely<any>, extra: string[]): Promise<void> {
  await db.schema.dropIndex('trips_owner_start_idx').execute();
  await db.schema.dropIndex('trips_company_start_idx').execute();
  await db.schema
    .createIndex('trips_owner_start_idx')
    .on('trips')
    .columns([...OWNER_COLUMNS, ...extra])
    .execute();
  await db.schema
    .createIndex('trips_company_start_idx')
    .on('trips')
    .columns([...COMPANY_COLUMNS, ...extra])
    .execute();
}

export function expenseReadiness() {
  return {
    // biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on the app's types
    async up(db: Kysely<any>): Promise<void> {
      await db.schema.alterTable('trips').addColumn('expensable_at', 'bigint').execute();
      await db.schema
        .alterTable('trips')
        .addColumn('pre_expensable', 'integer', (c) => c.notNull().defaultTo(0))
        .execute();
      await db.schema
        .alterTable('companies')
        .addColumn('pre_expense_air', 'integer', (c) => c.notNull().defaultTo(0))
        .execute();

      let after = '';
      for (;;) {
        const trips = (await db
          .selectFrom('trips')
          .select(['id', 'end_at'])
          .where('id', '>', after)
          .where((eb) =>
            eb.or(
              ['Air', 'Car', 'Hotel', 'Ride'].map((type) =>
                eb('booking_types', 'like', `%,${type},%`),
              ),
            ),
          )
          .orderBy('id')
          .limit(PAGE)
          .execute()) as { id: string; end_at: number | string | null }[];
        if (trips.length === 0) break;
        after = trips[trips.length - 1]?.id ?? after;
        const bookings = (await db
          .selectFrom('bookings')
          .select(['trip_id', 'document'])
          .where(
            'trip_id',
            'in',
            trips.map((t) => t.id),
          )
          .execute()) as { trip_id: string; document: unknown }[];
        const byTrip = new Map<string, unknown[]>();
        for (const b of bookings)
          byTrip.set(b.trip_id, [...(byTrip.get(b.trip_id) ?? []), b.document]);
        for (const trip of trips) {
          const endAt = trip.end_at === null ? null : Number(trip.end_at);
          const values = readiness(byTrip.get(trip.id) ?? [], endAt);
          if (values.expensable_at === null && values.pre_expensable === 0) continue;
          await db.updateTable('trips').set(values).where('id', '=', trip.id).execute();
        }
      }
      await windowIndexes(db, READINESS_COLUMNS);
    },

    // biome-ignore lint/suspicious/noExplicitAny: see up()
    async down(db: Kysely<any>): Promise<void> {
      await windowIndexes(db, []);
      await db.schema.alterTable('companies').dropColumn('pre_expense_air').execute();
      await db.schema.alterTable('trips').dropColumn('pre_expensable').execute();
      await db.schema.alterTable('trips').dropColumn('expensable_at').execute();
    },
  };
}

/**
 * The query plans of the list pages the scale benchmark measures (issue 15: "indexes checked
 * with the query plans the bench prints"): the traveller's and the company-wide 200-item page and
 * the company-wide count (from the day counts, and walking the window), built by the list's own
 * repositories (store/trip-list.repository.ts, store/totals/trip-day-count.repository.ts) for the
 * filter the list service makes of the scenarios' requests, and explained by the database.
 */
import { type Compilable, CompiledQuery } from 'kysely';
import type { Executor } from '../../../src/db/database.js';
import { tripDayCountQuery } from '../../../src/modules/itineraries/store/totals/trip-day-count.repository.js';
import {
  type TripListFilter,
  tripCountQuery,
  tripPageQuery,
} from '../../../src/modules/itineraries/store/trip-list.repository.js';
import { excludedStatusesFor } from '../../../src/modules/itineraries/trip-list.service.js';
import { HEAVY_TRAVELLERS } from './scale-data.js';
import { withHandle } from './scale-db.js';

const DAY_MS = 86_400_000;

/** The plan of one query, a line per step. */
async function explain(db: Executor, dialect: string, query: Compilable): Promise<string[]> {
  const { sql, parameters } = query.compile();
  const prefix = dialect === 'postgres' ? 'explain ' : 'explain query plan ';
  const { rows } = await db.executeQuery<Record<string, unknown>>(
    CompiledQuery.raw(prefix + sql, [...parameters]),
  );
  return rows.map((row) => String(row.detail ?? row['QUERY PLAN'] ?? JSON.stringify(row)));
}

/**
 * The plans of the traveller's page, the company-wide page and its count, for the window
 * today ± `days` (the scenarios' window), each as a titled block of lines.
 */
export async function listPlans(url: string, days: number, pageSize: number): Promise<string[]> {
  return withHandle(url, async ({ db, dialect }) => {
    const owner = await db
      .selectFrom('users')
      .select(['id', 'company_id'])
      .where('login_id', '=', HEAVY_TRAVELLERS[0]!.loginId)
      .executeTakeFirstOrThrow();
    const today = Math.floor(Date.now() / DAY_MS) * DAY_MS;
    // As trip-list.service.ts makes it of the scenarios' query (date-only bounds, no
    // cancelled, virtual or guest trips).
    const company: TripListFilter = {
      companyIds: [owner.company_id],
      excludedStatuses: excludedStatusesFor(false, false),
      from: today - days * DAY_MS,
      to: today + (days + 1) * DAY_MS - 1,
      withoutGuestTrips: true,
    };
    const traveller: TripListFilter = { ...company, ownerId: owner.id };
    const page = { limit: pageSize, offset: 0 };
    const blocks: [string, Compilable][] = [
      ['traveller page', tripPageQuery(db, traveller, page)],
      ['company-wide page', tripPageQuery(db, company, page)],
      ['company-wide count (TotalItems), from the day counts', tripDayCountQuery(db, company)],
      [
        'company-wide count, walking the window (a filter the day counts cannot answer)',
        tripCountQuery(db, company),
      ],
    ];
    const lines: string[] = [];
    for (const [title, query] of blocks) {
      lines.push(`  plan, ${title}:`);
      for (const step of await explain(db, dialect, query)) lines.push(`    ${step}`);
    }
    return lines;
  });
}

/**
 * The Itineraries v4 list (`GET /travel/v4/trips`, v4.itineraries.md): 10 trips a page in end
 * order, `next`/`prev` operations with full URLs and a signed `startAfter` cursor, stable while
 * trips are written between pages; the `endDateFrom`/`endDateTo` filters; the v1.1 reach (the
 * token's companies, a TMC's own agency); bad input answered 400 in the v4 error schema.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { type AccessWorld, seedAccessWorld } from '../../helpers/access-world.js';
import { useTestContext } from '../../helpers/app-fixture.js';
import type { TestContext } from '../../helpers/test-app.js';
import { createTrip, dateOnly, simpleTrip } from '../../helpers/trip-requests.js';
import {
  listTripsV4,
  operation,
  V4_PATH,
  type V4List,
  v4Error,
  v4Token,
} from '../../helpers/v4-requests.js';

let context: TestContext;
let world: AccessWorld;
let tmc: string;
/** The end day (relative to today) of each trip the TMC created for this file. */
const endDay = new Map<string, number>();

useTestContext((given) => {
  context = given;
});

async function create(name: string, fromDay: number, toDay: number): Promise<string> {
  const { tripId } = await createTrip(context.app, tmc, simpleTrip(name, fromDay, toDay), {
    userid_type: 'login_id',
    userid_value: world.home.traveller.loginId,
  });
  endDay.set(tripId, toDay);
  return tripId;
}

async function list(token: string, url: string | Record<string, string> = {}): Promise<V4List> {
  const response = await listTripsV4(context.app, token, url);
  expect(response.statusCode, response.body).toBe(200);
  return response.json() as V4List;
}

/** Every page from the first, following `next`. */
async function allPages(token: string, query: Record<string, string> = {}): Promise<V4List[]> {
  const pages = [await list(token, query)];
  for (let next = operation(pages[0] as V4List, 'next'); next; ) {
    const page = await list(token, next);
    pages.push(page);
    next = operation(page, 'next');
  }
  return pages;
}

const ids = (page: V4List) => page.data.map((item) => item.id);

beforeAll(async () => {
  world = await seedAccessWorld(context);
  tmc = await v4Token(context, world.apps.tmc);
  // 23 trips ending on 8 different days ahead (ties on the same end), one that ended yesterday.
  for (let i = 0; i < 23; i++) await create(`Trip ${i}`, 0, 1 + (i % 8));
  await create('Ended', -3, -1);
});

describe('GET /travel/v4/trips paging', () => {
  it('lists 10 trips a page in end order, each once, with next and prev operations', async () => {
    const pages = await allPages(tmc);
    expect(pages.map((page) => page.data.length)).toEqual([10, 10, 3]);
    const listed = pages.flatMap(ids);
    const upcoming = [...endDay].filter(([, day]) => day >= 0).map(([id]) => id);
    expect([...listed].sort()).toEqual([...upcoming].sort());
    const days = listed.map((id) => endDay.get(id) as number);
    expect(days).toEqual([...days].sort((a, b) => a - b));
    for (const item of pages[0]?.data ?? []) {
      expect(item.href).toBe(`http://localhost:80${V4_PATH}/${item.id}`);
    }
    // The first page has no prev; the last no next; hrefs are full URLs keeping the filters.
    expect(pages[0]?.operations.map((o) => o.rel)).toEqual(['next']);
    expect(pages[2]?.operations.map((o) => o.rel)).toEqual(['prev']);
    const next = operation(pages[0] as V4List, 'next') ?? '';
    expect(next).toMatch(
      new RegExp(
        `^http://localhost:80${V4_PATH}\\?endDateFrom=${dateOnly(0)}&startAfter=[\\w.-]+$`,
      ),
    );
  });

  it('goes back with prev to the same pages', async () => {
    const pages = await allPages(tmc);
    const back = await list(tmc, operation(pages[2] as V4List, 'prev') ?? '');
    expect(ids(back)).toEqual(ids(pages[1] as V4List));
    const first = await list(tmc, operation(back, 'prev') ?? '');
    expect(ids(first)).toEqual(ids(pages[0] as V4List));
    expect(operation(first, 'prev')).toBeUndefined();
    expect(operation(back, 'next')).toBeDefined();
  });

  it('neither repeats nor skips a trip when trips are written between two pages', async () => {
    const first = await list(tmc);
    const expectedSecond = ids(await list(tmc, operation(first, 'next') ?? ''));
    // A trip sorting before the cursor, and one after the whole list.
    const early = await create('Inserted early', 0, 1);
    const late = await create('Inserted late', 0, 30);
    const second = await list(tmc, operation(first, 'next') ?? '');
    expect(ids(second)).toEqual(expectedSecond);
    const rest = (await allPages(tmc)).flatMap(ids);
    expect(rest).toContain(late);
    expect(rest).toContain(early);
    expect(new Set(rest).size).toBe(rest.length);
  });
});

describe('GET /travel/v4/trips filters', () => {
  it('selects by end date, both bounds inclusive, and lists trips that ended within a year', async () => {
    const window = await allPages(tmc, { endDateFrom: dateOnly(2), endDateTo: dateOnly(3) });
    const listed = window.flatMap(ids);
    expect(listed.length).toBeGreaterThan(0);
    expect(new Set(listed.map((id) => endDay.get(id)))).toEqual(new Set([2, 3]));
    const past = (await allPages(tmc, { endDateFrom: dateOnly(-2), endDateTo: dateOnly(0) }))
      .flatMap(ids)
      .map((id) => endDay.get(id));
    expect(past).toEqual([-1]);
    // The operations keep the filters.
    const paged = await list(tmc, {
      schema: 'id',
      endDateFrom: dateOnly(0),
      endDateTo: dateOnly(9),
    });
    expect(operation(paged, 'next')).toContain(
      `schema=id&endDateFrom=${dateOnly(0)}&endDateTo=${dateOnly(9)}&startAfter=`,
    );
  });

  it('lists the trips of the token’s companies and of the TMC’s own agency only', async () => {
    const everyone = (await allPages(tmc)).flatMap(ids);
    const supplier = await v4Token(context, world.apps.supplier);
    expect((await allPages(supplier)).flatMap(ids).sort()).toEqual([...everyone].sort());
    for (const app of [world.apps.otherAgencyTmc, world.apps.foreignTmc]) {
      const other = await v4Token(context, app);
      const page = await list(other);
      expect(page).toEqual({ data: [], operations: [] });
    }
  });
});

describe('GET /travel/v4/trips bad input', () => {
  const bad: [string, Record<string, string> | string, RegExp][] = [
    ['a date of another format', { endDateFrom: '2026/01/01' }, /endDateFrom/],
    ['no such day', { endDateTo: '2031-02-30' }, /endDateTo.*calendar date/],
    ['endDateFrom over a year ago', { endDateFrom: dateOnly(-370) }, /endDateFrom.*one year/],
    [
      'endDateTo before endDateFrom',
      { endDateFrom: dateOnly(3), endDateTo: dateOnly(2) },
      /endDateTo/,
    ],
    ['an unknown schema', { schema: 'full' }, /schema/],
    ['an unknown parameter', { userId: 'x' }, /Unknown query parameter 'userId'/],
    ['a repeated parameter', `${V4_PATH}?endDateTo=2031-01-01&endDateTo=2031-01-02`, /repeated/],
    ['a cursor not of this list', { startAfter: 'abc.def' }, /startAfter/],
  ];
  for (const [what, query, message] of bad) {
    it(`answers 400 for ${what}`, async () => {
      const response = await listTripsV4(context.app, tmc, query);
      expect(v4Error(response, 400)).toMatch(message);
    });
  }

  it('answers 400 for a cursor altered in any way', async () => {
    const next = operation(await list(tmc), 'next') ?? '';
    const cursor = new URL(next).searchParams.get('startAfter') ?? '';
    const [payload, signature] = cursor.split('.') as [string, string];
    const decoded = JSON.parse(Buffer.from(payload, 'base64url').toString()) as unknown[];
    const forged = Buffer.from(JSON.stringify(['a', 0, decoded[2]])).toString('base64url');
    const flipped = `${signature.slice(0, -1)}${signature.endsWith('A') ? 'B' : 'A'}`;
    for (const tampered of [`${forged}.${signature}`, `${payload}.${flipped}`, payload]) {
      const response = await listTripsV4(context.app, tmc, { startAfter: tampered });
      expect(v4Error(response, 400)).toMatch(/startAfter/);
    }
  });
});

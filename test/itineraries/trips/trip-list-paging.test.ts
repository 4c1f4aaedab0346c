/**
 * Paging of the trip list (SPEC §5): `includeMetadata=true` with `ItemsPerPage`/`Page` wraps
 * the list in a namespace-less `ConnectResponse`; page-size defaults 200 (Page sent) / 1000.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { useTestApp } from '../../helpers/app-fixture.js';
import type { TestContext } from '../../helpers/test-app.js';
import {
  auth,
  createTrip,
  expectError,
  infos,
  listedTripIds,
  listTrips,
  simpleTrip,
  TRIP_NS,
  TRIP_PATH,
} from '../../helpers/trip-requests.js';
import { find, parseXml, text, type XmlElement } from '../../helpers/xml-tree.js';

let context: TestContext;
let token: string;
/** The five trips in list order (by start date). */
const ordered: string[] = [];

useTestApp((given) => {
  ({ context, token } = given);
});
beforeAll(async () => {
  // Posted out of order; the list orders by start.
  const starts = [5, 1, 4, 2, 3];
  const byStart = new Map<number, string>();
  for (const start of starts) {
    const { tripId } = await createTrip(
      context.app,
      token,
      simpleTrip(`page${start}`, start, start + 1),
    );
    byStart.set(start, tripId);
  }
  for (const start of [1, 2, 3, 4, 5]) ordered.push(byStart.get(start)!);
});

async function page(query: Record<string, string>): Promise<XmlElement> {
  const response = await listTrips(context.app, token, query);
  expect(response.statusCode, response.body).toBe(200);
  return parseXml(response.body);
}

function paging(doc: XmlElement): Record<string, string | undefined> {
  expect(doc.name).toBe('ConnectResponse');
  const p = find(doc, 'Metadata/Paging')!;
  expect(p).toBeDefined();
  return Object.fromEntries(p.children.map((c) => [c.name, c.text]));
}

const tripIds = (doc: XmlElement) => infos(doc).map((i) => text(i, 'TripId'));

/** Path and query of an absolute paging URL, for inject. */
function local(url: string): string {
  const parsed = new URL(url);
  expect(parsed.pathname).toBe(TRIP_PATH);
  return `${parsed.pathname}${parsed.search}`;
}

describe('GET /api/travel/trip/v1.1?includeMetadata=true', () => {
  it('returns 200 with a ConnectResponse holding the requested page and its links', async () => {
    const doc = await page({ includeMetadata: 'true', ItemsPerPage: '2', Page: '2' });
    expect(doc.uri).toBe('');
    expect(find(doc, 'Metadata')!.uri).toBe('');
    const list = find(doc, 'Data/ItineraryInfoList')!;
    expect(list.uri).toBe(TRIP_NS);
    expect(list.attributes['xmlns:i']).toBe('http://www.w3.org/2001/XMLSchema-instance');
    const meta = paging(doc);
    expect(meta).toMatchObject({
      TotalItems: '5',
      TotalPages: '3',
      CurrentPage: '2',
      ItemsPerPage: '2',
    });
    expect(tripIds(doc)).toEqual(ordered.slice(2, 4));
    const previous = new URL(meta.PreviousPageURL!);
    const next = new URL(meta.NextPageURL!);
    expect(previous.searchParams.get('Page')).toBe('1');
    expect(next.searchParams.get('Page')).toBe('3');
    for (const link of [previous, next]) {
      expect(link.searchParams.get('includeMetadata')).toBe('true');
      expect(link.searchParams.get('ItemsPerPage')).toBe('2');
    }
  });

  it('returns 200 on every page reached through NextPageURL, covering the list once in order', async () => {
    const seen: string[] = [];
    let url: string | undefined = `${TRIP_PATH}?includeMetadata=true&ItemsPerPage=2&Page=1`;
    let pages = 0;
    while (url && pages < 10) {
      const response = await context.app.inject({ method: 'GET', url, headers: auth(token) });
      expect(response.statusCode, response.body).toBe(200);
      const doc = parseXml(response.body);
      const meta = paging(doc);
      expect(meta.CurrentPage).toBe(String(pages + 1));
      if (pages === 0) expect(meta.PreviousPageURL).toBeUndefined();
      seen.push(...(tripIds(doc) as string[]));
      url = meta.NextPageURL ? local(meta.NextPageURL) : undefined;
      pages += 1;
    }
    expect(pages).toBe(3);
    expect(seen).toEqual(ordered);
    expect(seen).toEqual(await listedTripIds(context.app, token));
  });

  it('returns 200 with no NextPageURL on the last page and an empty Data list past it', async () => {
    const last = await page({ includeMetadata: 'true', ItemsPerPage: '2', Page: '3' });
    expect(paging(last).NextPageURL).toBeUndefined();
    expect(tripIds(last)).toEqual(ordered.slice(4));
    const beyond = await page({ includeMetadata: 'true', ItemsPerPage: '2', Page: '4' });
    expect(paging(beyond)).toMatchObject({ TotalItems: '5', CurrentPage: '4' });
    expect(tripIds(beyond)).toEqual([]);
  });

  it('links a page past the end back to the last page holding trips, never to another empty one', async () => {
    for (const past of ['4', '9']) {
      const meta = paging(await page({ includeMetadata: 'true', ItemsPerPage: '2', Page: past }));
      expect(meta).toMatchObject({ TotalPages: '3', CurrentPage: past });
      expect(meta.NextPageURL).toBeUndefined();
      const previous = new URL(meta.PreviousPageURL!);
      expect(previous.searchParams.get('Page')).toBe('3');
      const last = await page({ includeMetadata: 'true', ItemsPerPage: '2', Page: '3' });
      expect(tripIds(last)).toEqual(ordered.slice(4));
    }
    // The JSON list links the same way.
    const json = await listTrips(
      context.app,
      token,
      { includeMetadata: 'true', ItemsPerPage: '2', Page: '9' },
      { accept: 'application/json' },
    );
    expect(json.statusCode, json.body).toBe(200);
    const jsonPaging = json.json().Metadata.Paging;
    expect(new URL(jsonPaging.PreviousPageURL).searchParams.get('Page')).toBe('3');
    expect(jsonPaging.NextPageURL).toBeUndefined();
  });

  it('gives no links at all past the end of an empty list', async () => {
    const meta = paging(
      await page({ includeMetadata: 'true', ItemsPerPage: '2', Page: '2', bookingType: 'Rail' }),
    );
    expect(meta).toMatchObject({ TotalItems: '0', TotalPages: '0', CurrentPage: '2' });
    expect(meta.PreviousPageURL).toBeUndefined();
    expect(meta.NextPageURL).toBeUndefined();
  });

  it('returns 200 with ItemsPerPage 200 when only Page is sent', async () => {
    const doc = await page({ includeMetadata: 'true', Page: '1' });
    expect(paging(doc)).toMatchObject({ ItemsPerPage: '200', CurrentPage: '1', TotalPages: '1' });
    expect(tripIds(doc)).toEqual(ordered);
  });

  it('returns 200 with ItemsPerPage 1000 and page 1 when neither is sent', async () => {
    const doc = await page({ includeMetadata: 'true' });
    const meta = paging(doc);
    expect(meta).toMatchObject({ ItemsPerPage: '1000', CurrentPage: '1', TotalItems: '5' });
    expect(meta.PreviousPageURL).toBeUndefined();
    expect(meta.NextPageURL).toBeUndefined();
  });

  it('returns 200 for lower-case parameter names (includemetadata, itemsperpage, page)', async () => {
    const doc = await page({ includemetadata: 'TRUE', itemsperpage: '2', page: '3' });
    expect(paging(doc)).toMatchObject({ CurrentPage: '3', ItemsPerPage: '2' });
    expect(tripIds(doc)).toEqual(ordered.slice(4));
  });

  it('returns 200 with the plain ItineraryInfoList of all trips without includeMetadata', async () => {
    const queries: Record<string, string>[] = [
      { ItemsPerPage: '2', Page: '2' },
      { includeMetadata: 'false', ItemsPerPage: '2' },
    ];
    for (const query of queries) {
      const doc = await page(query);
      expect(doc.name).toBe('ItineraryInfoList');
      expect(tripIds(doc)).toEqual(ordered);
    }
  });

  it('returns 200 with Metadata and Data as JSON when Accept is application/json', async () => {
    const response = await listTrips(
      context.app,
      token,
      { includeMetadata: 'true', ItemsPerPage: '2', Page: '1' },
      { accept: 'application/json' },
    );
    expect(response.statusCode).toBe(200);
    const body = response.json() as {
      Metadata: { Paging: Record<string, unknown> };
      Data: { TripId: string }[];
    };
    expect(body.Metadata.Paging).toMatchObject({
      TotalItems: 5,
      TotalPages: 3,
      CurrentPage: 1,
      ItemsPerPage: 2,
    });
    expect(body.Data.map((t) => t.TripId)).toEqual(ordered.slice(0, 2));
  });

  it('returns 200 with paging links from POST GetTrips (JSON numbers and booleans) that GET can follow', async () => {
    const response = await context.app.inject({
      method: 'POST',
      url: `${TRIP_PATH}/GetTrips`,
      headers: { ...auth(token), 'content-type': 'application/json' },
      payload: JSON.stringify({ includeMetadata: true, ItemsPerPage: 3, Page: 1 }),
    });
    expect(response.statusCode, response.body).toBe(200);
    const doc = parseXml(response.body);
    expect(tripIds(doc)).toEqual(ordered.slice(0, 3));
    const next = await context.app.inject({
      method: 'GET',
      url: local(paging(doc).NextPageURL!),
      headers: auth(token),
    });
    expect(tripIds(parseXml(next.body))).toEqual(ordered.slice(3));
  });

  it('returns 400 for an ItemsPerPage or Page that is not a positive whole number', async () => {
    const bads: Record<string, string>[] = [
      { ItemsPerPage: '0' },
      { ItemsPerPage: 'ten' },
      { ItemsPerPage: '1001' },
      { Page: '0' },
      { Page: '-1' },
      { Page: '1.5' },
    ];
    for (const bad of bads) {
      expectError(
        await listTrips(context.app, token, { includeMetadata: 'true', ...bad }),
        400,
        /ItemsPerPage|Page/,
      );
    }
  });
});

import { SaxesParser } from 'saxes';
import { beforeAll, describe, expect, it } from 'vitest';
import { useTestApp } from '../../helpers/app-fixture.js';
import { sample } from '../../helpers/reference-files.js';
import type { TestContext } from '../../helpers/test-app.js';

let context: TestContext;
let token: string;
let tripId: string;

useTestApp((given) => {
  ({ context, token } = given);
});
beforeAll(async () => {
  const post = await context.app.inject({
    method: 'POST',
    url: '/api/travel/trip/v1.1',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/xml' },
    payload: sample('tmc-guide-post-trip-request.xml'),
  });
  tripId = /<TripId>([^<]+)<\/TripId>/.exec(post.body)?.[1] ?? '';
});

/** Element names in document order, to check shape without caring about whitespace. */
function elementNames(xml: string): string[] {
  const names: string[] = [];
  const parser = new SaxesParser();
  parser.on('opentag', (tag) => names.push(tag.name));
  parser.write(xml).close();
  return names;
}

describe('GET /api/travel/trip/v1.1/{tripId}?systemFormat=Tripit', () => {
  it('answers the TripIt Response document with one object per kind of travel', async () => {
    const response = await context.app.inject({
      method: 'GET',
      url: `/api/travel/trip/v1.1/${tripId}?systemFormat=Tripit`,
      headers: { authorization: `OAuth ${token}` },
    });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toContain('application/xml');
    const names = elementNames(response.body);
    expect(names[0]).toBe('Response');
    expect(names[1]).toBe('Trip');
    expect(names).toContain('AirObject');
    expect(names).toContain('LodgingObject');
    expect(names).toContain('CarObject');
    expect(names.filter((n) => n === 'Segment')).toHaveLength(2);
    expect(response.body).toContain(`<id>${tripId}</id>`);
    expect(response.body).toContain('<display_name>Trip from Milan to Rome2</display_name>');
    expect(response.body).toContain('<start_airport_code>MIL</start_airport_code>');
  });

  it('accepts the format name in any case and refuses an unknown one with 400', async () => {
    const lower = await context.app.inject({
      method: 'GET',
      url: `/api/travel/trip/v1.1/${tripId}?systemformat=tripit`,
      headers: { authorization: `Bearer ${token}` },
    });
    expect(lower.body).toContain('<Response>');
    const unknown = await context.app.inject({
      method: 'GET',
      url: `/api/travel/trip/v1.1/${tripId}?systemFormat=Sabre`,
      headers: { authorization: `Bearer ${token}` },
    });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.body).toContain('systemFormat');
  });
});

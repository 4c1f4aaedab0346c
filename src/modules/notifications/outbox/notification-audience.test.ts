import { describe, expect, it } from 'vitest';
import type { XmlNode } from '../../../xml/document.js';
import { notificationAudience, type SubscriberApp } from './notification-audience.js';

const app = (over: Partial<SubscriberApp>): SubscriberApp => ({
  id: 'app',
  kind: 'tmc',
  bookingSource: null,
  agencyId: null,
  ...over,
});
const booking = (source: string): XmlNode => ({ BookingSource: source, RecordLocator: 'X1' });

describe('notificationAudience', () => {
  const cases: [string, SubscriberApp, string | null, XmlNode[], string | undefined][] = [
    ['TMC without agency, trip of an agency', app({}), 'agency-a', [], 'full'],
    ['TMC of the trip agency', app({ agencyId: 'agency-a' }), 'agency-a', [], 'full'],
    ['TMC of another agency', app({ agencyId: 'agency-b' }), 'agency-a', [], undefined],
    ['TMC with agency, trip of none', app({ agencyId: 'agency-b' }), null, [], 'full'],
    ['partner', app({ kind: 'partner' }), 'agency-a', [], 'full'],
    // An agency id on a partner or supplier app does not hide anything (only TMC apps act for one).
    ['partner with agency', app({ kind: 'partner', agencyId: 'x' }), 'agency-a', [], 'full'],
    [
      'supplier with a booking in the trip',
      app({ kind: 'supplier', bookingSource: 'SkyAir' }),
      null,
      [booking('GDS'), booking('skyair ')],
      'supplier',
    ],
    [
      'supplier without a booking in the trip',
      app({ kind: 'supplier', bookingSource: 'SkyAir' }),
      null,
      [booking('GDS')],
      undefined,
    ],
    [
      'supplier without a booking source',
      app({ kind: 'supplier', bookingSource: null }),
      null,
      [booking('GDS')],
      undefined,
    ],
  ];
  for (const [name, subscriber, agency, bookings, expected] of cases) {
    it(name, () => {
      const audience = notificationAudience(subscriber, { agencyId: agency, bookings });
      expect(audience?.kind).toBe(expected);
      if (audience?.kind === 'supplier') expect(audience.bookingSource).toBe('SkyAir');
    });
  }
});

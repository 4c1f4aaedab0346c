/**
 * Unit tests of the TripIt-formatted trip details (`systemFormat=Tripit`): markup in values is
 * escaped, and characters XML 1.0 cannot carry are dropped. Output is read back with saxes, so
 * every case also checks well-formedness.
 */
import { describe, expect, it } from 'vitest';
import { items, view } from '../../../../test/helpers/trip-views.js';
import { type El, leaves, one, parse } from '../../../../test/helpers/tripit-tree.js';
import type { XmlNode } from '../../../xml/document.js';
import { writeXml } from '../../../xml/output/xml-output-writer.js';
import type { TripView } from '../rules/trip-view.js';
import { presentTripItResponse } from './tripit.presenter.js';

const BASE_URL = 'https://www.concursolutions.com';

function present(trip: TripView): El {
  return parse(writeXml(presentTripItResponse(trip, { baseUrl: BASE_URL })));
}

describe('presentTripItResponse: escaping', () => {
  it('escapes markup in every value and keeps the text intact', () => {
    const tricky = 'R&D <Q3> "offsite" \'s ]]> &amp;';
    const booking: XmlNode = {
      RecordLocator: 'A&B<1>',
      BookingSource: '<script>',
      Passengers: items('Passenger', [{ NameFirst: tricky, NameLast: "O'Brien & Sons" }]),
      Segments: items('Hotel', [{ Name: tricky, StartAddress: '1 <Main> St & Co' }]),
    };
    const xml = writeXml(
      presentTripItResponse(view({ TripName: tricky }, [booking]), { baseUrl: BASE_URL }),
    );
    expect(xml).not.toContain('<Q3>');
    expect(xml).not.toContain('<script>');
    expect(xml).toContain('R&amp;D &lt;Q3&gt;');

    const response = parse(xml);
    expect(leaves(one(response, 'Trip')).display_name).toBe(tricky);
    const lodging = one(response, 'LodgingObject');
    expect(leaves(lodging)).toMatchObject({
      booking_site_conf_num: 'A&B<1>',
      booking_site_name: '<script>',
      supplier_name: tricky,
    });
    expect(leaves(one(lodging, 'Address')).address).toBe('1 <Main> St & Co');
    expect(leaves(one(lodging, 'Guest'))).toMatchObject({
      first_name: tricky,
      last_name: "O'Brien & Sons",
    });
  });

  it('drops characters XML 1.0 cannot carry instead of breaking the document', () => {
    const response = present(view({ TripName: 'bell\u0007 and nul\u0000' }, []));
    expect(leaves(one(response, 'Trip')).display_name).toBe('bell and nul');
  });
});

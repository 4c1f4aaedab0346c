import { describe, expect, it } from 'vitest';
import type { XmlNode } from '../../../xml/document.js';
import { anonymizeNode, namesIn, personalWordsOf } from './anonymize-rules.js';

const personal = personalWordsOf(['Ann', 'Lee', 'Ann Lee'], ['ann.lee@mail.example', 'alee']);

describe('anonymizeNode', () => {
  it('replaces names, removes what describes the person, keeps the travel facts', () => {
    const booking: XmlNode = {
      RecordLocator: 'ABC123',
      BookedByFirstName: 'Ann',
      FareExpiresEmailDatetimeUtc: '2030-01-01T00:00:00',
      Passengers: [
        {
          element: 'Passenger',
          node: { NameFirst: 'Ann', NameLast: 'Lee', NameMiddle: 'Q', Email: 'x@y.example' },
        },
      ],
      Segments: [
        {
          element: 'Air',
          node: {
            StartCityCode: 'ANP',
            StartCityName: 'Annapolis',
            Notes: 'window seat',
            Remark: 'Met by Ann at the gate',
            TicketNumber: '0161234567890',
          },
        },
      ],
    };
    expect(anonymizeNode(booking, personal)).toEqual({
      RecordLocator: 'ABC123',
      BookedByFirstName: 'Anonymized',
      FareExpiresEmailDatetimeUtc: '2030-01-01T00:00:00',
      Passengers: [
        { element: 'Passenger', node: { NameFirst: 'Anonymized', NameLast: 'Traveller' } },
      ],
      Segments: [{ element: 'Air', node: { StartCityCode: 'ANP', StartCityName: 'Annapolis' } }],
    });
    // The input is left as it was.
    expect(booking.BookedByFirstName).toBe('Ann');
  });

  it('renames a trip named after the person, and finds e-mails inside text', () => {
    const trip = {
      TripName: "Ann's trip",
      ProjectName: 'Write to ann.lee@mail.example',
      Foo: 'Bar',
    };
    expect(anonymizeNode(trip, personal)).toEqual({ TripName: 'Trip', Foo: 'Bar' });
  });

  it('collects the names a document holds', () => {
    const node: XmlNode = {
      Passengers: [{ element: 'Passenger', node: { NameFirst: 'Otto', NameLast: 'Quimby' } }],
    };
    expect(namesIn(node)).toEqual(['Otto', 'Quimby']);
  });
});

/**
 * The opportunity rules (docs/INSIGHTS.md) over real booking documents: the published TMC
 * samples, the rich trip of the test fixtures and the one-way trip of test/fixtures/insights,
 * parsed by the same reader as a POST, plus small time lines for each rule's edges.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { list, type XmlNode } from '../../../xml/document.js';
import { parseXmlDocument } from '../../../xml/xml-reader.js';
import {
  groundOpportunities,
  hotelOpportunities,
  opportunitiesOf,
  returnOpportunities,
} from './opportunity-rules.js';
import { cityKey, type TimelineSegment, tripTimeline } from './trip-timeline.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../..');

/** The bookings of an Itinerary file, as stored. */
function bookingsOf(file: string): XmlNode[] {
  const itinerary = parseXmlDocument(readFileSync(path.join(ROOT, file)), 'Itinerary');
  return list(itinerary, 'Bookings').map((item) => item.node);
}

const timelineOf = (file: string) => tripTimeline(bookingsOf(file));

function segment(type: string, fields: Partial<TimelineSegment>): TimelineSegment {
  const ms = (local?: string) => (local ? Date.parse(`${local}Z`) : undefined);
  return { type, ...fields, startMs: ms(fields.startLocal), endMs: ms(fields.endLocal) };
}

describe('the one-way trip fixture', () => {
  const timeline = timelineOf('test/fixtures/insights/one-way-trip.xml');

  it('finds a car in San Francisco (overnight, no ground transport), to the hotel', () => {
    expect(groundOpportunities(timeline)).toContainEqual({
      type: 'Car',
      startCity: 'SFO',
      endCity: 'SFO',
      startLocal: '2030-03-02T11:05:00',
      endLocal: '2030-03-04T17:00:00',
      startPostal: '94105',
      endPostal: '94105',
    });
  });

  it('finds a taxi on landing in Los Angeles, where nothing is booked', () => {
    expect(groundOpportunities(timeline)).toContainEqual({
      type: 'Taxi',
      startCity: 'LAX',
      endCity: 'LAX',
      startLocal: '2030-03-04T18:30:00',
      endLocal: '2030-03-04T18:30:00',
    });
  });

  it('finds no hotel gap: the San Francisco nights are covered', () => {
    expect(hotelOpportunities(timeline)).toEqual([]);
  });

  it('finds the missing flight back from Los Angeles to Seattle', () => {
    expect(returnOpportunities(timeline)).toEqual([
      {
        type: 'Air',
        startCity: 'LAX',
        endCity: 'SEA',
        startLocal: '2030-03-04T18:30:00',
        endLocal: '2030-03-04T18:30:00',
      },
    ]);
  });

  it('lists all of them in time order', () => {
    expect(opportunitiesOf(timeline).map((o) => o.type)).toEqual(['Car', 'Taxi', 'Air']);
  });
});

describe('the rich trip fixture (Milan to Rome with car, hotel, ride and rail)', () => {
  const timeline = timelineOf('test/fixtures/rich-trip.xml');

  it('sees the car picked up at the airport as ground transport and the hotel as covering', () => {
    expect(groundOpportunities(timeline).filter((o) => o.startCity === 'FCO')).toEqual([]);
    expect(hotelOpportunities(timeline).filter((o) => cityKey(o.startCity) === 'ROM')).toEqual([]);
  });
});

describe('the TMC guide sample (Milan and Rome, metropolitan codes)', () => {
  const timeline = timelineOf('reference/concur/samples/tmc-guide-post-trip-request.xml');

  it('compares airports by their metropolitan area: LIN is Milan, so there is no return gap', () => {
    expect(cityKey('LIN')).toBe('MIL');
    expect(cityKey('fco')).toBe('ROM');
    expect(returnOpportunities(timeline)).toEqual([]);
  });

  it('reads the hotel city from StartCity when it holds a code (ROM)', () => {
    expect(timeline.find((s) => s.type === 'Hotel')?.startCity).toBe('ROM');
  });
});

describe('the TMC sample without flights', () => {
  it('finds nothing: no arrival, so no gap to fill', () => {
    expect(
      opportunitiesOf(timelineOf('reference/concur/samples/post-trip-tmc-request.xml')),
    ).toEqual([]);
  });
});

describe('rule edges', () => {
  const out = segment('Air', {
    startCity: 'SEA',
    endCity: 'JFK',
    startLocal: '2030-06-01T08:00:00',
    endLocal: '2030-06-01T16:30:00',
  });
  const back = segment('Air', {
    startCity: 'LGA',
    endCity: 'SEA',
    startLocal: '2030-06-04T18:00:00',
    endLocal: '2030-06-04T21:10:00',
  });

  it('offers a hotel for nights away with none booked, with a postal code of a booked place there', () => {
    const dinner = segment('Dining', {
      startCity: 'NYC',
      startLocal: '2030-06-02T19:00:00',
      startPostal: '10001',
    });
    expect(hotelOpportunities([out, dinner, back])).toEqual([
      {
        type: 'Hotel',
        startCity: 'JFK',
        endCity: 'JFK',
        startLocal: '2030-06-01T16:30:00',
        endLocal: '2030-06-04T18:00:00',
        startPostal: '10001',
        endPostal: '10001',
      },
    ]);
  });

  it('offers no hotel for a same-day return, nor for covered nights', () => {
    const sameDay = {
      ...back,
      startLocal: '2030-06-01T20:00:00',
      startMs: Date.parse('2030-06-01T20:00:00Z'),
    };
    expect(hotelOpportunities([out, sameDay])).toEqual([]);
    const hotel = segment('Hotel', {
      startCity: 'NYC',
      startLocal: '2030-06-01T18:00:00',
      endLocal: '2030-06-04T11:00:00',
    });
    expect(hotelOpportunities([out, hotel, back])).toEqual([]);
  });

  it('counts a car, a ride or a train within 12 hours of landing as onward transport', () => {
    for (const type of ['Car', 'Ride', 'Rail']) {
      const onward = segment(type, { startCity: 'JFK', startLocal: '2030-06-01T17:00:00' });
      expect(groundOpportunities([out, onward, back]).filter((o) => o.startCity === 'JFK')).toEqual(
        [],
      );
    }
    const late = segment('Car', { startCity: 'JFK', startLocal: '2030-06-02T12:00:00' });
    expect(groundOpportunities([out, late, back]).map((o) => o.type)).toEqual(['Car', 'Taxi']);
  });

  it('offers no return for a round trip into another airport of the same city', () => {
    expect(returnOpportunities([out, back])).toEqual([]);
  });

  it('leaves cancelled segments out of the time line', () => {
    const booking: XmlNode = {
      Segments: [
        {
          element: 'Hotel',
          node: { StartCityCode: 'SFO', StartDateLocal: '2030-03-02T15:00:00', Status: 'XX' },
        },
        { element: 'Car', node: { StartCityCode: 'SFO', CancellationNumber: 'C1' } },
      ],
    };
    expect(tripTimeline([booking])).toEqual([]);
  });
});

/**
 * The most important property of the trip resource: whatever a client posts, it reads back.
 * Every leaf of the posted XML is looked up at the same path in the GET (and POST) answer and
 * compared after the documented normalisation (decimals with ≥4 fraction digits, dates as
 * YYYY-MM-DDThh:mm:ss, booleans true/false); the documented elements the XSD lacks must not come
 * back (they are stored, not answered). Leaf types come from the published XSD, read here
 * with saxes, not from the implementation's generated table.
 */

import fs from 'node:fs';
import path from 'node:path';
import { SaxesParser } from 'saxes';
import { describe, expect, it } from 'vitest';
import { useTestApp } from '../../helpers/app-fixture.js';
import { fixturePath, SAMPLES_DIR, sample, xsdText } from '../../helpers/reference-files.js';
import type { TestContext } from '../../helpers/test-app.js';
import { createTrip, getTrip, TRIP_NS } from '../../helpers/trip-requests.js';
import { type Leaf, leaves, parseXml } from '../../helpers/xml-tree.js';

/** The request samples with an `<Itinerary>` root (the booking samples have `<Booking>`). */
const ITINERARY_SAMPLES = [
  'post-trip-agency-proposal-request.xml',
  'post-trip-tmc-request.xml',
  'post-trip-triplink-supplier-request.xml',
  'tmc-guide-post-trip-request.xml',
];

/** Leaves the server owns (SPEC §2.3, §11 item 11), as index-free paths. */
const SERVER_OWNED = [
  /^Itinerary\/(id|TripId|ItinLocator|TripLinkLocator|UserLoginId)$/,
  /^Itinerary\/(DateCreatedUtc|DateModifiedUtc)$/,
  /^Itinerary\/(StartDate|EndDate)(Local|Utc)$/,
  /^Itinerary\/Bookings\/Booking\/(BookingOwner|Source|DateCreatedUtc|DateModifiedUtc)$/,
  /^Itinerary\/Bookings\/Booking\/Segments\/\w+\/(DateCreatedUtc|DateModifiedUtc)$/,
  /^Itinerary\/Bookings\/Booking\/Segments\/\w+\/(StartDateUtc|EndDateUtc)$/,
  /^Itinerary\/Bookings\/Booking\/Segments\/Air\/LegId$/,
];

/**
 * Elements the schema does not know (SPEC §8.1: present in the TMC guide's request, absent from
 * the XSD in that place); the service ignores them.
 */
const NOT_IN_SCHEMA = [
  /^Itinerary\/(ExternalLinks|FormsOfId|IsDemoTrip|ReminderEmailSent|IsBillable)(\/|$)/,
  /^Itinerary\/Bookings\/Booking\/(RailQuotes|IsCliqbookSystemOfRecord|CalculatedAirCharges)(\/|$)/,
  /^Itinerary\/Bookings\/Booking\/Segments\/Air\/(ParseErrors|VirtualCreditCardType|PerDiemLocation|FareBasisCode)$/,
  /^Itinerary\/Bookings\/Booking\/Segments\/Air\/Charges\/Fixed\/VendorName$/,
];

/**
 * Documented elements the XSD lacks (SPEC §8.1): accepted and stored, but left out of answers so
 * that schema-validating clients read them (COMPATIBILITY.md). They must not come back.
 */
const EXTENSIONS = [
  /^Itinerary\/ItinSourceName$/,
  /^Itinerary\/Bookings\/Booking\/(ItinSourceName|OriginalItinLocator)$/,
  /^Itinerary\/Bookings\/Booking\/Passengers\/Passenger\/PassengerKey$/,
  /^Itinerary\/Bookings\/Booking\/Segments\/Car\/CancellationPolicy$/,
  /^Itinerary\/Bookings\/Booking\/Segments\/Hotel\/EndCityCode$/,
  /^Itinerary\/Bookings\/Booking\/Segments\/Ride\/IsPersonal$/,
  /^Itinerary\/Bookings\/Booking\/Segments\/Parking\/VendorName$/,
];

/** Element name → XSD built-in type (`decimal`, `dateTime`, …), from the published XSD. */
function xsdLeafTypes(): Map<string, string> {
  const types = new Map<string, string>();
  const parser = new SaxesParser();
  const open: { name?: string }[] = [];
  parser.on('opentag', (tag) => {
    const attr = (n: string) => {
      const a = tag.attributes[n];
      return typeof a === 'string' ? a : undefined;
    };
    if (tag.name === 'xs:element') {
      const name = attr('name');
      const type = attr('type');
      open.push({ name });
      if (name && type?.startsWith('xs:')) types.set(name, type.slice(3));
    } else if (tag.name === 'xs:restriction') {
      const owner = open.at(-1)?.name;
      const base = attr('base');
      if (owner && base?.startsWith('xs:')) types.set(owner, base.slice(3));
    }
  });
  parser.on('closetag', (tag) => {
    if (tag.name === 'xs:element') open.pop();
  });
  parser.write(xsdText()).close();
  return types;
}

const TYPES = xsdLeafTypes();

function canonicalDecimal(value: string): string {
  const m = /^([+-]?)(\d*)(?:\.(\d*))?$/.exec(value);
  if (!m) return value;
  const integer = (m[2] ?? '').replace(/^0+/, '') || '0';
  const fraction = (m[3] ?? '').padEnd(4, '0');
  const zero = integer === '0' && /^0*$/.test(fraction);
  return `${m[1] === '-' && !zero ? '-' : ''}${integer}.${fraction}`;
}

function canonicalDateTime(value: string, isUtc: boolean): string {
  const m =
    /^(\d{4}-\d{2}-\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2}))?(?:\.\d+)?)?(Z|[+-]\d{2}:\d{2})?$/.exec(
      value,
    );
  if (!m) return value;
  const local = `${m[1]}T${m[2] ?? '00'}:${m[3] ?? '00'}:${m[4] ?? '00'}`;
  const zone = m[5];
  if (!isUtc || !zone || zone === 'Z') return local;
  return new Date(`${local}${zone}`).toISOString().slice(0, 19);
}

/** The value the service must echo for a posted leaf (SPEC §1 "Dates", "Decimals"). */
function expectedValue(leaf: Leaf): string {
  const value = leaf.value.trim();
  switch (TYPES.get(leaf.name)) {
    case 'decimal':
    case 'double':
      return canonicalDecimal(value);
    case 'dateTime':
      return canonicalDateTime(value, /utc$/i.test(leaf.name));
    case 'boolean':
      return value === '1' || value.toLowerCase() === 'true' ? 'true' : 'false';
    default:
      return leaf.value;
  }
}

/** Posted leaves with a value that the answer must carry, minus the two exclusion lists. */
function postedValues(xml: string): Leaf[] {
  return leaves(parseXml(xml)).filter(
    (leaf) =>
      leaf.value.trim() !== '' &&
      !SERVER_OWNED.some((rule) => rule.test(leaf.shape)) &&
      !NOT_IN_SCHEMA.some((rule) => rule.test(leaf.shape)) &&
      !EXTENSIONS.some((rule) => rule.test(leaf.shape)),
  );
}

/** Differences between what was posted and what came back, one line each (empty = none). */
function differences(postedXml: string, answerXml: string): string[] {
  const answer = new Map(leaves(parseXml(answerXml)).map((l) => [l.path, l.value]));
  const problems: string[] = [];
  for (const leaf of leaves(parseXml(answerXml))) {
    if (EXTENSIONS.some((rule) => rule.test(leaf.shape))) {
      problems.push(`${leaf.path}: an element the XSD lacks was answered`);
    }
  }
  for (const leaf of postedValues(postedXml)) {
    const expected = expectedValue(leaf);
    const actual = answer.get(leaf.path);
    if (actual !== expected) {
      problems.push(
        `${leaf.path}: posted ${JSON.stringify(leaf.value)}, got ${JSON.stringify(actual)}`,
      );
    }
  }
  return problems;
}

/** A document touching all nine segment types and the normalised leaf types. */
const RICH_TRIP = fs.readFileSync(fixturePath('rich-trip.xml'), 'utf8');

let context: TestContext;
let token: string;

useTestApp((given) => {
  ({ context, token } = given);
});

/** Posts `xml`, reads the trip back, and checks both answers against what was posted. */
async function roundTrip(xml: string): Promise<void> {
  const { tripId, response } = await createTrip(context.app, token, xml);
  expect(differences(xml, response.body)).toEqual([]);
  const read = await getTrip(context.app, token, tripId);
  expect(read.statusCode, read.body).toBe(200);
  expect(parseXml(read.body).uri).toBe(TRIP_NS);
  expect(differences(xml, read.body)).toEqual([]);
}

function withoutNamespace(xml: string): string {
  const stripped = xml.replace(` xmlns="${TRIP_NS}"`, '');
  expect(stripped).not.toContain(TRIP_NS);
  return stripped;
}

/** The same document with every element in the trip namespace through a `t:` prefix. */
function withPrefix(xml: string): string {
  const prefixed = withoutNamespace(xml)
    .replace(/<(\/?)([A-Za-z])/g, '<$1t:$2')
    .replace('<t:Itinerary', `<t:Itinerary xmlns:t="${TRIP_NS}"`);
  expect(parseXml(prefixed).uri).toBe(TRIP_NS);
  return prefixed;
}

describe('POST /api/travel/trip/v1.1 then GET /api/travel/trip/v1.1/{tripId}', () => {
  it('covers every Itinerary request sample in the reference folder', () => {
    const dir = SAMPLES_DIR;
    const found = fs
      .readdirSync(dir)
      .filter((f) => /request.*\.xml$/.test(f))
      .filter((f) => parseXml(fs.readFileSync(path.join(dir, f), 'utf8')).name === 'Itinerary')
      .sort();
    expect(found).toEqual(ITINERARY_SAMPLES);
  });

  it('reads the XSD leaf types the comparison relies on', () => {
    expect(TYPES.get('Amount')).toBe('decimal');
    expect(TYPES.get('StartDateLocal')).toBe('dateTime');
    expect(TYPES.get('IsPrimary')).toBe('boolean');
    expect(TYPES.get('FlightNumber')).toBe('string');
  });

  it('compares values, not just presence (a changed value is reported)', () => {
    const xml = sample('post-trip-tmc-request.xml');
    const tampered = xml.replace(
      '<DailyRate>44.0000</DailyRate>',
      '<DailyRate>45.0000</DailyRate>',
    );
    // The request itself carries ItinSourceName and OriginalItinLocator, which no answer may.
    const lacking = (path: string) => `Itinerary/${path}[1]: an element the XSD lacks was answered`;
    expect(differences(xml, tampered)).toEqual([
      lacking('ItinSourceName'),
      lacking('Bookings[1]/Booking[1]/ItinSourceName'),
      lacking('Bookings[1]/Booking[2]/OriginalItinLocator'),
      lacking('Bookings[1]/Booking[2]/ItinSourceName'),
      'Itinerary/Bookings[1]/Booking[1]/Segments[1]/Car[1]/DailyRate[1]: posted "44.0000", got "45.0000"',
    ]);
    expect(postedValues(xml).length).toBeGreaterThan(50);
  });

  for (const name of ITINERARY_SAMPLES) {
    it(`returns 200 and echoes every posted value of ${name}`, async () => {
      await roundTrip(sample(name));
    });

    it(`returns 200 and echoes every posted value of ${name} without a namespace`, async () => {
      await roundTrip(withoutNamespace(sample(name)));
    });
  }

  it('returns 200 and echoes every posted value of a sample whose elements use a t: prefix', async () => {
    await roundTrip(withPrefix(sample('tmc-guide-post-trip-request.xml')));
  });

  it('returns 200 and echoes a document with all nine segment types and normalised values', async () => {
    await roundTrip(RICH_TRIP);
  });

  it('normalises decimals, dates and booleans as documented', async () => {
    const { doc } = await createTrip(context.app, token, RICH_TRIP);
    const values = new Map(leaves(doc).map((l) => [l.path, l.value]));
    const booking = 'Itinerary/Bookings[1]/Booking[1]';
    expect(values.get(`${booking}/Segments[1]/Air[1]/Charges[1]/Fixed[1]/Amount[1]`)).toBe(
      '333.7500',
    );
    expect(values.get(`${booking}/Segments[1]/Air[1]/StartDateLocal[1]`)).toBe(
      '2030-05-01T07:00:00',
    );
    expect(values.get(`${booking}/Segments[1]/Air[1]/Charges[1]/Fixed[1]/IsPaid[1]`)).toBe('false');
    expect(values.get(`${booking}/RailPayments[1]/RailPayment[1]/BaseFare[1]`)).toBe('-0.5000');
    expect(values.get(`${booking}/LastTicketDateUtc[1]`)).toBe('2030-04-20T10:00:00');
    expect(values.get('Itinerary/IsPersonal[1]')).toBe('true');
    expect(values.get(`${booking}/Segments[1]/Air[1]/FlightNumber[1]`)).toBe('0042');
  });

  it('ignores elements the schema does not know instead of rejecting them', async () => {
    const { doc } = await createTrip(context.app, token, sample('tmc-guide-post-trip-request.xml'));
    const names = new Set(leaves(doc).map((l) => l.name));
    for (const unknown of [
      'IsDemoTrip',
      'ReminderEmailSent',
      'IsBillable',
      'IsCliqbookSystemOfRecord',
    ]) {
      expect(names.has(unknown)).toBe(false);
    }
  });
});

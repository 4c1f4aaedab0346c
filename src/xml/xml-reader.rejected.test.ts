/**
 * What the XML reader refuses, as a 400 with a stable code: empty, malformed or misplaced input,
 * and documents past the depth and element-count limits.
 */
import { describe, expect, it } from 'vitest';
import { failure, itinerary, NS, rejected } from '../../test/helpers/xml-documents.js';
import { parseXmlDocument } from './xml-reader.js';

describe('parseXmlDocument: rejected input', () => {
  it.each([
    ['', 'empty string'],
    ['  \n\t ', 'whitespace'],
    ['\uFEFF ', 'BOM only'],
  ])('empty body (%j, %s)', (body) => {
    const error = rejected(body, 'Booking');
    expect(error.code).toBe('empty_body');
    expect(error.message).toContain('<Booking>');
  });

  it('empty Buffer', () => {
    expect(rejected(Buffer.alloc(0)).code).toBe('empty_body');
  });

  it.each([
    ['<!DOCTYPE Itinerary><Itinerary/>', 'plain DOCTYPE'],
    [
      '<?xml version="1.0"?><!DOCTYPE Itinerary [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><Itinerary><TripName>&xxe;</TripName></Itinerary>',
      'XXE',
    ],
    [
      `<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;"><!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]><Itinerary><TripName>&lol3;</TripName></Itinerary>`,
      'billion laughs',
    ],
    ['<Itinerary><!DOCTYPE Itinerary></Itinerary>', 'DOCTYPE inside the root'],
  ])('DOCTYPE → forbidden construct (%#: %s)', (body) => {
    const error = rejected(body);
    expect(error.code).toBe('forbidden_xml_construct');
    expect(error.message).toContain('DOCTYPE');
  });

  it.each([
    ['<Itinerary><TripName>&nbsp;</TripName></Itinerary>', 'undefined entity'],
    ['<Itinerary><TripName>T</Trip></Itinerary>', 'mismatched tags'],
    ['<Itinerary><TripName>T</TripName>', 'unclosed root'],
    ['<Itinerary/>trailing', 'text after the root'],
    ['<Itinerary/><Itinerary/>', 'two roots'],
    ['just text', 'no element'],
    ['<?xml version="1.0"?>', 'declaration only'],
    ['<Itinerary a="1" a="2"/>', 'duplicate attribute'],
    ['<x:Itinerary/>', 'unbound prefix'],
  ])('malformed: %s (%s)', (body) => {
    const error = rejected(body);
    expect(error.code).toBe('malformed_xml');
  });

  it('reports where the document is malformed', () => {
    const error = rejected('<Itinerary>\n  <TripName>T</Trip>\n</Itinerary>');
    expect(error.message).toMatch(/line 2/);
  });

  it.each([
    ['<Booking/>', 'Booking'],
    [`<Itinerary xmlns="urn:other"/>`, 'Itinerary'],
    [`<x:Itinerary xmlns:x="urn:other"/>`, 'x:Itinerary'],
    [`<ConnectResponse ${NS}/>`, 'ConnectResponse'],
  ])('wrong root %s', (body, found) => {
    const error = rejected(body);
    expect(error.code).toBe('wrong_root_element');
    expect(error.message).toContain(`<${found}>`);
  });

  it('names both namespaces when the root has the right name in another namespace', () => {
    const typo = 'http://www.concursolutions.com/api/travel/trips/2010/06';
    expect(rejected(`<Itinerary xmlns="${typo}"/>`).message).toBe(
      'Expected the root element <Itinerary> in the namespace ' +
        'http://www.concursolutions.com/api/travel/trip/2010/06 (or in no namespace) ' +
        `but found <Itinerary> in the namespace ${typo} (line 1, column 76).`,
    );
    expect(rejected(`<t:Booking xmlns:t="urn:x"/>`, 'Booking').message).toMatch(
      /found <t:Booking> in the namespace urn:x \(line 1, column 28\)\.$/,
    );
  });

  // Issue 16: every refusal of the reader says where in the body it was met.
  it.each([
    ['<Itinerary>\n  <x:TripName>T</x:TripName>\n</Itinerary>', 'malformed_xml', 2, 14],
    ['<Itinerary>\n<TripName>T</Trip>\n</Itinerary>', 'malformed_xml', 2, 18],
    ['\n\n<Booking/>', 'wrong_root_element', 3, 10],
    ['<Itinerary>\n<Comments>\n  <b>x</b></Comments></Itinerary>', 'invalid_value', 3, 5],
    ['<Itinerary>\n <StartDateLocal>soon</StartDateLocal>\n</Itinerary>', 'invalid_value', 2, 38],
    [
      '<Itinerary>\n <TripName>a</TripName><TripName>b</TripName></Itinerary>',
      'invalid_value',
      2,
      45,
    ],
    ['<Itinerary>\n  <Bookings>text</Bookings></Itinerary>', 'invalid_value', 2, 17],
    ['<Itinerary>\n<!DOCTYPE x></Itinerary>', 'forbidden_xml_construct', 2, 9],
    ['<?xml version="1.0"?>\n', 'malformed_xml', 2, 0],
  ])('positions the refusal of %j', (body, code, line, column) => {
    const error = rejected(body);
    expect(error.code).toBe(code);
    expect(error.message).toContain(`(line ${line}, column ${column})`);
  });

  it('positions the depth and element-count limits', () => {
    const deep = `<Itinerary>\n${'<Bookings>'.repeat(40)}`;
    expect(rejected(deep).message).toMatch(/deeper than 32 levels \(line 2, column \d+\)\.$/);
    const many = `<Itinerary>\n${'<x/>'.repeat(30)}</Itinerary>`;
    expect(failure(() => parseXmlDocument(many, 'Itinerary', { maxElements: 10 })).message).toBe(
      'The document has more than 10 elements (line 2, column 40).',
    );
  });

  it('rejects an over-long Comments naming the element and the limit', () => {
    const error = rejected(itinerary(`<Comments>${'x'.repeat(513)}</Comments>`));
    expect(error.code).toBe('invalid_value');
    expect(error.message).toContain('Itinerary/Comments');
    expect(error.message).toContain('512');
  });

  const nested = (segment: string) =>
    itinerary(
      `<Bookings><Booking><RecordLocator>A</RecordLocator></Booking><Booking><Segments><Hotel/><Air/><Air>${segment}</Air></Segments></Booking></Bookings>`,
    );

  it.each([
    ['<StartDateLocal>2021-02-30T10:00:00</StartDateLocal>', 'Air[2]/StartDateLocal'],
    ['<StartDateLocal>tomorrow</StartDateLocal>', 'Air[2]/StartDateLocal'],
    [
      '<Charges><Fixed/><Fixed><Amount>1e5</Amount></Fixed></Charges>',
      'Air[2]/Charges/Fixed[2]/Amount',
    ],
    ['<Charges><Rate><Amount>12,50</Amount></Rate></Charges>', 'Air[2]/Charges/Rate[1]/Amount'],
    ['<CarbonEmissionLbs>abc</CarbonEmissionLbs>', 'Air[2]/CarbonEmissionLbs'],
    ['<Miles>3.5</Miles>', 'Air[2]/Miles'],
    ['<NumStops>256</NumStops>', 'Air[2]/NumStops'],
    ['<IsOpenSegment>yes</IsOpenSegment>', 'Air[2]/IsOpenSegment'],
    ['<FlightNumber>12345678901</FlightNumber>', 'Air[2]/FlightNumber'],
  ])('invalid value %s names its path', (segment, suffix) => {
    const error = rejected(nested(segment));
    expect(error.code).toBe('invalid_value');
    expect(error.message).toContain(`Itinerary/Bookings/Booking[2]/Segments/${suffix}`);
  });

  it('rejects child elements inside a leaf and text inside a complex element', () => {
    const mixed = rejected(itinerary('<TripName>a<b>c</b></TripName>'));
    expect(mixed.code).toBe('invalid_value');
    expect(mixed.message).toContain('Itinerary/TripName');
    const text = rejected(itinerary('<Bookings>stray<Booking/></Bookings>'));
    expect(text.code).toBe('invalid_value');
    expect(text.message).toContain('Itinerary/Bookings');
  });

  it('accepts the documented TripStatus and TimeZoneId quirks', () => {
    const node = parseXmlDocument(
      itinerary(
        '<TripStatus>HK</TripStatus><Bookings><Booking><Segments><Hotel><TimeZoneId>Pacific</TimeZoneId></Hotel></Segments></Booking></Bookings>',
      ),
      'Itinerary',
    );
    expect(node.TripStatus).toBe('HK');
    expect(JSON.stringify(node)).toContain('"TimeZoneId":"Pacific"');
  });
});

describe('parseXmlDocument: limits', () => {
  const deep = (levels: number) =>
    itinerary(`${'<Unknown>'.repeat(levels)}${'</Unknown>'.repeat(levels)}`);

  it('rejects nesting deeper than 32 levels, even inside ignored elements', () => {
    expect(parseXmlDocument(deep(31), 'Itinerary')).toEqual({});
    const error = rejected(deep(32));
    expect(error.code).toBe('bad_request');
    expect(error.message).toContain('32');
  });

  it('honours custom limits', () => {
    expect(failure(() => parseXmlDocument(deep(3), 'Itinerary', { maxDepth: 3 })).code).toBe(
      'bad_request',
    );
    const many = itinerary('<Unknown/>'.repeat(10));
    expect(parseXmlDocument(many, 'Itinerary', { maxElements: 11 })).toEqual({});
    expect(failure(() => parseXmlDocument(many, 'Itinerary', { maxElements: 10 })).code).toBe(
      'bad_request',
    );
  });

  it('rejects more than 20,000 elements by default', () => {
    const error = rejected(itinerary('<X/>'.repeat(20_000)));
    expect(error.code).toBe('bad_request');
  });
});

import { describe, expect, it } from 'vitest';
import { AppError } from '../errors.js';
import { TRIP_NAMESPACE } from './schema.js';
import { parseXmlDocument } from './xml-reader.js';

const NS = `xmlns="${TRIP_NAMESPACE}"`;
const XSI = 'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"';

function itinerary(inner: string, attrs = NS): string {
  return `<?xml version="1.0" encoding="utf-8"?>\n<Itinerary ${attrs}>${inner}</Itinerary>`;
}

function failure(run: () => unknown): AppError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(AppError);
    return error as AppError;
  }
  throw new Error('expected the document to be rejected');
}

function rejected(body: string | Buffer, root: 'Itinerary' | 'Booking' = 'Itinerary') {
  const error = failure(() => parseXmlDocument(body, root));
  expect(error.httpStatus).toBe(400);
  return error;
}

describe('parseXmlDocument: document shape', () => {
  it('builds leaves, lists (keeping item names) and complex elements', () => {
    const node = parseXmlDocument(
      itinerary(`
        <TripName>Trip</TripName>
        <Bookings>
          <Booking>
            <RecordLocator>ABC</RecordLocator>
            <Segments><Hotel><Name>H</Name></Hotel><Air><FlightNumber>12</FlightNumber></Air></Segments>
            <Delivery><City>Oslo</City></Delivery>
          </Booking>
        </Bookings>`),
      'Itinerary',
    );
    expect(node).toEqual({
      TripName: 'Trip',
      Bookings: [
        {
          element: 'Booking',
          node: {
            RecordLocator: 'ABC',
            Segments: [
              { element: 'Hotel', node: { Name: 'H' } },
              { element: 'Air', node: { FlightNumber: '12' } },
            ],
            Delivery: { City: 'Oslo' },
          },
        },
      ],
    });
  });

  it('reads a Booking root without namespace', () => {
    const node = parseXmlDocument(
      `<Booking ${XSI}><RecordLocator>X</RecordLocator></Booking>`,
      'Booking',
    );
    expect(node).toEqual({ RecordLocator: 'X' });
  });

  it('gives the same node for namespaced, prefixed and namespace-less input', () => {
    const inner =
      '<TripName>T</TripName><Bookings><Booking><RecordLocator>R</RecordLocator></Booking></Bookings>';
    const expected = parseXmlDocument(itinerary(inner, ''), 'Itinerary');
    expect(parseXmlDocument(itinerary(inner), 'Itinerary')).toEqual(expected);
    const prefixed = `<t:Itinerary xmlns:t="${TRIP_NAMESPACE}"><t:TripName>T</t:TripName><t:Bookings><t:Booking><t:RecordLocator>R</t:RecordLocator></t:Booking></t:Bookings></t:Itinerary>`;
    expect(parseXmlDocument(prefixed, 'Itinerary')).toEqual(expected);
  });

  it('leaves empty list wrappers out and joins repeated ones into one array', () => {
    const node = parseXmlDocument(
      itinerary(
        '<CustomAttributes/><Bookings><Booking><Segments><Car/></Segments><Segments><Air/><Car/></Segments><Passengers></Passengers></Booking></Bookings>',
      ),
      'Itinerary',
    );
    expect(node).not.toHaveProperty('CustomAttributes');
    expect(node.Bookings).toEqual([
      {
        element: 'Booking',
        node: {
          Segments: [
            { element: 'Car', node: {} },
            { element: 'Air', node: {} },
            { element: 'Car', node: {} },
          ],
        },
      },
    ]);
  });

  it('keeps empty strings, drops empty typed leaves, decodes entities, CDATA and comments', () => {
    const node = parseXmlDocument(
      itinerary(
        '<Comments /><DateBookedLocal></DateBookedLocal><TripName>A &amp; B &lt;&#x263A;&#65;<!-- no -->C<![CDATA[ <d> ]]></TripName><IsPersonal>\n true \n</IsPersonal>',
      ),
      'Itinerary',
    );
    expect(node).toEqual({ Comments: '', TripName: 'A & B <☺AC <d> ', IsPersonal: 'true' });
  });

  it('ignores unknown elements, xs:any content and foreign-namespace elements with their subtree', () => {
    const node = parseXmlDocument(
      itinerary(`
        <ExternalLinks><Link><Amount>not a number</Amount></Link></ExternalLinks>
        <IsDemoTrip>false</IsDemoTrip>
        <x:TripName xmlns:x="urn:other">Other</x:TripName>
        <TripName lang="en" x:y="z" xmlns:x="urn:other">Mine</TripName>
        <Bookings>
          <Booking>
            <Warnings><Warning><Anything>at all</Anything></Warning></Warnings>
            <Segments><Bus><Seat/></Bus><Air><ParseErrors/><PerDiemLocation>x</PerDiemLocation></Air></Segments>
            <CalculatedAirCharges><CalculatedAirCharge><TotalFare>1</TotalFare></CalculatedAirCharge></CalculatedAirCharges>
          </Booking>
          <Trip><TripName>nested</TripName></Trip>
        </Bookings>`),
      'Itinerary',
    );
    expect(node).toEqual({
      TripName: 'Mine',
      Bookings: [{ element: 'Booking', node: { Segments: [{ element: 'Air', node: {} }] } }],
    });
  });

  it('drops xsi:nil="true" elements: leaves, complex elements and list items', () => {
    const node = parseXmlDocument(
      itinerary(
        `<Comments xsi:nil="true"/><TripName xsi:nil="false">T</TripName><Bookings><Booking xsi:nil="true"/><Booking><Delivery xsi:nil="1"/><RecordLocator>R</RecordLocator></Booking></Bookings>`,
        `${NS} ${XSI}`,
      ),
      'Itinerary',
    );
    expect(node).toEqual({
      TripName: 'T',
      Bookings: [{ element: 'Booking', node: { RecordLocator: 'R' } }],
    });
  });

  it('ignores processing instructions other than the declaration', () => {
    const node = parseXmlDocument(
      `<?xml version="1.0"?><?app x?><Itinerary><?pi y?><TripName>T</TripName></Itinerary>`,
      'Itinerary',
    );
    expect(node).toEqual({ TripName: 'T' });
  });

  it('accepts a UTF-8 BOM (string or Buffer) and UTF-16 bodies with a BOM', () => {
    const xml = itinerary('<TripName>Zürich</TripName>');
    const expected = { TripName: 'Zürich' };
    expect(parseXmlDocument(`\uFEFF${xml}`, 'Itinerary')).toEqual(expected);
    const utf8 = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(xml, 'utf8')]);
    expect(parseXmlDocument(utf8, 'Itinerary')).toEqual(expected);
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(xml, 'utf16le')]);
    expect(parseXmlDocument(utf16, 'Itinerary')).toEqual(expected);
    const be = Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(xml, 'utf16le').swap16()]);
    expect(parseXmlDocument(be, 'Itinerary')).toEqual(expected);
  });

  it('keeps one of identical repeated values and rejects differing ones', () => {
    const same = itinerary(
      '<TripName>T</TripName><TripName>T</TripName><Bookings><Booking><Delivery><City>A</City></Delivery><Delivery><City>A</City></Delivery><Charges><Fixed><Amount>1.5</Amount><Amount>1.50</Amount></Fixed></Charges></Booking></Bookings>',
    );
    expect(parseXmlDocument(same, 'Itinerary').TripName).toBe('T');
    const leaf = rejected(itinerary('<TripName>T</TripName><TripName>U</TripName>'));
    expect(leaf.code).toBe('invalid_value');
    expect(leaf.message).toContain('Itinerary/TripName');
    expect(leaf.message).toContain('more than once');
    const complex = rejected(
      itinerary(
        '<Bookings><Booking><Delivery><City>A</City></Delivery><Delivery><City>B</City></Delivery></Booking></Bookings>',
      ),
    );
    expect(complex.message).toContain('Itinerary/Bookings/Booking[1]/Delivery');
  });
});

describe('parseXmlDocument: whitespace', () => {
  it('reads indented and compact documents alike', () => {
    const compact =
      '<TripName>T</TripName><Bookings><Booking><RecordLocator>R</RecordLocator><Segments><Air><Cabin /></Air></Segments></Booking></Bookings>';
    const indented = compact.replace(/></g, '>\r\n\t  <');
    expect(parseXmlDocument(itinerary(indented), 'Itinerary')).toEqual(
      parseXmlDocument(itinerary(compact), 'Itinerary'),
    );
  });

  it('keeps whitespace that is leaf text, next to markup or not', () => {
    const node = parseXmlDocument(
      itinerary(`
        <TripName>  T  </TripName>
        <Comments>
        </Comments>
        <Description><![CDATA[a</b>  <c]]></Description>
        <ProjectName>p<!-- note -->  q</ProjectName>`),
      'Itinerary',
    );
    expect(node).toEqual({
      TripName: '  T  ',
      Comments: '\n        ',
      Description: 'a</b>  <c',
      ProjectName: 'p  q',
    });
  });

  it('reads attribute values as sent', () => {
    const nil = `<TripName xsi:nil="true" ${XSI}>T</TripName>`;
    const odd = `<Comments ${XSI} xsi:nil="/>  ">C</Comments>`;
    expect(parseXmlDocument(itinerary(`\n  ${nil}\n  ${odd}\n`), 'Itinerary')).toEqual({
      Comments: 'C',
    });
  });

  it('reports positions in the body as sent', () => {
    const error = rejected('<Itinerary>\n    <TripName>T</TripName>\n    <Comments>\n</Itinerary>');
    expect(error.message).toMatch(/line 4/);
  });
});

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

describe('parseXmlDocument: namespace prefixes', () => {
  it('refuses an element with an unbound prefix as malformed', () => {
    const xml = '<Itinerary><x:TripName>T</x:TripName></Itinerary>';
    expect(() => parseXmlDocument(xml, 'Itinerary')).toThrow(/unbound namespace prefix 'x'/);
  });

  it('honours a prefix redeclared on a nested element', () => {
    const ns = 'http://www.concursolutions.com/api/travel/trip/2010/06';
    const xml = `<t:Itinerary xmlns:t="${ns}"><t:TripName xmlns:t="urn:other">A</t:TripName><t:Comments>B</t:Comments></t:Itinerary>`;
    const node = parseXmlDocument(xml, 'Itinerary');
    expect(node.TripName).toBeUndefined();
    expect(node.Comments).toBe('B');
  });
});

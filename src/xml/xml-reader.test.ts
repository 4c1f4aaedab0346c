/**
 * The XML reader on well-formed input: the document shape it builds, whitespace, and namespace
 * prefixes. What it refuses: xml-reader.rejected.test.ts; the published samples:
 * xml-reader.samples.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { itinerary, NS, rejected } from '../../test/helpers/xml-documents.js';
import { TRIP_NAMESPACE } from './schema.js';
import { parseXmlDocument } from './xml-reader.js';

const XSI = 'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"';

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

describe('parseXmlDocument: namespace prefixes', () => {
  it('refuses an element with an unbound prefix as malformed', () => {
    const xml = '<Itinerary><x:TripName>T</x:TripName></Itinerary>';
    expect(() => parseXmlDocument(xml, 'Itinerary')).toThrow(
      /unbound namespace prefix 'x' \(line 1, column 23\)$/,
    );
  });

  it('honours a prefix redeclared on a nested element', () => {
    const ns = 'http://www.concursolutions.com/api/travel/trip/2010/06';
    const xml = `<t:Itinerary xmlns:t="${ns}"><t:TripName xmlns:t="urn:other">A</t:TripName><t:Comments>B</t:Comments></t:Itinerary>`;
    const node = parseXmlDocument(xml, 'Itinerary');
    expect(node.TripName).toBeUndefined();
    expect(node.Comments).toBe('B');
  });
});

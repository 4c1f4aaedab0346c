import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { XmlNode } from './document.js';
import { escapeXmlAttribute, escapeXmlText } from './output/xml-markup.js';
import {
  typedContent,
  typedElement,
  xmlDocument,
  xmlElement,
  xmlFields,
} from './output/xml-output.js';
import { writeXml, writeXmlContent } from './output/xml-output-writer.js';
import { TRIP_NAMESPACE } from './schema.js';
import { parseXmlDocument } from './xml-reader.js';

const DECLARATION = '<?xml version="1.0" encoding="utf-8"?>';

describe('escaping', () => {
  it('escapes markup in text and leaves plain text untouched', () => {
    expect(escapeXmlText('plain text ☺ 😀')).toBe('plain text ☺ 😀');
    expect(escapeXmlText('a & b < c > d "q" \'s\'')).toBe('a &amp; b &lt; c &gt; d "q" \'s\'');
    expect(escapeXmlText(']]>')).toBe(']]&gt;');
    expect(escapeXmlText('line\r\nnext\ttab')).toBe('line&#xD;\nnext\ttab');
  });

  it('escapes quotes and whitespace in attributes', () => {
    expect(escapeXmlAttribute('a "b" & <c>\t\n')).toBe('a &quot;b&quot; &amp; &lt;c&gt;&#x9;&#xA;');
  });

  it('drops characters XML 1.0 cannot carry', () => {
    expect(escapeXmlText('a\u0000b\u0008c\u000Bd\u001Fe\uFFFEf\uFFFF')).toBe('abcdef');
    expect(escapeXmlText('lone \uD800 high, lone \uDC00 low, pair 😀')).toBe(
      'lone  high, lone  low, pair 😀',
    );
    expect(escapeXmlAttribute('x\u0001<')).toBe('x&lt;');
  });
});

describe('typed content: an XmlNode in the order of its schema type', () => {
  const node: XmlNode = {
    TripName: 'T & U',
    Unknown: 'dropped',
    Comments: '',
    Bookings: [
      {
        element: 'Booking',
        node: {
          RecordLocator: 'R',
          Passengers: [],
          Segments: [
            { element: 'Car', node: { Vendor: 'ZE' } },
            { element: 'Bus', node: { Vendor: 'no such segment' } },
            { element: 'Air', node: { FlightNumber: '12', Vendor: 'AZ' } },
          ],
          BookingSource: 'S',
          Delivery: { City: 'Oslo' },
        },
      },
    ],
    id: 'https://example.test/1',
  };

  it('emits children in schema order, skips unknown elements and empty lists', () => {
    expect(
      writeXml(
        xmlDocument(
          typedElement('Itinerary', node, {
            typeName: 'ItineraryType',
            namespace: TRIP_NAMESPACE,
          }),
        ),
      ),
    ).toBe(
      `${DECLARATION}<Itinerary xmlns="${TRIP_NAMESPACE}"><id>https://example.test/1</id><Comments />` +
        '<TripName>T &amp; U</TripName><Bookings><Booking><BookingSource>S</BookingSource>' +
        '<RecordLocator>R</RecordLocator><Segments><Car><Vendor>ZE</Vendor></Car>' +
        '<Air><FlightNumber>12</FlightNumber><Vendor>AZ</Vendor></Air></Segments>' +
        '<Delivery><City>Oslo</City></Delivery></Booking></Bookings></Itinerary>',
    );
  });

  it('can keep empty lists, and leave out the declaration', () => {
    const xml = writeXmlContent([
      typedElement(
        'Booking',
        { Passengers: [], Segments: [] },
        { typeName: 'BookingType', keepEmptyLists: true },
      ),
    ]);
    expect(xml).toBe('<Booking><Passengers /><Segments /></Booking>');
    expect(writeXmlContent([typedElement('Booking', {}, { typeName: 'BookingType' })])).toBe(
      '<Booking />',
    );
  });

  it('writes root attributes after the namespace', () => {
    const xml = writeXml(
      xmlDocument(
        xmlElement('Itinerary', [typedContent({ TripName: 'T' }, 'ItineraryType')], {
          xmlns: TRIP_NAMESPACE,
          'xmlns:i': 'http://www.w3.org/2001/XMLSchema-instance',
        }),
      ),
    );
    expect(xml).toContain(
      `<Itinerary xmlns="${TRIP_NAMESPACE}" xmlns:i="http://www.w3.org/2001/XMLSchema-instance">`,
    );
  });

  it('rejects an unknown type name (a programming error)', () => {
    expect(() => typedElement('X', {}, { typeName: 'NoSuchType' })).toThrow(/NoSuchType/);
  });

  it('round-trips through the reader', () => {
    const xml = writeXml(
      xmlDocument(typedElement('Itinerary', node, { typeName: 'ItineraryType' })),
    );
    const back = parseXmlDocument(xml, 'Itinerary');
    expect(back.TripName).toBe('T & U');
    expect(back.Unknown).toBeUndefined();
  });
});

describe('fields: an XmlNode in insertion order', () => {
  it('writes insertion order: leaves, nested elements, lists inside their wrapper', () => {
    const xml = writeXml(
      xmlDocument(
        xmlElement('Error', [xmlFields({ Message: 'Bad <input>', 'Server-Time': 't', Id: '1' })]),
      ),
    );
    expect(xml).toBe(
      `${DECLARATION}<Error><Message>Bad &lt;input&gt;</Message><Server-Time>t</Server-Time><Id>1</Id></Error>`,
    );
  });

  it('writes the paged list shape with the nested namespaces (SPEC §5)', () => {
    // Attributes below the root are the output model's (`output/xml-output.ts`).
    const items = [
      xmlElement('ItineraryInfo', [xmlFields({ TripId: 'A', TripName: '' })]),
      xmlElement('ItineraryInfo', [xmlFields({ TripId: 'B' })]),
    ];
    const list = xmlElement('ItineraryInfoList', items, {
      xmlns: TRIP_NAMESPACE,
      'xmlns:i': 'http://www.w3.org/2001/XMLSchema-instance',
    });
    const xml = writeXml(
      xmlDocument(
        xmlElement('ConnectResponse', [
          xmlFields({
            Metadata: { Paging: { TotalItems: '1', NextPageURL: 'https://x/?a=1&b=2' } },
          }),
          xmlElement('Data', [list]),
        ]),
      ),
    );
    expect(xml).toBe(
      `${DECLARATION}<ConnectResponse><Metadata><Paging><TotalItems>1</TotalItems>` +
        '<NextPageURL>https://x/?a=1&amp;b=2</NextPageURL></Paging></Metadata><Data>' +
        `<ItineraryInfoList xmlns="${TRIP_NAMESPACE}" xmlns:i="http://www.w3.org/2001/XMLSchema-instance">` +
        '<ItineraryInfo><TripId>A</TripId><TripName /></ItineraryInfo>' +
        '<ItineraryInfo><TripId>B</TripId></ItineraryInfo></ItineraryInfoList></Data></ConnectResponse>',
    );
  });

  it('writes an empty list as an empty wrapper and a namespaced root', () => {
    const xml = writeXmlContent([
      xmlElement('ItineraryInfoList', [xmlFields({ Items: [] })], { xmlns: TRIP_NAMESPACE }),
    ]);
    expect(xml).toBe(`<ItineraryInfoList xmlns="${TRIP_NAMESPACE}"><Items /></ItineraryInfoList>`);
  });
});

describe('typed content speed', () => {
  it('serializes the TMC guide sample well under 100 µs', () => {
    const file = path.resolve(
      path.dirname(fileURLToPath(import.meta.url)),
      '../../reference/concur/samples/tmc-guide-post-trip-request.xml',
    );
    const node = parseXmlDocument(readFileSync(file, 'utf8'), 'Itinerary');
    const options = { typeName: 'ItineraryType', namespace: TRIP_NAMESPACE };
    const write = () => writeXml(xmlDocument(typedElement('Itinerary', node, options)));
    for (let i = 0; i < 500; i++) write();
    const runs = 2000;
    const start = process.hrtime.bigint();
    for (let i = 0; i < runs; i++) write();
    const micros = Number(process.hrtime.bigint() - start) / runs / 1000;
    // Typically ~30 µs on a slow CI core; the bound is loose so that a busy machine does not flake.
    expect(micros).toBeLessThan(250);
  });
});

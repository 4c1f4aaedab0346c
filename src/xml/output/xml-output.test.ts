import { SaxesParser } from 'saxes';
import { describe, expect, it } from 'vitest';
import { TRIP_NAMESPACE } from '../schema.js';
import {
  serializedContent,
  typedContent,
  typedElement,
  xmlDocument,
  xmlElement,
  xmlFields,
  xmlLeaf,
} from './xml-output.js';
import { writeXml, writeXmlContent } from './xml-output-writer.js';

const DECLARATION = '<?xml version="1.0" encoding="utf-8"?>';

describe('output documents', () => {
  it('write the declaration, then the root element', () => {
    expect(writeXml(xmlDocument(xmlElement('Root', [xmlLeaf('A', '1')])))).toBe(
      `${DECLARATION}<Root><A>1</A></Root>`,
    );
  });

  it('keep repeated siblings, in order, between other content', () => {
    const root = xmlElement('Response', [
      xmlLeaf('Head', 'h'),
      xmlLeaf('Item', '1'),
      xmlLeaf('Item', '2'),
      xmlFields({ Middle: 'm' }),
      xmlElement('Item', [xmlFields({ Deep: '3' })]),
    ]);
    expect(writeXmlContent([root])).toBe(
      '<Response><Head>h</Head><Item>1</Item><Item>2</Item><Middle>m</Middle>' +
        '<Item><Deep>3</Deep></Item></Response>',
    );
  });

  it('write empty elements as <Name />, with or without attributes', () => {
    expect(writeXmlContent([xmlElement('Companies')])).toBe('<Companies />');
    expect(writeXmlContent([xmlLeaf('TripName', '')])).toBe('<TripName />');
    expect(writeXmlContent([xmlElement('Trip', [], { change: 'updated' })])).toBe(
      '<Trip change="updated" />',
    );
    expect(writeXmlContent([xmlElement('Wrapper', [xmlFields({})])])).toBe('<Wrapper />');
  });

  it('write frozen attributes once and reuse the text', () => {
    const constant = Object.freeze({ xmlns: 'urn:a&b', 'xmlns:i': 'urn:i' });
    const first = writeXmlContent([xmlElement('A', [], constant)]);
    expect(first).toBe('<A xmlns="urn:a&amp;b" xmlns:i="urn:i" />');
    expect(writeXmlContent([xmlElement('B', ['x'], constant)])).toBe(
      '<B xmlns="urn:a&amp;b" xmlns:i="urn:i">x</B>',
    );
  });

  it('write attributes in order, leaving out undefined ones', () => {
    const element = xmlElement('Segment', [xmlLeaf('X', 'x')], {
      change: 'added',
      type: undefined,
      start: '2031-01-01T09:00:00',
      'xmlns:i': 'urn:i',
    });
    expect(writeXmlContent([element])).toBe(
      '<Segment change="added" start="2031-01-01T09:00:00" xmlns:i="urn:i"><X>x</X></Segment>',
    );
  });

  it('escape text everywhere: leaves, bare text, fields', () => {
    const xml = writeXmlContent([
      xmlLeaf('A', 'a & b < c > d "q"'),
      xmlElement('B', ['x<y', xmlLeaf('C', ']]>'), '&z']),
      xmlFields({ D: '<script>', E: { F: 'line\r\n' } }),
    ]);
    expect(xml).toBe(
      '<A>a &amp; b &lt; c &gt; d "q"</A><B>x&lt;y<C>]]&gt;</C>&amp;z</B>' +
        '<D>&lt;script&gt;</D><E><F>line&#xD;\n</F></E>',
    );
  });

  it('escape attribute values: markup, quotes, whitespace', () => {
    const element = xmlElement('B', [], { source: 'A&"<B>\'', notes: 'tab\there\nnext\r' });
    expect(writeXmlContent([element])).toBe(
      '<B source="A&amp;&quot;&lt;B&gt;\'" notes="tab&#x9;here&#xA;next&#xD;" />',
    );
  });

  it('drop characters XML 1.0 forbids, in text and in attributes', () => {
    const forbidden = 'a\u0000b\u0001c\u000Bd\u001Fe\uFFFEf\uFFFFg\uD800h\uDC00i 😀';
    const element = xmlElement('T', [xmlLeaf('L', forbidden), xmlFields({ F: forbidden })], {
      v: forbidden,
    });
    const xml = writeXml(xmlDocument(element));
    expect(xml).toBe(
      `${DECLARATION}<T v="abcdefghi 😀"><L>abcdefghi 😀</L><F>abcdefghi 😀</F></T>`,
    );
    // And the result is well-formed XML 1.0.
    const parser = new SaxesParser();
    expect(() => parser.write(xml).close()).not.toThrow();
  });

  it('refuse element and attribute names that are not XML names', () => {
    expect(() => writeXmlContent([xmlElement('bad name')])).toThrow(/Not an XML name/);
    expect(() => writeXml(xmlDocument(xmlLeaf('<script>', 'x')))).toThrow(/Not an XML name/);
    expect(() => writeXmlContent([xmlElement('A', [xmlLeaf('B/', '')])])).toThrow(/Not an/);
    expect(() => writeXmlContent([xmlElement('A', [], { 'x="1" y': 'v' })])).toThrow(
      /Not an XML name/,
    );
    expect(() => writeXmlContent([xmlFields({ 'a b': 'v' })])).toThrow(/Not an XML name/);
    // Names from code: hyphens, dots, underscores and one prefix are fine.
    expect(writeXmlContent([xmlLeaf('Server-Time', 't'), xmlLeaf('xsi:nil', 'x')])).toBe(
      '<Server-Time>t</Server-Time><xsi:nil>x</xsi:nil>',
    );
  });

  it('emit serialized content verbatim, after and before other content', () => {
    const stored = writeXmlContent([xmlLeaf('TripName', 'A & B'), xmlElement('Bookings')]);
    expect(stored).toBe('<TripName>A &amp; B</TripName><Bookings />');
    const root = xmlElement('Itinerary', [xmlLeaf('id', 'u'), serializedContent(stored)], {
      xmlns: TRIP_NAMESPACE,
    });
    expect(writeXml(xmlDocument(root))).toBe(
      `${DECLARATION}<Itinerary xmlns="${TRIP_NAMESPACE}"><id>u</id>` +
        '<TripName>A &amp; B</TripName><Bookings /></Itinerary>',
    );
    expect(writeXmlContent([serializedContent('')])).toBe('');
  });

  it('write typed content in schema order, inside free content', () => {
    const booking = {
      Segments: [{ element: 'Car', node: { Vendor: 'ZE' } }],
      Unknown: 'left out',
      RecordLocator: 'R&1',
      Passengers: [],
    };
    const root = xmlElement('Envelope', [
      xmlLeaf('Before', 'b'),
      xmlElement('Booking', [typedContent(booking, 'BookingType')]),
      xmlElement('Kept', [typedContent(booking, 'BookingType', { keepEmptyLists: true })]),
    ]);
    expect(writeXmlContent([root])).toBe(
      '<Envelope><Before>b</Before>' +
        '<Booking><RecordLocator>R&amp;1</RecordLocator><Segments><Car><Vendor>ZE</Vendor></Car>' +
        '</Segments></Booking>' +
        '<Kept><RecordLocator>R&amp;1</RecordLocator><Passengers /><Segments><Car>' +
        '<Vendor>ZE</Vendor></Car></Segments></Kept></Envelope>',
    );
  });

  it('write a typed element in schema order, with its namespace and kept empty lists', () => {
    const node = { TripName: 'T', Bookings: [], id: 'x' };
    const options = { typeName: 'ItineraryType', namespace: TRIP_NAMESPACE, keepEmptyLists: true };
    expect(writeXml(xmlDocument(typedElement('Itinerary', node, options)))).toBe(
      `${DECLARATION}<Itinerary xmlns="${TRIP_NAMESPACE}"><id>x</id><TripName>T</TripName>` +
        '<Bookings /></Itinerary>',
    );
    expect(writeXml(xmlDocument(typedElement('Booking', {}, { typeName: 'BookingType' })))).toBe(
      `${DECLARATION}<Booking />`,
    );
  });

  it('refuse an unknown schema type where the content is made', () => {
    expect(() => typedContent({}, 'NoSuchType')).toThrow(/NoSuchType/);
  });

  it('write fields as the schema-less writer: nested elements and list wrappers', () => {
    const fields = xmlFields({
      Paging: { TotalItems: '1' },
      List: [
        { element: 'Item', node: { A: '1' } },
        { element: 'Item', node: {} },
      ],
      Empty: [],
    });
    expect(writeXmlContent([fields])).toBe(
      '<Paging><TotalItems>1</TotalItems></Paging><List><Item><A>1</A></Item><Item /></List>' +
        '<Empty />',
    );
  });
});

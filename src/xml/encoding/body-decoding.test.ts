import { isUtf8 } from 'node:buffer';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../errors.js';
import { decodeXmlBody, firstInvalidUtf8 } from './body-decoding.js';

const DOC = '<Itinerary><TripName>Café</TripName></Itinerary>';
const declared = (encoding: string, body = DOC) =>
  `<?xml version="1.0" encoding="${encoding}"?>${body}`;

/** The AppError `decodeXmlBody` throws for these bytes. */
function refusal(body: Buffer, charset?: string): AppError {
  try {
    decodeXmlBody(body, charset);
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error('the body was decoded');
}

const utf16be = (text: string) => Buffer.from(text, 'utf16le').swap16();
const BOM_LE = Buffer.from([0xff, 0xfe]);
const BOM_BE = Buffer.from([0xfe, 0xff]);

/** windows-1252 0x80–0x9F as the WHATWG Encoding Standard's index-windows-1252 has them. */
const WINDOWS_1252_C1_ROW = [
  0x20ac, 0x81, 0x201a, 0x192, 0x201e, 0x2026, 0x2020, 0x2021, 0x2c6, 0x2030, 0x160, 0x2039, 0x152,
  0x8d, 0x17d, 0x8f, 0x90, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014, 0x2dc, 0x2122,
  0x161, 0x203a, 0x153, 0x9d, 0x17e, 0x178,
];

describe('decodeXmlBody: UTF-8', () => {
  it('reads UTF-8 with or without a declaration or a BOM, and drops the BOM', () => {
    expect(decodeXmlBody(Buffer.from(DOC))).toBe(DOC);
    expect(decodeXmlBody(Buffer.from(declared('UTF-8')))).toBe(declared('UTF-8'));
    expect(decodeXmlBody(Buffer.from(`\uFEFF${DOC}`))).toBe(DOC);
    expect(decodeXmlBody(Buffer.from(DOC), 'utf-8')).toBe(DOC);
  });

  it('refuses bytes that are not UTF-8 with 400 and their offset in the body', () => {
    const latin1 = Buffer.from(DOC, 'latin1');
    const error = refusal(latin1);
    expect(error.httpStatus).toBe(400);
    expect(error.message).toMatch(
      /not UTF-8 text at byte offset 24 \(bytes from there: E9 3C 2F 54;/,
    );
    // After a BOM the offset still counts from the first byte of the body.
    expect(refusal(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), latin1])).message).toMatch(
      /offset 27 /,
    );
    // Overlong `/`, a surrogate, a sequence cut off by the end of the body.
    expect(refusal(Buffer.from([0x3c, 0x61, 0xc0, 0xaf])).message).toMatch(/offset 2 /);
    expect(refusal(Buffer.from([0x3c, 0xed, 0xa0, 0x80])).message).toMatch(/offset 1 /);
    expect(refusal(Buffer.from([0x3c, 0x61, 0x3e, 0xe2, 0x82])).message).toMatch(/offset 3 /);
  });

  it('firstInvalidUtf8 agrees with Node and points at the first ill-formed sequence', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 24 }), (bytes) => {
        const offset = firstInvalidUtf8(bytes);
        expect(offset === -1).toBe(isUtf8(bytes));
        if (offset >= 0) expect(isUtf8(bytes.subarray(0, offset))).toBe(true);
      }),
      { numRuns: 2000 },
    );
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }), (text) => {
        expect(firstInvalidUtf8(Buffer.from(text))).toBe(-1);
      }),
    );
  });
});

describe('decodeXmlBody: declared single- and multi-byte encodings', () => {
  it('reads ISO-8859-1, windows-1252 and ISO-8859-15 from the declaration or the charset', () => {
    expect(decodeXmlBody(Buffer.from(declared('ISO-8859-1'), 'latin1'))).toBe(
      declared('ISO-8859-1'),
    );
    expect(decodeXmlBody(Buffer.from(DOC, 'latin1'), 'iso-8859-1')).toBe(DOC);
    expect(decodeXmlBody(Buffer.from(DOC, 'latin1'), 'windows-1252')).toBe(DOC);
    // € is 0x80 in windows-1252 and 0xA4 in ISO-8859-15.
    expect(decodeXmlBody(Buffer.from([0x3c, 0x61, 0x3e, 0x80]), 'windows-1252')).toBe('<a>€');
    expect(decodeXmlBody(Buffer.from([0x3c, 0x61, 0x3e, 0xa4]), 'ISO-8859-15')).toBe('<a>€');
  });

  it('maps windows-1252 0x80–0x9F as the WHATWG table does, ISO-8859-1 and US-ASCII too', () => {
    const row = Buffer.from(Array.from({ length: 32 }, (_, i) => 0x80 + i));
    const expected = String.fromCodePoint(...WINDOWS_1252_C1_ROW);
    for (const name of ['windows-1252', 'cp1252', 'ISO-8859-1', 'latin1', 'US-ASCII']) {
      expect(decodeXmlBody(row, name), name).toBe(expected);
      const body = Buffer.concat([Buffer.from(declared(name, '<a>'), 'latin1'), row]);
      expect(decodeXmlBody(body), name).toBe(`${declared(name, '<a>')}${expected}`);
    }
  });

  it('reads Cyrillic, Greek and Japanese encodings', () => {
    const cyrillic = Buffer.from([0x3c, 0x61, 0x3e, 0xcc, 0xee, 0xf1, 0xea, 0xe2, 0xe0]);
    expect(decodeXmlBody(cyrillic, 'windows-1251')).toBe('<a>Москва');
    expect(decodeXmlBody(Buffer.from([0x3c, 0x61, 0x3e, 0xc1]), 'ISO-8859-7')).toBe('<a>Α');
    const tokyo = Buffer.from([0x3c, 0x61, 0x3e, 0x93, 0x8c, 0x8b, 0x9e]);
    expect(decodeXmlBody(tokyo, 'Shift_JIS')).toBe('<a>東京');
  });

  it('refuses bytes the encoding leaves undefined with 400 and their offset', () => {
    // 0xA5 is unassigned in ISO-8859-3, 0xAA in windows-1253, 0xFF 0xFF in Shift_JIS.
    const iso3 = refusal(Buffer.from([0x3c, 0x61, 0x3e, 0xa5]), 'ISO-8859-3');
    expect([iso3.httpStatus, iso3.message]).toEqual([400, expect.stringMatching(/offset 3 /)]);
    expect(refusal(Buffer.from([0x3c, 0x61, 0xaa]), 'windows-1253').message).toMatch(/offset 2 /);
    const sjis = Buffer.from([0x3c, 0x61, 0x3e, 0x93, 0x8c, 0xff, 0xff]);
    expect(refusal(sjis, 'Shift_JIS').message).toMatch(/not Shift_JIS text at byte offset 5 /);
    // A U+FFFD the body spells out is text: GB18030 encodes it as 84 31 A4 37.
    const fffd = [0x84, 0x31, 0xa4, 0x37];
    const gb = Buffer.from([0x3c, 0x61, 0x3e, ...fffd, 0xc4, 0xe3, ...fffd, 0xff, 0x30]);
    expect(decodeXmlBody(gb.subarray(0, 13), 'GB18030')).toBe('<a>\uFFFD你\uFFFD');
    expect(refusal(gb, 'GB18030').message).toMatch(/not GB18030 text at byte offset 13 /);
  });
});

describe('decodeXmlBody: UTF-16 and UTF-32', () => {
  it('reads UTF-16 with a BOM, whatever the declaration says', () => {
    expect(decodeXmlBody(Buffer.concat([BOM_LE, Buffer.from(DOC, 'utf16le')]))).toBe(DOC);
    expect(decodeXmlBody(Buffer.concat([BOM_BE, utf16be(DOC)]))).toBe(DOC);
    const odd = declared('UTF-8');
    expect(decodeXmlBody(Buffer.concat([BOM_LE, Buffer.from(odd, 'utf16le')]))).toBe(odd);
  });

  it('reads UTF-16 without a BOM, declared or named by the charset, in either byte order', () => {
    const xml = declared('UTF-16');
    expect(decodeXmlBody(Buffer.from(xml, 'utf16le'))).toBe(xml);
    expect(decodeXmlBody(utf16be(xml))).toBe(xml);
    expect(decodeXmlBody(Buffer.from(DOC, 'utf16le'), 'utf-16')).toBe(DOC);
    expect(decodeXmlBody(utf16be(DOC), 'UTF-16')).toBe(DOC);
    expect(decodeXmlBody(utf16be(DOC), 'UTF-16BE')).toBe(DOC);
    expect(decodeXmlBody(Buffer.from(DOC, 'utf16le'), 'utf-16le')).toBe(DOC);
  });

  it('reads UTF-32 with a BOM or named by the charset', () => {
    const le = Buffer.alloc(DOC.length * 4);
    for (const [i, c] of [...DOC].entries()) le.writeUInt32LE(c.codePointAt(0) as number, i * 4);
    expect(decodeXmlBody(Buffer.concat([Buffer.from([0xff, 0xfe, 0, 0]), le]))).toBe(DOC);
    expect(decodeXmlBody(le, 'UTF-32')).toBe(DOC);
  });

  it('reads one-byte text declared UTF-16 (.NET strings sent as UTF-8) as UTF-8', () => {
    for (const name of ['utf-16', 'UTF-16LE', 'UTF-32']) {
      expect(decodeXmlBody(Buffer.from(declared(name)))).toBe(declared(name));
    }
    const latin1 = refusal(Buffer.from(declared('utf-16'), 'latin1'));
    expect(latin1.message).toMatch(/not UTF-8 \(the body is not the utf-16 it declares\) text/);
  });

  it('refuses a cut-off character and a lone surrogate', () => {
    const cut = refusal(Buffer.concat([BOM_LE, Buffer.from('<a/>', 'utf16le'), Buffer.from([0])]));
    expect([cut.httpStatus, cut.message]).toEqual([400, expect.stringMatching(/byte offset 10/)]);
    const lone = Buffer.concat([BOM_BE, utf16be('<a>'), Buffer.from([0xd8, 0x00, 0x00, 0x3c])]);
    expect(refusal(lone).message).toMatch(
      /not UTF-16BE text at byte offset 8 \(bytes from there: D8 00 00 3C;/,
    );
  });
});

describe('decodeXmlBody: which source decides', () => {
  it('takes the charset over the declaration, and a BOM over both', () => {
    const xml = declared('UTF-8');
    expect(decodeXmlBody(Buffer.from(xml, 'latin1'), 'ISO-8859-1')).toBe(xml);
    // The same bytes as UTF-8 read as ISO-8859-1 (the charset says so): two characters for é.
    expect(decodeXmlBody(Buffer.from(xml), 'ISO-8859-1')).toContain('CafÃ©');
    const marked = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(xml)]);
    expect(decodeXmlBody(marked, 'ISO-8859-1')).toBe(xml);
    expect(decodeXmlBody(Buffer.concat([BOM_LE, Buffer.from(DOC, 'utf16le')]), 'x-nope')).toBe(DOC);
  });

  it('refuses an encoding it cannot decode with 415, naming it and where it was named', () => {
    const cases: [Buffer, string | undefined, RegExp][] = [
      [Buffer.from(declared('x-klingon')), undefined, /'x-klingon' named by the XML declaration/],
      [Buffer.from(DOC), 'EBCDIC-US', /'EBCDIC-US' named by the Content-Type charset/],
      // UTF-7 spells `<` as `+ADw-`; base64 and hex are not character encodings.
      [Buffer.from(declared('UTF-7')), undefined, /'UTF-7'/],
      [Buffer.from(DOC), 'base64', /'base64'/],
      [Buffer.from(declared('hex')), undefined, /'hex'/],
    ];
    for (const [body, charset, message] of cases) {
      const error = refusal(body, charset);
      expect([error.httpStatus, error.message]).toEqual([415, expect.stringMatching(message)]);
    }
  });
});

/**
 * Which decoder a character encoding's name (a Content-Type `charset` or an XML declaration's
 * `encoding`) stands for. Names are matched as iconv-lite matches them: case and punctuation
 * do not count (`ISO-8859-1`, `iso_8859-1:1987`, `ISO8859_1` are one name).
 *
 * Three choices are ours (docs/COMPATIBILITY.md, "Character encodings"):
 * - The Unicode encodings are decoded by Node itself (UTF-8, UTF-16) or iconv-lite (UTF-32),
 *   and the byte order of a UTF-16 or UTF-32 without one in its name is read from the bytes.
 * - Names the WHATWG Encoding Standard reads as a Windows code page are read so: ISO-8859-1 and
 *   US-ASCII as windows-1252, ISO-8859-9 as windows-1254, TIS-620 and ISO-8859-11 as
 *   windows-874. They differ only in 0x80–0x9F, control characters no trip holds and the
 *   bytes where Windows clients that say "ISO-8859-1" put €, “ and ”.
 * - UTF-7 (a second spelling of `<` that filters of the raw bytes miss), and iconv-lite's
 *   names that are not character encodings (base64, hex, binary) are not accepted.
 */
import iconv from 'iconv-lite';

/** How a body's bytes become text. */
export type Decoding =
  | { kind: 'utf-8' }
  /** `order` undefined: big- or little-endian, whichever the first character's bytes show. */
  | { kind: 'utf-16' | 'utf-32'; order: 'le' | 'be' | undefined }
  /**
   * Any other encoding iconv-lite implements, by its iconv-lite name. `c1`: a Windows code page,
   * whose bytes 0x80–0x9F that it leaves undefined are the C1 controls of the same value, as
   * the WHATWG tables have them.
   */
  | { kind: 'iconv'; codec: string; c1: boolean };

/** Names as iconv-lite compares them: lower case, letters and digits only, no `:1987` year. */
export function canonicalName(name: string): string {
  return name
    .toLowerCase()
    .replace(/:\d{4}$/, '')
    .replace(/[^0-9a-z]/g, '');
}

const UNICODE: Readonly<Record<string, Decoding>> = {
  utf8: { kind: 'utf-8' },
  unicode11utf8: { kind: 'utf-8' },
  unicode20utf8: { kind: 'utf-8' },
  xunicode20utf8: { kind: 'utf-8' },
  utf16: { kind: 'utf-16', order: undefined },
  unicode: { kind: 'utf-16', order: undefined },
  csunicode: { kind: 'utf-16', order: undefined },
  iso10646ucs2: { kind: 'utf-16', order: undefined },
  ucs2: { kind: 'utf-16', order: 'le' },
  utf16le: { kind: 'utf-16', order: 'le' },
  utf16be: { kind: 'utf-16', order: 'be' },
  unicodefffe: { kind: 'utf-16', order: 'be' },
  utf32: { kind: 'utf-32', order: undefined },
  ucs4: { kind: 'utf-32', order: undefined },
  iso10646ucs4: { kind: 'utf-32', order: undefined },
  utf32le: { kind: 'utf-32', order: 'le' },
  utf32be: { kind: 'utf-32', order: 'be' },
};

/** WHATWG labels of a Windows code page that is a superset of the encoding named. */
const WINDOWS_SUPERSETS: Readonly<Record<string, string>> = {
  ...Object.fromEntries(
    [
      'ansix341968',
      'ascii',
      'usascii',
      'cp819',
      'csisolatin1',
      'ibm819',
      'iso88591',
      'isoir100',
      'l1',
      'latin1',
    ].map((name) => [name, 'windows-1252']),
  ),
  ...Object.fromEntries(
    ['csisolatin5', 'iso88599', 'isoir148', 'l5', 'latin5'].map((name) => [name, 'windows-1254']),
  ),
  ...Object.fromEntries(['dos874', 'iso885911', 'tis620'].map((name) => [name, 'windows-874'])),
};

/** Not character encodings, or (UTF-7) a second spelling of markup. */
const REFUSED = new Set([
  'base64',
  'hex',
  'binary',
  'utf7',
  'unicode11utf7',
  'utf7imap',
  'csunicode11utf7',
]);

/** The Windows code pages of Latin, Greek, Cyrillic, Hebrew, Arabic, Baltic, Vietnamese, Thai. */
const WINDOWS_CODE_PAGE = /^(?:windows|cp|xcp|win)(?:125[0-8]|874)$/;

/**
 * The decoding for an encoding name, or undefined when no decoder is known for it (the caller
 * answers 415 naming it).
 */
export function decodingFor(name: string): Decoding | undefined {
  const canonical = canonicalName(name);
  const unicode = UNICODE[canonical];
  if (unicode) return unicode;
  if (REFUSED.has(canonical)) return undefined;
  const superset = WINDOWS_SUPERSETS[canonical];
  if (superset) return { kind: 'iconv', codec: superset, c1: true };
  if (!iconv.encodingExists(canonical)) return undefined;
  return { kind: 'iconv', codec: canonical, c1: WINDOWS_CODE_PAGE.test(canonical) };
}

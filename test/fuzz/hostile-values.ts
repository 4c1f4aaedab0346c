/**
 * Hostile strings the fuzzer plants in text nodes, ids, query parameters and headers: SQL,
 * XML and header (CRLF) injection, paths, template and format strings, odd Unicode, and
 * numbers and dates no parser should accept as they are.
 */

/** Injection attempts, for any place a client controls a string. */
export const INJECTIONS: readonly string[] = [
  "' OR '1'='1",
  "'; DROP TABLE trips; --",
  '" OR 1=1 --',
  '1; SELECT pg_sleep(5) --',
  "' UNION SELECT password_hash, login_id FROM users --",
  "x' AND (SELECT 1 FROM (SELECT SLEEP(5))a) --",
  '%27%20OR%201%3D1--',
  "\\'; --",
  "') ; ATTACH DATABASE '/tmp/pwn.db' AS pwn; --",
  '<script>alert(1)</script>',
  ']]><Injected/><![CDATA[',
  '&xxe;',
  '&#0;&#x1;&#xFFFE;',
  '<?xml version="1.0"?><Itinerary/>',
  'a\r\nSet-Cookie: injected=1',
  'a\r\n\r\n<html>split</html>',
  '%0d%0aX-Injected:%201',
  '../../../../etc/passwd',
  '..%2F..%2F..%2Fetc%2Fpasswd',
  'C:\\Windows\\win.ini',
  'file:///etc/passwd',
  // biome-ignore lint/suspicious/noTemplateCurlyInString: a template-injection probe, sent as it is.
  '${7*7}{{7*7}}<%= 7*7 %>',
  '%s%s%s%n%x',
  '__proto__',
  'constructor',
  '\u0000',
  '\u202etxt.exe',
  '𝕏𝕐ℤ\uFFFF\uD800',
  '',
  ' ',
  'NaN',
  '-1',
  '1e309',
  '99999999999999999999999999',
  '0x7fffffff',
  'null',
  'undefined',
  'ALL',
];

/** Values a date-time field may be sent as: impossible, out of range, or not dates at all. */
export const BAD_DATES: readonly string[] = [
  '2023-02-30T10:00:00',
  '2023-13-01T00:00:00',
  '2023-01-01T25:61:61',
  '0000-00-00T00:00:00',
  '-0001-01-01T00:00:00',
  '99999-01-01T00:00:00',
  '1969-12-31T23:59:60',
  '2023-01-01',
  '2023-01-01T10:00:00+99:00',
  '2023-01-01T10:00:00.1234567890123Z',
  'T',
  'yesterday',
  '1e10',
  '',
];

/** Values a number field may be sent as. */
export const BAD_NUMBERS: readonly string[] = [
  '1e309',
  '-1e309',
  'NaN',
  'Infinity',
  '-0',
  '99999999999999999999999999999999',
  '0.000000000000000000000000000001',
  '1,5',
  '0x10',
  '1_000',
  '١٢٣',
  '+-1',
  '',
];

/** A string the generator can turn into a hostile value of `length` characters. */
export function longText(length: number, unit = 'A'): string {
  return unit.repeat(Math.ceil(length / unit.length)).slice(0, length);
}

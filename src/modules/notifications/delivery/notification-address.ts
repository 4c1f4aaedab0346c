/**
 * Which IP addresses a notification may be sent to. A postback URL is chosen by an app, so
 * without a check it could make Itinera call its own loopback services, the private network
 * it runs in or a cloud metadata endpoint (169.254.169.254) — server-side request forgery.
 * Only globally routable unicast addresses pass; everything else is named by its kind, so
 * that the refusal recorded on the notification says why.
 */
import { isIP } from 'node:net';

/** Why an address is not a public target, or `public`. */
export type AddressKind =
  | 'public'
  | 'unspecified'
  | 'loopback'
  | 'private'
  | 'shared (CGNAT)'
  | 'link-local'
  | 'multicast'
  | 'documentation'
  | 'reserved'
  | 'not an IP address';

interface Range {
  /** The network, as 4 (IPv4) or 16 (IPv6) bytes. */
  bytes: number[];
  bits: number;
  kind: Exclude<AddressKind, 'public'>;
}

function v4(text: string, bits: number, kind: Range['kind']): Range {
  return { bytes: text.split('.').map(Number), bits, kind };
}

function v6(text: string, bits: number, kind: Range['kind']): Range {
  return { bytes: parseIPv6(text) ?? [], bits, kind };
}

// IANA IPv4 Special-Purpose Address Registry (RFC 6890 and successors).
const IPV4_RANGES: readonly Range[] = [
  v4('0.0.0.0', 8, 'unspecified'),
  v4('10.0.0.0', 8, 'private'),
  v4('100.64.0.0', 10, 'shared (CGNAT)'),
  v4('127.0.0.0', 8, 'loopback'),
  v4('169.254.0.0', 16, 'link-local'),
  v4('172.16.0.0', 12, 'private'),
  v4('192.0.0.0', 24, 'reserved'),
  v4('192.0.2.0', 24, 'documentation'),
  v4('192.88.99.0', 24, 'reserved'),
  v4('192.168.0.0', 16, 'private'),
  v4('198.18.0.0', 15, 'reserved'),
  v4('198.51.100.0', 24, 'documentation'),
  v4('203.0.113.0', 24, 'documentation'),
  v4('224.0.0.0', 4, 'multicast'),
  v4('240.0.0.0', 4, 'reserved'),
];

// IANA IPv6 Special-Purpose Address Registry, inside global unicast (2000::/3); every address
// outside 2000::/3 is refused by kind below, except the forms that embed an IPv4 address.
const IPV6_RANGES: readonly Range[] = [
  v6('2001::', 23, 'reserved'),
  v6('2001:db8::', 32, 'documentation'),
  // 6to4: the embedded IPv4 address may be anything, including a private one.
  v6('2002::', 16, 'reserved'),
  v6('3fff::', 20, 'documentation'),
];

const NAT64 = v6('64:ff9b::', 96, 'reserved');
const LOCAL_NAT64 = v6('64:ff9b:1::', 48, 'private');

function inRange(bytes: readonly number[], range: Range): boolean {
  if (bytes.length !== range.bytes.length) return false;
  let bits = range.bits;
  for (let i = 0; bits > 0; i++, bits -= 8) {
    const mask = bits >= 8 ? 0xff : (0xff << (8 - bits)) & 0xff;
    if (((bytes[i] ?? 0) & mask) !== ((range.bytes[i] ?? 0) & mask)) return false;
  }
  return true;
}

/** The 16 bytes of an IPv6 address (also with an embedded dotted IPv4 tail), or undefined. */
export function parseIPv6(text: string): number[] | undefined {
  let address = text.toLowerCase();
  const zone = address.indexOf('%');
  if (zone >= 0) address = address.slice(0, zone);
  let tail: number[] = [];
  const lastColon = address.lastIndexOf(':');
  if (address.includes('.', lastColon)) {
    const quad = address.slice(lastColon + 1).split('.');
    if (quad.length !== 4 || quad.some((p) => !/^\d{1,3}$/.test(p) || Number(p) > 255)) {
      return undefined;
    }
    tail = quad.map(Number);
    address = `${address.slice(0, lastColon + 1)}0:0`;
  }
  const halves = address.split('::');
  if (halves.length > 2) return undefined;
  const groups = (part: string | undefined) => (part ? part.split(':') : []);
  const head = groups(halves[0]);
  const rest = groups(halves[1]);
  const missing = 8 - head.length - rest.length;
  if (halves.length === 1 ? missing !== 0 : missing < 1) return undefined;
  const all = [...head, ...Array<string>(halves.length === 2 ? missing : 0).fill('0'), ...rest];
  const bytes: number[] = [];
  for (const group of all) {
    if (!/^[0-9a-f]{1,4}$/.test(group)) return undefined;
    const value = Number.parseInt(group, 16);
    bytes.push(value >> 8, value & 0xff);
  }
  if (tail.length === 4) bytes.splice(12, 4, ...tail);
  return bytes;
}

function classifyIPv4(bytes: readonly number[]): AddressKind {
  return IPV4_RANGES.find((range) => inRange(bytes, range))?.kind ?? 'public';
}

function classifyIPv6(bytes: readonly number[]): AddressKind {
  const first = bytes[0] ?? 0;
  const prefix96 = bytes.slice(0, 12);
  const zeros = (n: number) => prefix96.slice(0, n).every((b) => b === 0);
  // ::ffff:a.b.c.d (IPv4-mapped) reaches the IPv4 address itself: judge that address.
  if (zeros(10) && bytes[10] === 0xff && bytes[11] === 0xff) return classifyIPv4(bytes.slice(12));
  // 64:ff9b::a.b.c.d (NAT64, well-known prefix) is translated to the IPv4 address.
  if (inRange(bytes, NAT64)) return classifyIPv4(bytes.slice(12));
  // 64:ff9b:1::/48, local-use NAT64: translated into some private network.
  if (inRange(bytes, LOCAL_NAT64)) return 'private';
  if (zeros(12)) {
    const last = bytes.slice(12);
    if (last.every((b) => b === 0)) return 'unspecified';
    if (last[0] === 0 && last[1] === 0 && last[2] === 0 && last[3] === 1) return 'loopback';
    // ::a.b.c.d, IPv4-compatible (deprecated): refused whatever it embeds.
    return 'reserved';
  }
  if (first === 0xff) return 'multicast';
  if ((first & 0xfe) === 0xfc) return 'private';
  if (first === 0xfe && ((bytes[1] ?? 0) & 0xc0) === 0x80) return 'link-local';
  // fec0::/10, site-local (deprecated), and everything else outside global unicast.
  if ((first & 0xe0) !== 0x20) return 'reserved';
  return IPV6_RANGES.find((range) => inRange(bytes, range))?.kind ?? 'public';
}

/** What kind of address `ip` (IPv4 or IPv6 text, brackets allowed) is. */
export function classifyAddress(ip: string): AddressKind {
  const text = ip.startsWith('[') && ip.endsWith(']') ? ip.slice(1, -1) : ip;
  const family = isIP(text.split('%')[0] ?? '');
  if (family === 4) return classifyIPv4(text.split('.').map(Number));
  if (family === 6) {
    const bytes = parseIPv6(text);
    return bytes ? classifyIPv6(bytes) : 'not an IP address';
  }
  return 'not an IP address';
}

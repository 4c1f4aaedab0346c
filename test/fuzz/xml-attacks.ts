/**
 * Attacks on an XML document as a whole: DOCTYPEs with entities (billion laughs, quadratic
 * blow-up, external and parameter entities), deep nesting, wrong or missing namespaces, and
 * encodings that lie (BOMs, declarations and bytes that disagree, unknown charsets).
 */
import type { FuzzRequest, Mutation } from './mutations.js';
import type { Rng } from './prng.js';

const text = (request: FuzzRequest) => request.body?.toString('utf8') ?? '';
const withBody = (request: FuzzRequest, body: Buffer | string): FuzzRequest => ({
  ...request,
  body: typeof body === 'string' ? Buffer.from(body, 'utf8') : body,
});

/** The document without its XML declaration, and where its root's start tag ends. */
function split(xml: string): { declaration: string; rest: string; rootEnd: number } {
  const match = /^\uFEFF?\s*<\?xml[^?]*\?>/.exec(xml);
  const declaration = match?.[0] ?? '';
  const rest = xml.slice(declaration.length);
  return { declaration, rest, rootEnd: rest.indexOf('>') + 1 };
}

/** The name of the document's root element. */
const rootName = (rest: string) => /<([\w:.-]+)/.exec(rest)?.[1] ?? 'Itinerary';

function doctype(rng: Rng, root: string): { dtd: string; reference: string } {
  const lol = ['<!ENTITY lol0 "lol">'];
  for (let i = 1; i <= 9; i++) lol.push(`<!ENTITY lol${i} "${`&lol${i - 1};`.repeat(10)}">`);
  const big = 'A'.repeat(50_000);
  return rng.pick([
    { dtd: `<!DOCTYPE ${root} [${lol.join('')}]>`, reference: '&lol9;' },
    { dtd: `<!DOCTYPE ${root} [<!ENTITY big "${big}">]>`, reference: '&big;'.repeat(50_000) },
    { dtd: `<!DOCTYPE ${root} [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>`, reference: '&xxe;' },
    { dtd: `<!DOCTYPE ${root} [<!ENTITY xxe SYSTEM "http://127.0.0.1:1/x">]>`, reference: '&xxe;' },
    { dtd: `<!DOCTYPE ${root} SYSTEM "file:///etc/passwd">`, reference: '' },
    {
      dtd: `<!DOCTYPE ${root} [<!ENTITY % p SYSTEM "http://127.0.0.1:1/p.dtd"> %p;]>`,
      reference: '',
    },
    { dtd: `<!DOCTYPE ${root} [<!ENTITY a "&b;"><!ENTITY b "&a;">]>`, reference: '&a;' },
    {
      dtd: `<!DOCTYPE ${root} [<!ELEMENT ${root} ANY><!ATTLIST ${root} x CDATA "y">]>`,
      reference: '',
    },
  ]);
}

export const DOCUMENT_ATTACKS: Mutation[] = [
  {
    name: 'doctype-entities',
    kinds: ['xml'],
    apply(rng, request) {
      const { declaration, rest, rootEnd } = split(text(request));
      const { dtd, reference } = doctype(rng, rootName(rest));
      const tag = `<TripName>${reference}</TripName>`;
      return withBody(
        request,
        `${declaration}${dtd}${rest.slice(0, rootEnd)}${tag}${rest.slice(rootEnd)}`,
      );
    },
  },
  {
    name: 'deep-nesting',
    kinds: ['xml'],
    apply(rng, request) {
      const { declaration, rest, rootEnd } = split(text(request));
      const depth = rng.pick([100, 1000, 20_000, 200_000]);
      const name = rng.pick(['a', 'Bookings', 'Segments', 'Booking']);
      const nest =
        `<${name}>`.repeat(depth) + `</${name}>`.repeat(rng.chance(0.8) ? depth : depth - 1);
      return withBody(
        request,
        `${declaration}${rest.slice(0, rootEnd)}${nest}${rest.slice(rootEnd)}`,
      );
    },
  },
  {
    name: 'namespace',
    kinds: ['xml'],
    apply(rng, request) {
      const xml = text(request);
      const { declaration, rest, rootEnd } = split(xml);
      const root = rootName(rest);
      const start = rest.slice(0, rootEnd).replace(/\sxmlns="[^"]*"/, '');
      const attribute = rng.pick([
        '',
        ' xmlns="urn:evil"',
        ' xmlns="http://www.concursolutions.com/api/travel/booking/2010/06"',
        ' xmlns="http://www.concursolutions.com/api/travel/trip/2010/06"',
        ' xmlns=""',
        ' xmlns:p="urn:p"',
        ` xmlns="${'n'.repeat(10_000)}"`,
      ]);
      const head = start.replace(
        `<${root}`,
        rng.chance(0.2) ? `<p:${root} xmlns:p="urn:p"` : `<${root}${attribute}`,
      );
      return withBody(request, `${declaration}${head}${rest.slice(rootEnd)}`);
    },
  },
  {
    name: 'encoding',
    kinds: ['xml'],
    apply(rng, request) {
      const xml = text(request);
      const { rest } = split(xml);
      const declared = (encoding: string) => `<?xml version="1.0" encoding="${encoding}"?>${rest}`;
      const choice = rng.int(0, 8);
      if (choice === 0)
        return withBody(request, Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(xml)]));
      if (choice === 1)
        return withBody(
          request,
          Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(declared('UTF-8'), 'utf16le')]),
        );
      if (choice === 2) return withBody(request, Buffer.from(declared('UTF-8'), 'utf16le'));
      if (choice === 3)
        return withBody(
          request,
          declared(rng.pick(['x-klingon', 'UTF-7', 'EBCDIC', 'UTF-32', ''])),
        );
      if (choice === 4)
        return withBody(request, Buffer.from(declared('ISO-8859-1').replace('>', '>é€𝕏'), 'utf8'));
      if (choice === 5)
        return withBody(
          request,
          Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf, 0xef, 0xbb, 0xbf]), Buffer.from(xml)]),
        );
      if (choice === 6)
        return withBody(
          request,
          Buffer.concat([Buffer.from([0x00, 0x00, 0xfe, 0xff]), Buffer.from(xml)]),
        );
      if (choice === 7)
        return withBody(
          request,
          `<?xml version="9.9" encoding="utf-8" standalone="maybe"?>${rest}`,
        );
      return withBody(request, `   \n${xml}<?xml version="1.0"?>`);
    },
  },
];

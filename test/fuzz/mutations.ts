/**
 * The fuzzer's mutations: each turns a valid request (a reference sample posted the way its
 * endpoint expects) into a hostile one. Document mutations work on the body's text or bytes;
 * request mutations on the query, the headers and the content type. `mutate` applies one to
 * three of those that fit the body's kind, chosen by the case's own random stream.
 */
import { BAD_DATES, BAD_NUMBERS, INJECTIONS, longText } from './hostile-values.js';
import type { Rng } from './prng.js';
import { DOCUMENT_ATTACKS } from './xml-attacks.js';

export type BodyKind = 'xml' | 'json' | 'form' | 'none';

/** One request the fuzzer sends. */
export interface FuzzRequest {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  path: string;
  query: Record<string, string>;
  headers: Record<string, string>;
  body?: Buffer;
  kind: BodyKind;
}

export interface Mutation {
  name: string;
  /** The body kinds it applies to. */
  kinds: readonly BodyKind[];
  apply(rng: Rng, request: FuzzRequest): FuzzRequest;
}

const withBody = (request: FuzzRequest, body: Buffer | string): FuzzRequest => ({
  ...request,
  body: typeof body === 'string' ? Buffer.from(body, 'utf8') : body,
});
const bodyText = (request: FuzzRequest) => request.body?.toString('utf8') ?? '';

/** Offsets of the text nodes of an XML document (between `>` and `<`, not blank). */
function textNodes(xml: string): { start: number; end: number }[] {
  return [...xml.matchAll(/>([^<>]*[^\s<>][^<>]*)</g)].map((m) => ({
    start: (m.index ?? 0) + 1,
    end: (m.index ?? 0) + 1 + (m[1]?.length ?? 0),
  }));
}

/** Replaces a random text node matching `test` (any text node when none matches). */
function replaceText(rng: Rng, xml: string, value: string, test = /./): string {
  const nodes = textNodes(xml);
  const fitting = nodes.filter((n) => test.test(xml.slice(n.start, n.end)));
  const node = fitting.length ? rng.pick(fitting) : nodes.length ? rng.pick(nodes) : undefined;
  if (!node) return `${xml}${value}`;
  return `${xml.slice(0, node.start)}${value}${xml.slice(node.end)}`;
}

const xmlEscape = (value: string) =>
  value.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');

/** A hostile value, escaped for XML text half of the time (raw, it also breaks the document). */
const xmlValue = (rng: Rng, value: string) => (rng.chance(0.5) ? xmlEscape(value) : value);

const BYTES: Mutation[] = [
  {
    name: 'byte-flip',
    kinds: ['xml', 'json', 'form'],
    apply(rng, request) {
      const body = Buffer.from(request.body ?? Buffer.alloc(0));
      for (let i = rng.int(1, 8); i > 0 && body.length; i--) {
        body[rng.int(0, body.length - 1)] = rng.int(0, 255);
      }
      return withBody(request, body);
    },
  },
  {
    name: 'truncate',
    kinds: ['xml', 'json', 'form'],
    apply: (rng, request) =>
      withBody(
        request,
        (request.body ?? Buffer.alloc(0)).subarray(0, rng.int(0, (request.body?.length ?? 1) - 1)),
      ),
  },
  {
    name: 'invalid-utf8',
    kinds: ['xml', 'json', 'form'],
    apply(rng, request) {
      const body = request.body ?? Buffer.alloc(0);
      const at = rng.int(0, body.length);
      const bad = rng.pick([
        [0xc3, 0x28],
        [0xff],
        [0xed, 0xa0, 0x80],
        [0xc0, 0xaf],
        [0xf4, 0x90, 0x80, 0x80],
        [0x00],
      ]);
      return withBody(
        request,
        Buffer.concat([body.subarray(0, at), Buffer.from(bad), body.subarray(at)]),
      );
    },
  },
];

const XML: Mutation[] = [
  ...DOCUMENT_ATTACKS,
  {
    name: 'duplicate-element',
    kinds: ['xml'],
    apply(rng, request) {
      const xml = bodyText(request);
      const leaves = [...xml.matchAll(/<(\w+)>[^<]*<\/\1>/g)];
      const leaf = leaves.length ? rng.pick(leaves) : undefined;
      if (!leaf) return request;
      const at = (leaf.index ?? 0) + leaf[0].length;
      // At most ~8 MB of copies (a leaf may already hold huge text).
      const times = Math.min(
        rng.pick([1, 2, 50, 5000]),
        Math.max(1, Math.floor(8_000_000 / leaf[0].length)),
      );
      const copies = leaf[0].repeat(times);
      return withBody(request, `${xml.slice(0, at)}${copies}${xml.slice(at)}`);
    },
  },
  {
    name: 'bad-date',
    kinds: ['xml'],
    apply: (rng, request) =>
      withBody(
        request,
        replaceText(rng, bodyText(request), rng.pick(BAD_DATES), /^\d{4}-\d\d-\d\d/),
      ),
  },
  {
    name: 'bad-number',
    kinds: ['xml'],
    apply: (rng, request) =>
      withBody(
        request,
        replaceText(rng, bodyText(request), rng.pick(BAD_NUMBERS), /^-?\d+(\.\d+)?$/),
      ),
  },
  {
    name: 'text-injection',
    kinds: ['xml'],
    apply: (rng, request) =>
      withBody(request, replaceText(rng, bodyText(request), xmlValue(rng, rng.pick(INJECTIONS)))),
  },
  {
    name: 'huge-text',
    kinds: ['xml'],
    apply: (rng, request) =>
      withBody(
        request,
        replaceText(
          rng,
          bodyText(request),
          longText(rng.pick([10_000, 300_000, 1_500_000, 6_000_000]), rng.pick(['A', 'é', '𝕏 '])),
        ),
      ),
  },
  {
    name: 'unknown-elements',
    kinds: ['xml'],
    apply(rng, request) {
      const xml = bodyText(request);
      const at = xml.indexOf('</', xml.indexOf('>') + 1);
      if (at < 0) return request;
      const extra = rng.pick([
        '<Unknown>1</Unknown>',
        '<x:Foreign xmlns:x="urn:x">1</x:Foreign>',
        `<A ${'b="1" '.repeat(rng.pick([2, 5000]))}/>`,
        '<?pi data?>',
        '<!-- comment -->',
        '<![CDATA[<Segments/>]]>',
      ]);
      return withBody(request, `${xml.slice(0, at)}${extra}${xml.slice(at)}`);
    },
  },
];

const JSON_BODY: Mutation[] = [
  {
    name: 'json-injection',
    kinds: ['json'],
    apply(rng, request) {
      const text = bodyText(request);
      const strings = [...text.matchAll(/"(?:[^"\\]|\\.)*"/g)];
      const target = strings.length ? rng.pick(strings) : undefined;
      if (!target) return request;
      const value = rng.chance(0.8)
        ? JSON.stringify(rng.pick(INJECTIONS))
        : rng.pick(['1e309', 'null', '[]', '{}', 'true', '-0', `"${longText(200_000)}"`]);
      const at = target.index ?? 0;
      return withBody(request, `${text.slice(0, at)}${value}${text.slice(at + target[0].length)}`);
    },
  },
  {
    name: 'json-shape',
    kinds: ['json'],
    apply(rng, request) {
      const depth = rng.pick([100, 10_000, 100_000]);
      return withBody(
        request,
        rng.pick([
          `${'['.repeat(depth)}${']'.repeat(depth)}`,
          `{"__proto__":{"admin":true},"constructor":{"prototype":{"x":1}}}`,
          `${bodyText(request).slice(0, -1)},"id":"dup","id":"dup2"}`,
          '[]',
          '"just a string"',
          `{"a":${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}}`,
        ]),
      );
    },
  },
];

const FORM: Mutation[] = [
  {
    name: 'form-values',
    kinds: ['form'],
    apply(rng, request) {
      const form = new URLSearchParams(bodyText(request));
      const keys = [...form.keys()];
      const key = keys.length ? rng.pick(keys) : 'grant_type';
      const action = rng.int(0, 3);
      if (action === 0) form.set(key, rng.pick(INJECTIONS));
      else if (action === 1) form.delete(key);
      else if (action === 2) form.append(key, rng.pick(INJECTIONS));
      else form.set(key, longText(rng.pick([5000, 500_000])));
      return withBody(request, form.toString());
    },
  },
  {
    name: 'form-encoding',
    kinds: ['form'],
    apply: (rng, request) =>
      withBody(
        request,
        `${bodyText(request)}&${rng.pick(['%ZZ=1', 'a=%C3%28', 'a=%00', '=', '&&&', 'a[b][c]=1', `${'x'.repeat(10_000)}=1`])}`,
      ),
  },
];

const REQUEST: Mutation[] = [
  {
    name: 'query-injection',
    kinds: ['xml', 'json', 'form', 'none'],
    apply(rng, request) {
      const names = [
        ...Object.keys(request.query),
        'userid_type',
        'userid_value',
        'tripId',
        'startDate',
        'endDate',
        'createdAfterDate',
        'itemsPerPage',
        'page',
        'systemFormat',
        'useridtype',
        'limit',
        'start',
      ];
      const value = rng.chance(0.15)
        ? longText(rng.pick([2000, 20_000]))
        : rng.pick([...INJECTIONS, ...BAD_DATES, ...BAD_NUMBERS]);
      return { ...request, query: { ...request.query, [rng.pick(names)]: value } };
    },
  },
  {
    name: 'header-injection',
    kinds: ['xml', 'json', 'form', 'none'],
    apply(rng, request) {
      const name = rng.pick([
        'concur-correlationid',
        'idempotency-key',
        'if-match',
        'if-none-match',
        'accept',
        'accept-language',
        'x-forwarded-for',
        'authorization',
        'x-consumerkey',
        'content-type',
      ]);
      const value = rng.pick([
        ...INJECTIONS.filter((v) => !/[\r\n\0]/.test(v)),
        'Bearer',
        'Bearer a.b.c',
        `Bearer ${longText(20_000)}`,
        'Basic !!!',
        '*',
        'W/"x", "y"',
        longText(9000),
      ]);
      return { ...request, headers: { ...request.headers, [name]: value } };
    },
  },
  {
    name: 'crlf-header',
    kinds: ['xml', 'json', 'form', 'none'],
    apply(rng, request) {
      const name = rng.pick(['concur-correlationid', 'idempotency-key', 'accept']);
      return {
        ...request,
        headers: {
          ...request.headers,
          [name]: rng.pick(['a\r\nSet-Cookie: injected=1', 'a\nX-Injected: 1', 'a\r\n\r\n<html>']),
        },
      };
    },
  },
  {
    name: 'content-type',
    kinds: ['xml', 'json', 'form'],
    apply: (rng, request) => ({
      ...request,
      headers: {
        ...request.headers,
        'content-type': rng.pick([
          'text/plain',
          'application/json',
          'application/xml; charset=klingon',
          'application/xml; charset=utf-32',
          'application/x-www-form-urlencoded',
          'multipart/form-data; boundary=x',
          `application/xml; charset=${longText(3000)}`,
          'application/xml; charset="utf-8, utf-16"',
          '',
        ]),
      },
    }),
  },
  {
    name: 'empty-body',
    kinds: ['xml', 'json', 'form'],
    apply: (_rng, request) => withBody(request, ''),
  },
];

export const MUTATIONS: readonly Mutation[] = [...BYTES, ...XML, ...JSON_BODY, ...FORM, ...REQUEST];

/** One to three mutations fitting the request's body kind; their names in order. */
export function mutate(
  rng: Rng,
  request: FuzzRequest,
): { request: FuzzRequest; applied: string[] } {
  const fitting = MUTATIONS.filter((m) => m.kinds.includes(request.kind));
  // A request with a body gets mostly document mutations: they are most of the attacks.
  const documents = fitting.filter((m) => !REQUEST.includes(m));
  const applied: string[] = [];
  let current = request;
  for (let i = rng.chance(0.7) ? 1 : rng.int(2, 3); i > 0; i--) {
    const mutation = rng.pick(documents.length && rng.chance(0.75) ? documents : fitting);
    current = mutation.apply(rng, current);
    applied.push(mutation.name);
  }
  return { request: current, applied };
}

/**
 * Two options of the shared query schemas that the trip list and trip details need to keep
 * their answers: a blank typed value refused rather than taken as absent (`blank: 'invalid'`),
 * and a message quoting the value trimmed (`{trimmed}`).
 */
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerErrorHandlers } from '../../src/http/error-handler.js';
import { concurQuery } from '../../src/http/query-parameters.js';
import { QueryBoolean, QueryEnum, QueryInteger } from '../../src/http/query-schema.js';
import '../../src/http/route-config.js';
import { AJV_OPTIONS } from '../../src/http/schema-validation.js';
import { parseXml, text } from '../helpers/xml-tree.js';

const refused = { trim: true, blank: 'invalid' } as const;

const Query = Type.Object({
  strictflag: Type.Optional(
    QueryBoolean({ ...refused, invalid: "strictFlag must be true or false (got '{value}')." }),
  ),
  laxflag: Type.Optional(
    QueryBoolean({ trim: true, invalid: "laxFlag must be true or false (got '{value}')." }),
  ),
  size: Type.Optional(
    QueryInteger({
      ...refused,
      minimum: 1,
      maximum: 9,
      invalid: "size must be a whole number from 1 to 9 (got '{value}').",
    }),
  ),
  kind: Type.Optional(
    QueryEnum(['Air', 'Car'], { ...refused, invalid: "kind must be Air or Car (got '{value}')." }),
  ),
  format: Type.Optional(
    QueryEnum(['Tripit'], { trim: true, invalid: "format must be Tripit (got '{trimmed}')." }),
  ),
});

let app: FastifyInstance;

beforeAll(async () => {
  app = Fastify({ ajv: AJV_OPTIONS });
  registerErrorHandlers(app, 1024);
  app
    .withTypeProvider<TypeBoxTypeProvider>()
    .get(
      '/q',
      { schema: { querystring: Query }, preValidation: concurQuery(Query) },
      async (request) => request.query,
    );
  await app.ready();
});
afterAll(() => app.close());

const get = (query: string) => app.inject({ method: 'GET', url: `/q${query}` });
const message = (body: string) => text(parseXml(body), 'Message');

describe("blank: 'invalid'", () => {
  it('refuses a value of only white space with the invalid message, quoting it as sent', async () => {
    const cases: [string, string][] = [
      ['?strictFlag=%20%20', "strictFlag must be true or false (got '  ')."],
      ['?size=%09', "size must be a whole number from 1 to 9 (got '\t')."],
      ['?kind=%20', "kind must be Air or Car (got ' ')."],
    ];
    for (const [query, expected] of cases) {
      const response = await get(query);
      expect(response.statusCode, query).toBe(400);
      expect(message(response.body), query).toBe(expected);
    }
  });

  it('still takes an empty value as absent, and trims the others', async () => {
    expect((await get('?strictFlag=&size=&kind=')).json()).toEqual({});
    expect((await get('?strictFlag=%20TRUE%20&size=%203%20&kind=%20car')).json()).toEqual({
      strictflag: true,
      size: 3,
      kind: 'Car',
    });
  });

  it('is not the default: without it a blank value is absent', async () => {
    expect((await get('?laxFlag=%20%20')).json()).toEqual({});
  });
});

describe('{trimmed}', () => {
  it('quotes the value without surrounding white space', async () => {
    const response = await get('?format=%20bad%20');
    expect(message(response.body)).toBe("format must be Tripit (got 'bad').");
  });
});

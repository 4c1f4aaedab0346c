/**
 * Child process: the baseline. A bare Fastify app on the same routes that does no work beyond
 * HTTP: it reads the POSTed XML as text and answers each route with the bytes the real server
 * answered (captured by scripts/bench.ts), so the ratio shows what Itinera itself costs.
 * Usage: node --import tsx bare-server.ts RESPONSES_JSON
 */
import fs from 'node:fs';
import Fastify from 'fastify';
import { failStartup, serveForBenchmark } from './child-protocol.js';

/** The captured response bodies, written by the parent. */
export interface BareResponses {
  post: string;
  details: string;
  /** The same trip from Itinerary v4 (JSON). */
  v4: string;
  list: string;
  /** The company-wide list (`userid_value=ALL`), when the scale benchmark measures it. */
  companyList?: string;
  /** A booking POST's answer, when the scale benchmark measures it. */
  booking?: string;
}

const TRIP_PATH = '/api/travel/trip/v1.1';
const XML = 'application/xml; charset=utf-8';

async function main(): Promise<void> {
  const file = process.argv[2];
  if (!file) throw new Error('usage: bare-server.ts RESPONSES_JSON');
  const responses = JSON.parse(fs.readFileSync(file, 'utf8')) as BareResponses;
  const app = Fastify({ logger: false, bodyLimit: 1024 * 1024 });
  // Read the body as text, as any XML route must before it can parse anything.
  app.addContentTypeParser(
    ['application/xml', 'text/xml'],
    { parseAs: 'string' },
    (_, body, done) => done(null, body),
  );
  app.post(TRIP_PATH, async (request, reply) => {
    if (typeof request.body !== 'string' || request.body.length === 0) {
      return reply.status(400).send();
    }
    return reply.type(XML).send(responses.post);
  });
  app.get(`${TRIP_PATH}/:tripId`, async (_, reply) => reply.type(XML).send(responses.details));
  app.get(TRIP_PATH, async (request, reply) => {
    const all = (request.query as Record<string, string>).userid_value === 'ALL';
    return reply
      .type(XML)
      .send(all && responses.companyList ? responses.companyList : responses.list);
  });
  app.post('/api/travel/booking/v1.1', async (request, reply) => {
    if (typeof request.body !== 'string' || request.body.length === 0) {
      return reply.status(400).send();
    }
    return reply.type(XML).send(responses.booking ?? responses.post);
  });
  app.get('/travel/v4/trips/:id', async (_, reply) =>
    reply.type('application/json; charset=utf-8').send(responses.v4),
  );
  await serveForBenchmark(app);
}

main().catch(failStartup);

/**
 * The signed-in pages: the trip lists, a trip's time line, and duty of care. Each reads the
 * session first (no session: to the sign-in); what it shows comes from the itineraries module
 * with the session's principal, so the API's access rules decide (someone else's trip: 404).
 */
import { Type } from '@sinclair/typebox';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { errors } from '../../errors.js';
import { dutyOfCarePage } from './pages/duty-of-care.presenter.js';
import { tripPage } from './pages/trip.presenter.js';
import { TRIP_TABS, type TripTab, tripsPage } from './pages/trips.presenter.js';
import { type SignedIn, sendPage, type WebContext } from './web-context.js';
import type { WebTripsService } from './web-trips.service.js';

export interface WebPagesOptions {
  web: WebContext;
  trips: WebTripsService;
}

const TAGS = ['Web app'];
const TripsQuery = Type.Object({ tab: Type.Optional(Type.String({ maxLength: 32 })) });
const TripParams = Type.Object({ tripId: Type.String({ minLength: 1, maxLength: 128 }) });
const DutyQuery = Type.Object({ date: Type.Optional(Type.String({ maxLength: 32 })) });

declare module 'fastify' {
  interface FastifyRequest {
    /** The web app's signed-in user (set by the pages' preHandler). */
    webUser?: SignedIn;
  }
}

/** A real calendar date `YYYY-MM-DD` between 1900 and 2999, or undefined. */
export function calendarDate(value: string): string | undefined {
  if (!/^(19|2\d)\d{2}-\d{2}-\d{2}$/.test(value)) return undefined;
  const ms = Date.parse(`${value}T00:00:00Z`);
  return !Number.isNaN(ms) && new Date(ms).toISOString().slice(0, 10) === value ? value : undefined;
}

/** The signed-in user of a page (set by `requireSignIn`). */
export function signedInOf(request: FastifyRequest): SignedIn {
  if (!request.webUser) throw errors.unauthorized();
  return request.webUser;
}

/** Registers the pages (under the `/app` prefix). */
export async function webPagesRoutes(app: FastifyInstance, options: WebPagesOptions) {
  const { web, trips } = options;

  // No session, or one no longer valid: to the sign-in, which comes back to the trips.
  app.addHook('preHandler', async (request: FastifyRequest, reply: FastifyReply) => {
    const signedIn = await web.signedIn(request, reply);
    if (!signedIn) return reply.header('cache-control', 'no-store').redirect('/app/sign-in', 302);
    request.webUser = signedIn;
  });

  app.get(
    '/',
    { schema: { summary: 'The web app: to the trips', tags: TAGS } },
    async (_request, reply) => reply.redirect('/app/trips', 302),
  );

  app.get(
    '/trips',
    {
      schema: {
        summary: "The traveller's trips (tabs: upcoming, past, ready to expense)",
        tags: TAGS,
        querystring: TripsQuery,
      },
    },
    async (request, reply) => {
      const { viewer, principal } = signedInOf(request);
      const tab = (request.query as { tab?: string }).tab ?? 'upcoming';
      if (!Object.hasOwn(TRIP_TABS, tab)) {
        throw errors.badRequest(`There is no list called '${tab}'.`);
      }
      const shown =
        tab === 'expense'
          ? await trips.readyToExpense(principal)
          : (await trips.tripLists(principal))[tab === 'past' ? 'past' : 'upcoming'];
      return sendPage(reply, 200, tripsPage(viewer, tab as TripTab, shown));
    },
  );

  app.get(
    '/trips/:tripId',
    { schema: { summary: "A trip's time line", tags: TAGS, params: TripParams } },
    async (request, reply) => {
      const { viewer, principal } = signedInOf(request);
      const { tripId } = request.params as { tripId: string };
      const trip = await trips.trip(principal, tripId);
      return sendPage(reply, 200, tripPage(viewer, trip));
    },
  );

  app.get(
    '/duty-of-care',
    {
      schema: {
        summary: "Where the company's travellers are on a day (administrators)",
        tags: TAGS,
        querystring: DutyQuery,
      },
    },
    async (request, reply) => {
      const { viewer, principal } = signedInOf(request);
      const asked = (request.query as { date?: string }).date;
      const date =
        asked === undefined || asked === ''
          ? new Date().toISOString().slice(0, 10)
          : calendarDate(asked);
      if (!date) throw errors.badRequest('The date must be a calendar date, YYYY-MM-DD.');
      if (!viewer.isAdmin) {
        throw errors.forbidden('Only company administrators see where travellers are.');
      }
      return sendPage(reply, 200, dutyOfCarePage(viewer, await trips.dutyOfCare(principal, date)));
    },
  );
}

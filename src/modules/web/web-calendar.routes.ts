/**
 * The calendar page: the signed-in traveller's feed URL (made on first visit by the calendar
 * module) and its rotation, a POST with the session's CSRF token.
 */
import { Type } from '@sinclair/typebox';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/database.js';
import { errors } from '../../errors.js';
import { baseUrlOf } from '../../http/base-url.js';
import { calendarPage } from './pages/calendar.presenter.js';
import { errorPage } from './pages/layout.presenter.js';
import { sendPage, type WebContext } from './web-context.js';
import { signedInOf } from './web-pages.routes.js';

/** What the page needs of the calendar module's feed service (wired by app.ts). */
export interface CalendarFeeds {
  /** The traveller's feed path, made on first request. */
  feedPath(db: Kysely<Database>, userId: string): Promise<string>;
  /** A new feed path; the old one answers 404 from now on. */
  rotate(db: Kysely<Database>, userId: string): Promise<string>;
}

export interface WebCalendarOptions {
  db: Kysely<Database>;
  web: WebContext;
  feeds: CalendarFeeds;
  publicBaseUrl?: string;
}

const TAGS = ['Web app'];
const CalendarQuery = Type.Object({ rotated: Type.Optional(Type.String({ maxLength: 8 })) });
const RotateBody = Type.Object({ csrf: Type.Optional(Type.String({ maxLength: 128 })) });

/** Registers `/app/calendar` and `/app/calendar/rotate` (under the `/app` prefix). */
export async function webCalendarRoutes(app: FastifyInstance, options: WebCalendarOptions) {
  const { db, web, feeds } = options;

  app.addHook('preHandler', async (request: FastifyRequest, reply: FastifyReply) => {
    const signedIn = await web.signedIn(request, reply);
    if (!signedIn) return reply.header('cache-control', 'no-store').redirect('/app/sign-in', 302);
    request.webUser = signedIn;
  });

  const userIdOf = (request: FastifyRequest): string => {
    const id = request.webUser?.principal.user?.id;
    if (!id) throw errors.unauthorized();
    return id;
  };

  app.get(
    '/calendar',
    {
      schema: {
        summary: "The traveller's calendar feed URL (subscribe, copy, replace)",
        tags: TAGS,
        querystring: CalendarQuery,
      },
    },
    async (request, reply) => {
      const path = await feeds.feedPath(db, userIdOf(request));
      const url = `${options.publicBaseUrl ?? baseUrlOf(request)}${path}`;
      const rotated = (request.query as { rotated?: string }).rotated === '1';
      return sendPage(reply, 200, calendarPage(signedInOf(request).viewer, url, rotated));
    },
  );

  app.post(
    '/calendar/rotate',
    {
      schema: {
        summary: 'Replace the calendar feed URL (form with the CSRF token)',
        tags: TAGS,
        consumes: ['application/x-www-form-urlencoded'],
        body: RotateBody,
      },
    },
    async (request, reply) => {
      const signedIn = request.webUser;
      const { csrf } = request.body as { csrf?: string };
      if (!signedIn || !web.seal.checkCsrf(signedIn.session, csrf)) {
        return sendPage(
          reply,
          403,
          errorPage(403, 'This form is not valid. Please try again.', signedIn?.viewer),
        );
      }
      await feeds.rotate(db, userIdOf(request));
      return reply.redirect('/app/calendar?rotated=1', 303);
    },
  );
}

/**
 * The web app Itinera serves to travellers (docs/WEB-APP.md): `GET /` is its landing page for
 * browsers (API clients keep the 404 they always had there), and `/app/…` its pages, rendered
 * on the server as HTML with one stylesheet and no script. Errors under `/app` are pages too.
 */
import cookie from '@fastify/cookie';
import formBody from '@fastify/formbody';
import type { FastifyError, FastifyInstance, FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/database.js';
import { AppError, ErrorCode } from '../../errors.js';
import type { SecretBox } from '../../security/secret-box.js';
import { serverSecret } from '../../security/server-secrets.js';
import type { ItineraryServices } from './module-ports.js';
import { errorPage } from './pages/layout.presenter.js';
import { landingPage } from './pages/trips.presenter.js';
import { WEB_STYLES } from './pages/web-styles.js';
import { type RedeemCode, webAuthRoutes } from './web-auth.routes.js';
import { type CalendarFeeds, webCalendarRoutes } from './web-calendar.routes.js';
import { type AuthenticateToken, PAGE_POLICY, sendPage, WebContext } from './web-context.js';
import { webPagesRoutes } from './web-pages.routes.js';
import { WebSeal } from './web-session.js';
import { WebTripsService } from './web-trips.service.js';

export interface WebRoutesOptions {
  db: Kysely<Database>;
  /** Seals the cookie key at rest (SECRETS_KEY). */
  secrets: SecretBox;
  itineraries: Pick<ItineraryServices, 'trips' | 'lists'>;
  authenticate: AuthenticateToken;
  redeemCode: RedeemCode;
  publicBaseUrl?: string;
  /** The calendar module's feed service (feed URL, rotation). */
  calendarFeeds: CalendarFeeds;
}

/** The server secret the cookie and CSRF keys are derived from. */
const COOKIE_KEY_NAME = 'web-app-cookies';
const TAGS = ['Web app'];

/** Whether a request's Accept names HTML (a browser navigating), not just `*\/*`. */
export function wantsHtml(request: FastifyRequest): boolean {
  const accept = request.headers.accept ?? '';
  return accept.split(',').some((range) => {
    const [type, ...params] = range.trim().toLowerCase().split(';');
    const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    return (
      (type === 'text/html' || type === 'application/xhtml+xml') && (!q || Number(q.slice(2)) > 0)
    );
  });
}

/** Registers `GET /` and the `/app` pages. */
export async function webRoutes(app: FastifyInstance, options: WebRoutesOptions) {
  const key = await serverSecret(options.db, options.secrets, COOKIE_KEY_NAME);
  const web = new WebContext(
    new WebSeal(Buffer.from(key, 'base64url')),
    options.authenticate,
    options.publicBaseUrl,
  );

  // In this scope errors keep the API's format: `/` is a 404 for API clients, as before.
  app.get(
    '/',
    {
      schema: {
        summary: 'The web app landing page (HTML for browsers; 404 for API clients)',
        tags: TAGS,
      },
    },
    async (request, reply) => {
      if (!wantsHtml(request)) {
        throw new AppError(
          ErrorCode.NotFound,
          404,
          `No resource at ${request.method} ${request.url}.`,
        );
      }
      return sendPage(reply, 200, landingPage());
    },
  );

  await app.register(
    async (pages) => {
      await pages.register(cookie);
      await pages.register(formBody, { bodyLimit: 4 * 1024 });
      const trips = new WebTripsService(options.db, options.itineraries);

      pages.setErrorHandler((error: FastifyError, request, reply) => {
        const status = error instanceof AppError ? error.httpStatus : (error.statusCode ?? 500);
        if (status >= 500) {
          request.log.error({ err: error }, 'unexpected error');
          return sendPage(
            reply,
            500,
            errorPage(500, 'An unexpected error occurred.', request.webUser?.viewer),
          );
        }
        const message =
          status === 404
            ? 'There is nothing here, or it is not yours to see.'
            : error instanceof AppError
              ? error.message
              : 'The request is not valid.';
        return sendPage(reply, status, errorPage(status, message, request.webUser?.viewer));
      });
      pages.setNotFoundHandler((request, reply) =>
        sendPage(reply, 404, errorPage(404, 'There is no such page.', request.webUser?.viewer)),
      );

      pages.get(
        '/app.css',
        { schema: { summary: "The web app's stylesheet", tags: TAGS } },
        async (_request, reply) =>
          reply
            .header('cache-control', 'public, max-age=3600')
            .header('x-content-type-options', 'nosniff')
            .header('content-security-policy', PAGE_POLICY)
            .type('text/css; charset=utf-8')
            .send(WEB_STYLES),
      );
      await pages.register(webAuthRoutes, { db: options.db, web, redeemCode: options.redeemCode });
      await pages.register(webPagesRoutes, { web, trips });
      await pages.register(webCalendarRoutes, {
        db: options.db,
        web,
        feeds: options.calendarFeeds,
        ...(options.publicBaseUrl ? { publicBaseUrl: options.publicBaseUrl } : {}),
      });
    },
    { prefix: '/app' },
  );
}

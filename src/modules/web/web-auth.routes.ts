/**
 * Signing in and out of the web app. The app is a public OAuth client (`itinera-web`) of
 * Itinera's own authorization server: `/app/sign-in` keeps a PKCE verifier and a state in a
 * short-lived sealed cookie and sends the browser to the authorize page, where the user types
 * their password (never into the app); `/app/callback` checks the state, redeems the code with
 * the verifier and keeps the access token in the sealed session cookie. Sign-out is a POST
 * with the session's CSRF token.
 */
import { createHash } from 'node:crypto';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/database.js';
import { baseUrlOf } from '../../http/base-url.js';
import { ensureFirstPartyClient } from './module-ports.js';
import { errorPage } from './pages/layout.presenter.js';
import { FLOW_COOKIE, SESSION_COOKIE, sendPage, type WebContext } from './web-context.js';
import { randomToken, sameText } from './web-session.js';

/** The web app's client id at the authorization server. */
export const WEB_CLIENT_ID = 'itinera-web';
const WEB_CLIENT_NAME = 'Itinera web app';
/** The scope the pages' reads need (the v1.1 itinerary API's). */
const WEB_SCOPE = 'ITINER';
/** How long a sign-in may take between leaving for the authorize page and coming back. */
const FLOW_SECONDS = 10 * 60;

/** Redeems a code for the public client; the oauth module's code grant, wired by app.ts. */
export type RedeemCode = (
  request: { client_id: string; code: string; redirect_uri: string; code_verifier: string },
  requestBaseUrl: string,
) => Promise<{ access_token: string; expires_in: number }>;

export interface WebAuthOptions {
  db: Kysely<Database>;
  web: WebContext;
  redeemCode: RedeemCode;
}

const CallbackQuery = Type.Object({
  code: Type.Optional(Type.String({ maxLength: 512 })),
  state: Type.Optional(Type.String({ maxLength: 256 })),
  error: Type.Optional(Type.String({ maxLength: 64 })),
  error_description: Type.Optional(Type.String({ maxLength: 1024 })),
});

const SignOutBody = Type.Object({ csrf: Type.Optional(Type.String({ maxLength: 128 })) });

const TAGS = ['Web app'];

/** Registers `/app/sign-in`, `/app/callback` and `/app/sign-out` (under the `/app` prefix). */
export async function webAuthRoutes(app: FastifyInstance, options: WebAuthOptions) {
  const { db, web, redeemCode } = options;

  function badSignIn(reply: FastifyReply, message: string) {
    return sendPage(
      reply,
      400,
      errorPage(400, `${message} Please sign in again from the start page.`),
    );
  }

  app.get(
    '/sign-in',
    {
      schema: {
        summary: 'Start signing in to the web app (redirects to the authorize page)',
        tags: TAGS,
      },
    },
    async (request: FastifyRequest, reply) => {
      const redirectUri = web.callbackUrl(request);
      if (!redirectUri) {
        return sendPage(
          reply,
          400,
          errorPage(
            400,
            'The web app is served on PUBLIC_BASE_URL (or on localhost when it is not set).',
          ),
        );
      }
      const client = await ensureFirstPartyClient(db, {
        id: WEB_CLIENT_ID,
        clientId: WEB_CLIENT_ID,
        name: WEB_CLIENT_NAME,
        scopes: [WEB_SCOPE],
        redirectUri,
        onlyRedirect: web.fixedBaseUrl,
        now: Date.now(),
      });
      if (!client?.active) {
        return sendPage(
          reply,
          403,
          errorPage(403, 'The web app has been disabled on this server.'),
        );
      }
      const flow = {
        state: randomToken(),
        verifier: randomToken(),
        exp: Date.now() + FLOW_SECONDS * 1000,
      };
      web.setCookie(request, reply, FLOW_COOKIE, web.seal.seal('flow', flow), FLOW_SECONDS);
      const query = new URLSearchParams({
        client_id: WEB_CLIENT_ID,
        redirect_uri: redirectUri,
        response_type: 'code',
        scope: WEB_SCOPE,
        state: flow.state,
        code_challenge: createHash('sha256').update(flow.verifier, 'ascii').digest('base64url'),
        code_challenge_method: 'S256',
      });
      return reply
        .header('cache-control', 'no-store')
        .redirect(`/oauth2/v0/authorize?${query}`, 302);
    },
  );

  app.get(
    '/callback',
    {
      schema: {
        summary: "The web app's OAuth redirect URI: redeems the code, starts the session",
        tags: TAGS,
        querystring: CallbackQuery,
      },
    },
    async (request, reply) => {
      const query = request.query as { code?: string; state?: string; error?: string };
      const flow = web.seal.open('flow', request.cookies[FLOW_COOKIE], Date.now());
      web.clearCookie(request, reply, FLOW_COOKIE);
      // The state proves this browser started this sign-in (RFC 6749 §10.12).
      if (!flow || !query.state || !sameText(query.state, flow.state)) {
        return badSignIn(reply, 'This sign-in was not started here, or took too long.');
      }
      if (query.error) {
        return badSignIn(
          reply,
          query.error === 'access_denied'
            ? 'You did not allow the web app to see your trips.'
            : 'The sign-in did not succeed.',
        );
      }
      const redirectUri = web.callbackUrl(request);
      if (!query.code || !redirectUri) return badSignIn(reply, 'The sign-in did not succeed.');
      let token: { access_token: string; expires_in: number };
      try {
        token = await redeemCode(
          {
            client_id: WEB_CLIENT_ID,
            code: query.code,
            redirect_uri: redirectUri,
            code_verifier: flow.verifier,
          },
          baseUrlOf(request),
        );
      } catch (error) {
        request.log.info(
          { err: { message: (error as Error).message } },
          'web app code redemption failed',
        );
        return badSignIn(reply, 'The sign-in code is not valid any more.');
      }
      const session = {
        sid: randomToken(),
        token: token.access_token,
        exp: Date.now() + token.expires_in * 1000,
      };
      web.setCookie(
        request,
        reply,
        SESSION_COOKIE,
        web.seal.seal('session', session),
        token.expires_in,
      );
      return reply.redirect('/app/trips', 303);
    },
  );

  app.post(
    '/sign-out',
    {
      schema: {
        summary: 'Sign out of the web app (form with the CSRF token)',
        tags: TAGS,
        consumes: ['application/x-www-form-urlencoded'],
        body: SignOutBody,
      },
    },
    async (request, reply) => {
      const signedIn = await web.signedIn(request, reply);
      if (!signedIn) return reply.redirect('/', 303);
      const { csrf } = request.body as { csrf?: string };
      if (!web.seal.checkCsrf(signedIn.session, csrf)) {
        return sendPage(
          reply,
          403,
          errorPage(403, 'This form is not valid. Please try again.', signedIn.viewer),
        );
      }
      web.clearCookie(request, reply, SESSION_COOKIE);
      return reply.redirect('/', 303);
    },
  );
}

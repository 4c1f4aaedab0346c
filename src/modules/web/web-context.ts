/**
 * What the web app's routes share: the sealed cookies, who the session's user is (through the
 * API's own bearer authenticator, so that a disabled user or app is signed out at once), and
 * the answers every page gives (headers, HTML, redirects to sign in).
 */
import type {} from '@fastify/cookie';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { baseUrlOf } from '../../http/base-url.js';
import { isAdmin, type Principal, READ_ADMIN_ROLES } from './module-ports.js';
import type { Viewer } from './pages/layout.presenter.js';
import type { WebSeal, WebSession } from './web-session.js';

export const SESSION_COOKIE = 'itinera_session';
export const FLOW_COOKIE = 'itinera_signin';
export const APP_PATH = '/app';
export const CALLBACK_PATH = '/app/callback';

/** Verifies an access token and returns its principal (throws when it is not valid). */
export type AuthenticateToken = (request: FastifyRequest, token: string) => Promise<Principal>;

/** The page's Content-Security-Policy: our stylesheet, our forms, nothing else (no script). */
export const PAGE_POLICY = [
  "default-src 'none'",
  "style-src 'self'",
  "img-src 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
].join('; ');

/** A signed-in request: its session, principal and what the header shows. */
export interface SignedIn {
  session: WebSession;
  principal: Principal;
  viewer: Viewer;
}

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]', '::1']);

export class WebContext {
  constructor(
    readonly seal: WebSeal,
    private readonly authenticate: AuthenticateToken,
    private readonly publicBaseUrl: string | undefined,
  ) {}

  /**
   * The web app's redirect URI: on PUBLIC_BASE_URL when it is set. Without it, only a loopback
   * host (a developer's machine) is trusted, since the Host header is the client's to choose
   * and the redirect URI decides where codes go.
   */
  callbackUrl(request: FastifyRequest): string | undefined {
    if (this.publicBaseUrl) return `${this.publicBaseUrl}${CALLBACK_PATH}`;
    return LOOPBACK.has(request.hostname) ? `${baseUrlOf(request)}${CALLBACK_PATH}` : undefined;
  }

  /** Whether a redirect URI is fixed (PUBLIC_BASE_URL) rather than one of several loopback ones. */
  get fixedBaseUrl(): boolean {
    return this.publicBaseUrl !== undefined;
  }

  /** Cookies are `Secure` when the app is served over https. */
  secureCookies(request: FastifyRequest): boolean {
    return (this.publicBaseUrl ?? baseUrlOf(request)).startsWith('https:');
  }

  /** Sets a sealed cookie scoped to the web app's paths. */
  setCookie(
    request: FastifyRequest,
    reply: FastifyReply,
    name: string,
    value: string,
    maxAgeSeconds: number,
  ) {
    reply.setCookie(name, value, {
      path: APP_PATH,
      httpOnly: true,
      sameSite: 'lax',
      secure: this.secureCookies(request),
      maxAge: maxAgeSeconds,
    });
  }

  clearCookie(request: FastifyRequest, reply: FastifyReply, name: string) {
    reply.clearCookie(name, {
      path: APP_PATH,
      httpOnly: true,
      sameSite: 'lax',
      secure: this.secureCookies(request),
    });
  }

  /**
   * The request's session and user, or undefined when there is none, it expired, or its token
   * is no longer accepted (then the cookie is cleared).
   */
  async signedIn(request: FastifyRequest, reply: FastifyReply): Promise<SignedIn | undefined> {
    const session = this.seal.open('session', request.cookies[SESSION_COOKIE], Date.now());
    if (!session) {
      if (request.cookies[SESSION_COOKIE]) this.clearCookie(request, reply, SESSION_COOKIE);
      return undefined;
    }
    let principal: Principal;
    try {
      principal = await this.authenticate(request, session.token);
    } catch {
      this.clearCookie(request, reply, SESSION_COOKIE);
      return undefined;
    }
    const user = principal.user;
    const name = [user?.firstName, user?.lastName].filter(Boolean).join(' ') || user?.loginId || '';
    return {
      session,
      principal,
      viewer: {
        name,
        isAdmin: isAdmin(principal, READ_ADMIN_ROLES),
        csrfToken: this.seal.csrfToken(session),
      },
    };
  }
}

/** Sends a page with the web app's headers. */
export function sendPage(reply: FastifyReply, status: number, body: string) {
  return reply
    .status(status)
    .header('content-security-policy', PAGE_POLICY)
    .header('cache-control', 'no-store')
    .header('x-frame-options', 'DENY')
    .header('x-content-type-options', 'nosniff')
    .header('referrer-policy', 'same-origin')
    .type('text/html; charset=utf-8')
    .send(body);
}

/**
 * `GET /oauth2/v0/authorize` shows the sign-in and consent page; the page's form POSTs back
 * to the same path (RFC 6749 §4.1, NOTES §2.10). Answers are HTML pages or 302 redirects to
 * the client's registered redirect URI, never cached or framed.
 */
import { randomBytes } from 'node:crypto';
import formBody from '@fastify/formbody';
import type { FastifyError, FastifyInstance, FastifyReply } from 'fastify';
import type { Kysely } from 'kysely';
import type { Database } from '../../../db/database.js';
import { AppError } from '../../../errors.js';
import { baseUrlOf } from '../../../http/base-url.js';
import { ensureServerSecret } from '../../../security/server-secret.repository.js';
import { pagePolicy, renderErrorPage, renderSignInPage } from './authorize.page.js';
import type {
  AuthorizationRequest,
  AuthorizeService,
  CheckedRequest,
} from './authorize.service.js';
import { FormTokens } from './authorize-form.js';

interface AuthorizeRoutesOptions {
  db: Kysely<Database>;
  authorize: AuthorizeService;
}

const FORM_KEY_NAME = 'authorize-form-hmac';

type Fields = Record<string, unknown>;

function text(fields: Fields, name: string): string {
  const value = fields[name];
  return typeof value === 'string' ? value : '';
}

function sendPage(reply: FastifyReply, status: number, html: string, policy = pagePolicy()) {
  return reply
    .status(status)
    .header('content-security-policy', policy)
    .type('text/html; charset=utf-8')
    .send(html);
}

function sendError(reply: FastifyReply, status: number, message: string) {
  return sendPage(reply, status, renderErrorPage(message));
}

/** Registers the authorize endpoint in its own scope (form parsing, HTML errors, headers). */
export async function authorizeRoutes(app: FastifyInstance, options: AuthorizeRoutesOptions) {
  await app.register(formBody, { bodyLimit: 16 * 1024 });
  const key = await ensureServerSecret(
    options.db,
    FORM_KEY_NAME,
    randomBytes(32).toString('base64url'),
    Date.now(),
  );
  const forms = new FormTokens(Buffer.from(key, 'base64url'));
  const { authorize } = options;

  app.addHook('onSend', async (_request, reply, payload) => {
    reply.header('cache-control', 'no-store');
    reply.header('pragma', 'no-cache');
    reply.header('x-frame-options', 'DENY');
    reply.header('x-content-type-options', 'nosniff');
    reply.header('referrer-policy', 'no-referrer');
    if (!reply.hasHeader('content-security-policy')) {
      reply.header('content-security-policy', pagePolicy());
    }
    return payload;
  });

  // Errors on these routes are pages for a person, not XML for a program.
  app.setErrorHandler((error: FastifyError, request, reply) => {
    const status = error instanceof AppError ? error.httpStatus : (error.statusCode ?? 500);
    if (status >= 500) {
      request.log.error({ err: error }, 'unexpected error');
      return sendError(reply, 500, 'An unexpected error occurred.');
    }
    const message =
      status === 413
        ? 'The form is too large.'
        : status === 415
          ? 'Send the form as application/x-www-form-urlencoded.'
          : 'The request is not valid.';
    return sendError(reply, status, message);
  });

  const binding = (request: AuthorizationRequest) =>
    Object.values(authorize.requestFields(request));

  function showForm(
    reply: FastifyReply,
    request: AuthorizationRequest,
    status = 200,
    error?: string,
    loginId?: string,
  ) {
    const hidden = {
      ...authorize.requestFields(request),
      form_token: forms.issue(binding(request)),
    };
    const html = renderSignInPage({
      appName: request.app.name,
      scopes: request.scopes,
      hidden,
      ...(error ? { error } : {}),
      ...(loginId ? { loginId } : {}),
    });
    return sendPage(reply, status, html, pagePolicy([new URL(request.redirectUri).origin]));
  }

  function answerInvalid(reply: FastifyReply, checked: Exclude<CheckedRequest, { kind: 'valid' }>) {
    if (checked.kind === 'redirect') return reply.redirect(checked.location, 302);
    return sendError(reply, 400, checked.message);
  }

  app.get('/oauth2/v0/authorize', async (request, reply) => {
    const checked = await authorize.check(request.query as Fields);
    if (checked.kind !== 'valid') return answerInvalid(reply, checked);
    return showForm(reply, checked.request);
  });

  app.post<{ Body: Fields | undefined }>('/oauth2/v0/authorize', async (request, reply) => {
    // Other bodies reach the app's catch-all parser; only the form is meaningful here.
    if (!/^application\/x-www-form-urlencoded\b/i.test(request.headers['content-type'] ?? '')) {
      return sendError(reply, 415, 'Send the form as application/x-www-form-urlencoded.');
    }
    const fields = request.body && typeof request.body === 'object' ? request.body : {};
    const checked = await authorize.check(fields);
    if (checked.kind !== 'valid') return answerInvalid(reply, checked);
    const authRequest = checked.request;

    // Only a form this server rendered, for this very request, and recently.
    const form = forms.check(text(fields, 'form_token'), binding(authRequest));
    if (form === 'invalid') {
      return sendError(reply, 400, 'This sign-in form is not valid.');
    }
    const loginId = text(fields, 'login_id').trim();
    if (form === 'expired') {
      return showForm(reply, authRequest, 200, 'The form expired. Please sign in again.', loginId);
    }
    if (text(fields, 'action') === 'deny') return reply.redirect(authorize.deny(authRequest), 302);

    const password = text(fields, 'password');
    if (!loginId || !password) {
      return showForm(reply, authRequest, 200, 'Enter your login id and password.', loginId);
    }
    const outcome = await authorize.signInAndIssue(
      authRequest,
      loginId,
      password,
      baseUrlOf(request),
    );
    if (outcome.kind === 'redirect') return reply.redirect(outcome.location, 302);
    if (outcome.retryAfterSeconds !== undefined) {
      reply.header('retry-after', String(outcome.retryAfterSeconds));
    }
    return showForm(reply, authRequest, outcome.status, outcome.message, loginId);
  });
}

/**
 * `GET /oauth2/v0/authorize` shows the sign-in and consent page; the page's form POSTs back
 * to the same path (RFC 6749 §4.1, SPEC §2.10). Concur's pre-2017 web flow, `GET
 * /net2/oauth2/Login.aspx`, shows the same page with its own request rules and posts back to
 * its own path. Answers are HTML pages or 302 redirects to the client's registered redirect
 * URI, never cached or framed.
 */
import formBody from '@fastify/formbody';
import { type Static, type TObject, Type } from '@sinclair/typebox';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import type { Database } from '../../../db/database.js';
import { AppError, errors } from '../../../errors.js';
import { baseUrlOf } from '../../../http/base-url.js';
import { tolerateDoubledQuestionMarks } from '../../../http/tolerant-query.js';
import type { SecretBox } from '../../../security/secret-box.js';
import { serverSecret } from '../../../security/server-secrets.js';
import { pagePolicy, renderErrorPage, renderSignInPage } from './authorize.page.js';
import type {
  AuthorizationParameters,
  AuthorizationRequest,
  AuthorizeService,
  CheckedRequest,
  SentOnce,
} from './authorize.service.js';
import { FormTokens } from './authorize-form.js';

interface AuthorizeRoutesOptions {
  db: Kysely<Database>;
  authorize: AuthorizeService;
  /** Seals the form key at rest (SECRETS_KEY). */
  secrets: SecretBox;
}

const FORM_KEY_NAME = 'authorize-form-hmac';

export const AUTHORIZE_PATH = '/oauth2/v0/authorize';
/** The pre-2017 web flow's page (other letter cases are redirected here by legacy/). */
export const LEGACY_LOGIN_PATH = '/net2/oauth2/Login.aspx';

// A parameter may come repeated (an array): the request check refuses that for most of them.
const sent = Type.Optional(Type.Union([Type.String(), Type.Array(Type.String())]));

/** The authorization request's parameters (RFC 6749 §4.1.1, RFC 7636 §4.3). */
const AuthorizeQuery = Type.Object({
  client_id: sent,
  redirect_uri: sent,
  response_type: sent,
  scope: sent,
  state: sent,
  code_challenge: sent,
  code_challenge_method: sent,
});
type AuthorizeQuery = Static<typeof AuthorizeQuery>;

/** The pre-2017 `Login.aspx` request's parameters (authorization-pre-2017, "Web"). */
const LegacyLoginQuery = Type.Object({
  client_id: sent,
  redirect_uri: sent,
  scope: sent,
  state: sent,
});

/** A sign-in form: the request again, the form's own token, and what the user typed. */
const formOf = (query: TObject) =>
  Type.Composite([
    query,
    Type.Object({ form_token: sent, login_id: sent, password: sent, action: sent }),
  ]);

/** A request's or form's fields, as the schemas above let them through. */
type SignInFields = Partial<Record<string, string | string[]>>;

const FormHeaders = Type.Object({ 'content-type': Type.Optional(Type.String()) });

function sentOnce(value: string | string[] | undefined): SentOnce {
  if (value === undefined || value === '') return undefined;
  return typeof value === 'string' ? value : null;
}

/** The request's parameters for the check: each absent, sent once, or repeated (null). */
function parametersOf(fields: Partial<AuthorizeQuery>): AuthorizationParameters {
  return {
    client_id: sentOnce(fields.client_id),
    redirect_uri: sentOnce(fields.redirect_uri),
    response_type: sentOnce(fields.response_type),
    scope: sentOnce(fields.scope),
    state: sentOnce(fields.state),
    code_challenge: sentOnce(fields.code_challenge),
    code_challenge_method: sentOnce(fields.code_challenge_method),
  };
}

/** A form field's text; a repeated field counts as empty. */
function text(value: string | string[] | undefined): string {
  return typeof value === 'string' ? value : '';
}

/**
 * A `preValidation` hook: only the form is meaningful (other bodies reach the app's catch-all
 * parser); 415 otherwise, which the error handler shows as a page. No body is an empty form.
 */
async function formOnly(request: FastifyRequest): Promise<void> {
  const type = request.headers['content-type'] ?? '';
  if (!/^application\/x-www-form-urlencoded\b/i.test(type)) {
    throw errors.unsupportedMediaType(type);
  }
  if (!request.body || typeof request.body !== 'object') request.body = {};
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
  const key = await serverSecret(options.db, options.secrets, FORM_KEY_NAME);
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

  // The page a form was rendered by is part of what its token binds.
  const binding = (request: AuthorizationRequest) => {
    const fields = Object.values(authorize.requestFields(request));
    return request.flow === 'net2' ? ['net2', ...fields] : fields;
  };

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
      action: request.flow === 'net2' ? LEGACY_LOGIN_PATH : AUTHORIZE_PATH,
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

  /** The form's POST: the request checked again, then the form, then the user's answer. */
  async function submit(request: FastifyRequest, reply: FastifyReply, checked: CheckedRequest) {
    if (checked.kind !== 'valid') return answerInvalid(reply, checked);
    const authRequest = checked.request;
    const fields = request.body as SignInFields;

    // Only a form this server rendered, for this very request, and recently.
    const form = forms.check(text(fields.form_token), binding(authRequest));
    if (form === 'invalid') {
      return sendError(reply, 400, 'This sign-in form is not valid.');
    }
    const loginId = text(fields.login_id).trim();
    if (form === 'expired') {
      return showForm(reply, authRequest, 200, 'The form expired. Please sign in again.', loginId);
    }
    if (text(fields.action) === 'deny') return reply.redirect(authorize.deny(authRequest), 302);

    const password = text(fields.password);
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
  }

  /**
   * Registers a page's GET and its form's POST; `check` reads the request's parameters.
   * `tolerant`: older clients' doubled `?` separates parameters (the pre-2017 page only).
   */
  function signInPage(
    path: string,
    query: TObject,
    check: (fields: SignInFields) => Promise<CheckedRequest>,
    tolerant = false,
  ) {
    app.get(
      path,
      { schema: { querystring: query }, onRequest: tolerant ? [tolerateDoubledQuestionMarks] : [] },
      async (request, reply) => {
        const checked = await check(request.query as SignInFields);
        if (checked.kind !== 'valid') return answerInvalid(reply, checked);
        return showForm(reply, checked.request);
      },
    );
    app.post(
      path,
      { schema: { body: formOf(query), headers: FormHeaders }, preValidation: formOnly },
      async (request, reply) => submit(request, reply, await check(request.body as SignInFields)),
    );
  }

  signInPage(AUTHORIZE_PATH, AuthorizeQuery, (fields) => authorize.check(parametersOf(fields)));
  signInPage(
    LEGACY_LOGIN_PATH,
    LegacyLoginQuery,
    (fields) =>
      authorize.checkLegacy({
        client_id: sentOnce(fields.client_id),
        redirect_uri: sentOnce(fields.redirect_uri),
        scope: sentOnce(fields.scope),
        state: sentOnce(fields.state),
      }),
    true,
  );
}

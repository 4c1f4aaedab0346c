/**
 * Concur's pre-2017 OAuth 2.0 endpoints (authorization-pre-2017): `GET
 * /net2/oauth2/accesstoken.ashx` (native flow), `GET …/getaccesstoken.ashx` (refresh) and
 * `POST …/revoketoken.ashx`; `getaccesstoken.ashx` also exchanges the web and App Center flows'
 * request tokens (`code`), and `login.aspx` in another letter case is sent to the sign-in page
 * (authorize/, `Login.aspx`). The file names are matched in any letter case (the doc itself
 * writes `GetAccessToken.ashx` and `getaccesstoken.ashx`), parameters come from the query (a
 * doubled `?` tolerated) or a form body, answers are XML and errors Concur's `<Error>`.
 */
import formBody from '@fastify/formbody';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError, ErrorCode, errors } from '../../../errors.js';
import { tokenFromHeader } from '../../../http/auth.js';
import { baseUrlOf } from '../../../http/base-url.js';
import { tolerateDoubledQuestionMarks } from '../../../http/tolerant-query.js';
import { sendXml } from '../../../http/xml-reply.js';
import { LEGACY_LOGIN_PATH } from '../authorize/authorize.routes.js';
import { presentAccessToken } from './access-token.presenter.js';
import { type LegacyToken, legacyErrors } from './legacy-session.js';
import type {
  BasicCredentials,
  LegacyTokenService,
  RevokingCaller,
} from './legacy-token.service.js';

interface LegacyTokenRoutesOptions {
  service: LegacyTokenService;
  /** The bearer authenticator (the revoke endpoint needs the caller's `OAuth` token). */
  authenticate: (request: FastifyRequest, token: string) => Promise<RevokingCaller>;
}

export const LEGACY_OAUTH_PATH = '/net2/oauth2';

// Access tokens (JWTs) are long, but not this long; nothing else sent here comes close.
const MAX_PARAMETER_LENGTH = 4096;

/** The form media type, the only body these endpoints read. */
const FORM_TYPE = 'application/x-www-form-urlencoded';

/**
 * The request's parameters by lower-cased name: the query's, then a form body's (which win).
 * A repeated parameter keeps its last value; NUL or an over-long value is a 400.
 */
function parametersOf(request: FastifyRequest): Record<string, string> {
  const parameters: Record<string, string> = {};
  // Parameters come from the query or a form (COMPATIBILITY.md); another body (JSON, XML) is
  // not read as parameters, and saying so beats answering as if nothing had been sent.
  const type = (request.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  const length = request.headers['content-length'];
  const hasBody =
    (length !== undefined && length !== '0') || request.headers['transfer-encoding'] !== undefined;
  if (hasBody && type !== FORM_TYPE) {
    throw errors.unsupportedMediaType(type.slice(0, 100), FORM_TYPE);
  }
  const sources = [request.query, request.body];
  for (const source of sources) {
    if (!source || typeof source !== 'object') continue;
    for (const [name, raw] of Object.entries(source as Record<string, unknown>)) {
      const value = Array.isArray(raw) ? raw[raw.length - 1] : raw;
      if (typeof value !== 'string') continue;
      if (value.length > MAX_PARAMETER_LENGTH || value.includes('\u0000')) {
        throw errors.badRequest(`The parameter ${name.slice(0, 64)} is not a valid value.`);
      }
      parameters[name.toLowerCase()] = value;
    }
  }
  return parameters;
}

/** The LoginID and password of `Authorization: Basic …`, or undefined. */
export function basicCredentials(header: string | undefined): BasicCredentials | undefined {
  const match = /^Basic\s+([A-Za-z0-9+/=_-]+)\s*$/i.exec(header ?? '');
  if (!match?.[1]) return undefined;
  const text = Buffer.from(match[1], 'base64').toString('utf8');
  // "If no password is used, the user name must still end with a colon."
  const colon = text.indexOf(':');
  if (colon <= 0) return undefined;
  return { loginId: text.slice(0, colon), password: text.slice(colon + 1) };
}

function sendToken(reply: FastifyReply, token: LegacyToken): FastifyReply {
  reply.header('cache-control', 'no-store').header('pragma', 'no-cache');
  return sendXml(reply, presentAccessToken(token));
}

/** The URL's query as sent (`?…`, or ''), for a redirect that keeps it. */
function queryOf(request: FastifyRequest): string {
  const url = request.raw.url ?? request.url;
  const start = url.indexOf('?');
  return start < 0 ? '' : url.slice(start);
}

function notFound(request: FastifyRequest): AppError {
  return new AppError(ErrorCode.NotFound, 404, `No resource at ${request.method} ${request.url}.`);
}

/** Registers the `/net2/oauth2/*.ashx` endpoints in their own scope (form bodies). */
export async function legacyTokenRoutes(app: FastifyInstance, options: LegacyTokenRoutesOptions) {
  const { service } = options;
  await app.register(formBody, { bodyLimit: 16 * 1024 });

  async function revoke(
    request: FastifyRequest,
    reply: FastifyReply,
    parameters: Record<string, string>,
  ) {
    const token = tokenFromHeader(request.headers.authorization);
    if (!token) {
      throw errors.unauthorized('Send "Authorization: OAuth <access token>" of an administrator.');
    }
    const caller = await options.authenticate(request, token);
    // The older doc's example names the app `client_id`; the newer one `consumerKey`.
    const consumerKey = parameters.consumerkey ?? parameters.client_id;
    if (parameters.token) {
      await service.revokeToken(caller, parameters.token);
    } else if (consumerKey || parameters.user) {
      if (!consumerKey) throw legacyErrors.parameterMissing('consumerKey');
      if (!parameters.user) throw legacyErrors.parameterMissing('user');
      await service.revokeUserTokens(caller, consumerKey, parameters.user);
    } else {
      throw errors.badRequest('Name the token to revoke (token=), or consumerKey= and user=.');
    }
    return reply.status(200).send();
  }

  /** One path, two requests: a request token's exchange (`code`) or a refresh. */
  function getAccessToken(parameters: Record<string, string>, baseUrl: string) {
    const { code, refresh_token: refreshToken } = parameters;
    if (code && refreshToken) {
      throw errors.badRequest('Send either code= (a request token) or refresh_token=, not both.');
    }
    if (code) return service.exchange(parameters, baseUrl);
    if (refreshToken) return service.refresh(parameters, baseUrl);
    throw errors.badRequest(
      'The parameter code (a request token) or refresh_token is missing, with client_id and ' +
        'client_secret.',
    );
  }

  app.route<{ Params: { endpoint: string } }>({
    method: ['GET', 'POST'],
    url: `${LEGACY_OAUTH_PATH}/:endpoint`,
    schema: {
      summary: "Concur's pre-2017 token endpoints (`endpoint`: a file name below)",
      description:
        '`accesstoken.ashx` (GET, HTTP Basic: the native flow), `getaccesstoken.ashx` (GET: ' +
        'exchange or refresh) and `revoketoken.ashx` (POST), in any letter case; XML answers.',
      tags: ['OAuth'],
    },
    onRequest: tolerateDoubledQuestionMarks,
    handler: async (request, reply) => {
      const endpoint = request.params.endpoint.toLowerCase();
      const parameters = parametersOf(request);
      switch (endpoint) {
        case 'accesstoken.ashx': {
          const header = request.headers['x-consumerkey'];
          const consumerKey = Array.isArray(header) ? header[0] : header;
          const credentials = basicCredentials(request.headers.authorization);
          const token = await service
            .native(consumerKey, credentials, baseUrlOf(request))
            .catch((error: unknown) => {
              if (error instanceof AppError && error.httpStatus === 401) {
                reply.header('www-authenticate', 'Basic realm="itinera", charset="UTF-8"');
              }
              throw error;
            });
          return sendToken(reply, token);
        }
        case 'getaccesstoken.ashx':
          return sendToken(reply, await getAccessToken(parameters, baseUrlOf(request)));
        case 'login.aspx':
          // The page is served (authorize/) at the doc's spelling; other letter cases go there.
          return reply.redirect(`${LEGACY_LOGIN_PATH}${queryOf(request)}`, 308);
        case 'revoketoken.ashx':
          if (request.method !== 'POST') {
            reply.header('allow', 'POST');
            throw new AppError(ErrorCode.BadRequest, 405, 'revoketoken.ashx takes POST.');
          }
          return revoke(request, reply, parameters);
        default:
          throw notFound(request);
      }
    },
  });
}
